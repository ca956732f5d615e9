import Foundation
import Testing

@testable import Collaboratives

/// Registers into events: grouping, attendees, names, and one error per bad row naming line and column.
@Suite struct RegisterImportTests {
    typealias History = RegisterHistory

    @Test func rowsAreGroupedIntoOneWorkshopPerWorkshopAndDate() throws {
        let plan = try History.plan([
            ["12/10/2023", "ol-ws-07", "ol-1", "", "yes", "Autumn"],
            ["19/10/2023", "ol-ws-08", "ol-1", "", "no", "Winter"],
            ["12/10/2023", "ol-ws-07", "", "Pat Anchor", "Y", "Autumn"],
            ["12/10/2023", "ol-ws-07", "", "Jo Bloggs", "no", "Autumn"],
        ])
        #expect(plan.rows == 4 && plan.events.count == 2)
        let first = try #require(plan.events.first)
        #expect(first.draft.occurredAt == .day(day("2023-10-12")) && first.lines == [2, 4, 5])
        #expect(first.workshop?.attendees == [slug("ol-1"), slug("ol-4")])
        #expect(first.workshop?.collaboratives == [slug("oldham")] && first.workshop?.title == "Autumn")
        #expect(first.key == "register|workshop|ol-ws-07|2023-10-12" && first.draft.recordedBy == "tester")
        #expect(first.draft.id == RegisterEventID.id(forKey: first.key))
        let second = try #require(plan.events.last)
        #expect(second.workshop?.workshop == slug("ol-ws-08"), "a workshop nobody came to is still recorded")
        #expect(second.workshop?.attendees == [])
    }

    @Test func planningTheSameRegisterTwiceGivesTheSameIds() throws {
        let rows = [
            ["12/10/2023", "ol-ws-07", "ol-1", "", "yes", ""], ["13/10/2023", "ol-ws-09", "ol-4", "", "x", ""],
        ]
        #expect(try History.plan(rows).drafts.map(\.id) == History.plan(rows).drafts.map(\.id))
    }

    @Test func namesMatchIgnoringCaseAndSpacesAndOnlyAmongActiveMembers() throws {
        let plan = try History.plan([
            ["12/10/2023", "ol-ws-07", "", "  pat   ANCHOR ", "yes", ""],
            // Jo Bloggs of rochdale is not active in oldham, and ol-3 (Jo Bloggs) is active in oldham in 2022.
            ["12/10/2022", "ol-ws-02", "", "Jo Bloggs", "yes", ""],
        ])
        #expect(plan.events.map { $0.workshop?.attendees ?? [] } == [[slug("ol-3")], [slug("ol-4")]])
    }

    @Test func theSlugWinsOverTheNameAndIsReadInAnyCase() throws {
        let plan = try History.plan([["12/10/2023", "OL-WS-07", "OL-1", "Sam Smith", "TRUE", ""]])
        #expect(plan.events.first?.workshop?.attendees == [slug("ol-1")])
        #expect(plan.events.first?.workshop?.workshop == slug("ol-ws-07"))
    }

    // MARK: - One error per bad row, naming the line and the column

    @Test func aBadDateNamesTheRowAndTheDateColumn() throws {
        let errors = try History.errors([["31/02/2023", "ol-ws-07", "ol-1", "", "yes", ""]])
        #expect(
            errors.map(\.description) == [
                #"line 2: column "Date" (A): "31/02/2023" is not a date in the format DD/MM/YYYY"#
            ])
    }

    @Test func anUnknownMemberNamesTheRowAndTheMemberColumn() throws {
        let errors = try History.errors([
            ["12/10/2023", "ol-ws-07", "ol-1", "", "yes", ""], ["12/10/2023", "ol-ws-07", "ol-99", "", "yes", ""],
        ])
        #expect(
            errors.map(\.description) == [
                #"line 3: column "Member" (C): unknown member ol-99: no MemberJoined records them"#
            ])
    }

    @Test func anUnknownNameNamesTheRowAndTheNameColumn() throws {
        let errors = try History.errors([["12/10/2023", "ol-ws-07", "", "Jon Bloggs", "yes", ""]])
        #expect(errors.count == 1)
        #expect(errors.first?.line == 2)
        #expect(
            errors.first?.message.hasPrefix(#"column "Name" (D): unknown name: no member named "Jon Bloggs""#) == true)
    }

    @Test func aNameOfSomeoneNoLongerActiveSaysWhoBearsIt() throws {
        let errors = try History.errors([["12/10/2023", "ol-ws-07", "", "Jo Bloggs", "yes", ""]])
        let message = try #require(errors.first?.message)
        #expect(message.contains("no member named \"Jo Bloggs\" is active in oldham on 2023-10-12"))
        #expect(message.contains("ol-3, ro-1 have that name but are not active there that day"))
    }

    @Test func anAmbiguousNameListsTheMembersWhoBearIt() throws {
        let errors = try History.errors([["12/10/2023", "ol-ws-07", "", "sam smith", "yes", ""]])
        #expect(
            errors.map(\.description) == [
                #"line 2: column "Name" (D): ambiguous name: "sam smith" is the name of ol-1, ol-2, all active in oldham on 2023-10-12; give the member slug instead"#
            ])
    }

    @Test func aBadAttendedValueListsTheValuesThatMeanAttendedAndAbsent() throws {
        let errors = try History.errors([["12/10/2023", "ol-ws-07", "ol-1", "", "maybe", ""]])
        #expect(
            errors.map(\.description) == [
                #"line 2: column "Attended" (E): "maybe" means neither attended (yes, y, x, 1, true) nor absent (no, n, 0, false, empty)"#
            ])
    }

    @Test func aColumnMissingFromTheHeaderIsNamedOnTheHeaderLine() throws {
        let errors = try History.errors(
            [["12/10/2023", "ol-ws-07", "ol-1", "", "yes"]],
            header: ["Date", "Workshop", "Member ID", "Name", "Present"])
        let error = try #require(errors.first)
        #expect(errors.count == 1 && error.line == 1)
        #expect(error.message.contains(#"column "Member" (columns.member in the mapping) is not in the header"#))
        #expect(error.message.contains(#"column "Attended" (columns.attended in the mapping) is not in the header"#))
        #expect(error.message.contains(#"the header has "Date", "Workshop", "Member ID", "Name", "Present""#))
    }

    @Test func anAttendeeNotActiveThatDayBreaksTheMemberActiveRuleOnTheirRow() throws {
        let errors = try History.errors([
            ["12/10/2023", "ol-ws-07", "ol-1", "", "yes", ""], ["12/10/2023", "ol-ws-07", "ol-3", "", "yes", ""],
        ])
        #expect(
            errors.map(\.description) == [
                #"line 3: column "Member" (C): rule member-active: attendee ol-3 is not an active member of oldham on 2023-10-12"#
            ])
    }

    @Test func everyBadRowIsReportedOnceInLineOrderWithEveryBadColumn() throws {
        let errors = try History.errors([
            ["12/10/2023", "ol-ws-07", "ol-1", "", "yes", ""],
            ["12/13/2023", "ol-ws-07", "ol-1", "", "perhaps", ""],
            ["12/10/2023", "ol-ws-07", "ol-99", "", "yes", ""],
            ["12/10/2023", "", "ol-4", "", "yes", ""],
        ])
        #expect(errors.map(\.line) == [3, 4, 5])
        let first = try #require(errors.first?.message)
        #expect(first.contains(#"column "Date" (A)"#) && first.contains(#"column "Attended" (E)"#))
        #expect(errors.last?.message == #"column "Workshop" (B): empty (every row names its workshop)"#)
    }

    @Test func atMostFiftyErrorsAreKeptAndTheRestCounted() throws {
        let rows = (0..<60).map { _ in ["bad", "ol-ws-07", "ol-1", "", "yes", ""] }
        do {
            _ = try History.plan(rows)
            Issue.record("planned a register of bad dates")
        } catch let errors as RegisterErrors {
            #expect(errors.errors.count == RegisterErrors.limit && errors.total == 60 && errors.omitted == 10)
        }
    }

    @Test func rowsOfOneWorkshopMustAgreeOnItsFieldsButMayLeaveThemEmpty() throws {
        let plan = try History.plan([
            ["12/10/2023", "ol-ws-07", "ol-1", "", "yes", "Autumn"], ["12/10/2023", "ol-ws-07", "ol-4", "", "yes", ""],
        ])
        #expect(plan.events.first?.workshop?.title == "Autumn")
        let errors = try History.errors([
            ["12/10/2023", "ol-ws-07", "ol-1", "", "yes", "Autumn"],
            ["12/10/2023", "ol-ws-07", "ol-4", "", "yes", "Spring"],
        ])
        #expect(
            errors.map(\.description) == [
                #"line 3: column "Title" (F): "Spring" differs from "Autumn" on line 2 (the rows of workshop ol-ws-07 on 2023-10-12 must agree)"#
            ])
    }

    @Test func aWorkshopSlugOnTwoDatesIsRefused() throws {
        let errors = try History.errors([
            ["12/10/2023", "ol-ws-07", "ol-1", "", "yes", ""], ["19/10/2023", "ol-ws-07", "ol-1", "", "yes", ""],
        ])
        #expect(errors.map(\.line) == [3])
        #expect(errors.first?.message.contains("workshop ol-ws-07 is also on 2023-10-12 (line 2)") == true)
    }

    @Test func aMemberMarkedAttendedTwiceForOneWorkshopIsRefused() throws {
        let errors = try History.errors([
            ["12/10/2023", "ol-ws-07", "ol-1", "", "yes", ""], ["12/10/2023", "ol-ws-07", "", "Pat Anchor", "yes", ""],
            ["12/10/2023", "ol-ws-07", "ol-4", "", "yes", ""],
        ])
        #expect(
            errors.map(\.description) == [
                #"line 4: column "Member" (C): ol-4 is already marked attended on line 3 for workshop ol-ws-07 on 2023-10-12"#
            ])
    }

    @Test func aRowMarkedAttendedThatNamesNobodyIsRefused() throws {
        let errors = try History.errors([["12/10/2023", "ol-ws-07", "", "", "yes", ""]])
        #expect(errors.first?.message.hasPrefix(#"column "Member" (C) and column "Name" (D): empty"#) == true)
    }

    @Test func absentRowsAreNotLookedUpAndBlankRowsAreSkipped() throws {
        let plan = try History.plan([
            ["12/10/2023", "ol-ws-07", "", "Nobody Known", "no", ""], ["", "", "", "", "", ""], ["  "],
            ["12/10/2023", "ol-ws-07", "ol-1", "", "yes", ""],
        ])
        #expect(plan.rows == 2 && plan.events.first?.workshop?.attendees == [slug("ol-1")])
    }

    // MARK: - Rows that contradict themselves or each other

    @Test func aRowWithFewerCellsThanTheHeaderIsRefusedNamingItsLine() throws {
        let errors = try History.errors([
            ["12/10/2023", "ol-ws-07", "ol-1", "", "yes", ""], ["12/10/2023", "ol-ws-07", "ol-4"],
        ])
        #expect(
            errors.map(\.description) == ["line 3: the row has 3 cells, the header has 6 (is a separator missing?)"])
    }

    @Test func aMemberMarkedAttendedAndAbsentInOneRegisterIsRefusedNamingBothLines() throws {
        let bySlug = try History.errors([
            ["12/10/2023", "ol-ws-07", "ol-1", "", "yes", ""], ["12/10/2023", "ol-ws-07", "OL-1", "", "no", ""],
        ])
        #expect(
            bySlug.map(\.description) == [
                #"line 3: column "Attended" (E): ol-1 is marked absent here but attended on line 2 for workshop ol-ws-07 on 2023-10-12"#
            ])
        let byName = try History.errors([
            ["12/10/2023", "ol-ws-07", "", "Pat Anchor", "no", ""], ["12/10/2023", "ol-ws-07", "ol-4", "", "yes", ""],
        ])
        #expect(byName.count == 1 && byName.first?.line == 2)
        #expect(byName.first?.message.contains("ol-4 is marked absent here but attended on line 3") == true)
    }

    @Test func aMemberAbsentFromOneWorkshopMayAttendAnother() throws {
        let plan = try History.plan([
            ["12/10/2023", "ol-ws-07", "ol-1", "", "no", ""], ["13/10/2023", "ol-ws-09", "ol-1", "", "yes", ""],
        ])
        #expect(plan.events.map { $0.workshop?.attendees ?? [] } == [[], [slug("ol-1")]])
    }

    @Test func aDateBefore1900IsRefusedNamingTheRowAndTheDateColumn() throws {
        let errors = try History.errors([["31/12/1899", "ol-ws-07", "ol-1", "", "yes", ""]])
        #expect(
            errors.map(\.description) == [
                #"line 2: column "Date" (A): "31/12/1899" is 1899-12-31, outside the accepted dates 1900-01-01 to 2200-12-31"#
            ])
    }

    // MARK: - Coaching

    @Test func coachingSessionsGroupBySessionAndDateAndKeepEmptySessions() throws {
        let plan = try History.plan(
            [
                ["2023-10-12", "Drop-in", "ol-1", "✓"], ["2023-10-12", "Drop-in", "ol-4", ""],
                ["2023-10-19", "Drop-in", "ol-1", ""], ["2023-10-12", "Leaders", "ol-4", "✓"],
            ],
            header: ["Date", "Session", "Member", "Came"], mapping: History.coachingMapping)
        #expect(plan.events.count == 3)
        #expect(plan.events.map { $0.coaching?.attendees ?? [] } == [[slug("ol-1")], [slug("ol-4")], []])
        let session = try #require(plan.events.first?.coaching)
        #expect(session.advisor == slug("staff-1") && session.kind == .group && session.minutes == 60)
        #expect(plan.events.first?.key == "register|coaching-session|oldham|staff-1|Drop-in|2023-10-12")
        #expect(plan.events.first?.legacyKey == "register|coaching|oldham|Drop-in|2023-10-12")
    }

    @Test func coachingFieldsMayComeFromColumns() throws {
        let mapping = """
            {"register": "coaching", "columns": {"date": "Date", "member": "Member", "kind": "Kind",
             "advisor": "Advisor", "collaborative": "Where"}}
            """
        let plan = try History.plan(
            [["2023-10-12", "ol-1", "One-to-one", "staff-1", "oldham"]],
            header: ["Date", "Member", "Kind", "Advisor", "Where"], mapping: mapping)
        let session = try #require(plan.events.first?.coaching)
        #expect(session.kind == .oneToOne && session.advisor == slug("staff-1") && session.minutes == nil)
        #expect(plan.events.first?.key == "register|one-to-one|oldham|staff-1|ol-1||2023-10-12")
        let errors = try History.errors(
            [["2023-10-12", "ol-1", "chat", "staff-1", ""]], header: ["Date", "Member", "Kind", "Advisor", "Where"],
            mapping: mapping)
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains(#"column "Kind" (C): "chat" is not allowed"#) == true)
        #expect(errors.first?.message.contains(#"column "Where" (E): empty on every row of coaching session"#) == true)
    }

    /// A coaching register without a session column: kind, advisor and minutes per row.
    static let rowsMapping = """
        {"register": "coaching", "columns": {"date": "Date", "member": "Member", "kind": "Kind",
         "advisor": "Advisor", "minutes": "Minutes"}, "event": {"collaborative": "oldham"}}
        """
    static let rowsHeader = ["Date", "Member", "Kind", "Advisor", "Minutes"]

    @Test func oneToOneRowsAreSessionsOfTheirOwn() throws {
        let plan = try History.plan(
            [
                ["2023-10-12", "ol-1", "one-to-one", "staff-1", "30"],
                ["2023-10-12", "ol-2", "one-to-one", "staff-1", "30"],
                ["2023-10-12", "ol-4", "one-to-one", "staff-1", "30"],
            ], header: Self.rowsHeader, mapping: Self.rowsMapping)
        #expect(plan.events.map { $0.coaching?.attendees ?? [] } == [[slug("ol-1")], [slug("ol-2")], [slug("ol-4")]])
        #expect(plan.events.allSatisfy { $0.coaching?.minutes == 30 })
        #expect(Set(plan.events.map(\.draft.id)).count == 3)
        #expect(plan.events.first?.label == "one-to-one coaching of ol-1 with staff-1 on 2023-10-12")
    }

    @Test func sessionsAreToldApartByAdvisorAndCarryEmptyCellsDown() throws {
        let plan = try History.plan(
            [
                ["2023-10-12", "ol-1", "group", "staff-1", "60"], ["2023-10-12", "ol-2", "", "", ""],
                ["2023-10-12", "ol-4", "group", "ol-4", "45"],
            ], header: Self.rowsHeader, mapping: Self.rowsMapping)
        #expect(plan.events.map { $0.coaching?.attendees ?? [] } == [[slug("ol-1"), slug("ol-2")], [slug("ol-4")]])
        #expect(plan.events.map { $0.coaching?.advisor } == [slug("staff-1"), slug("ol-4")])
        #expect(plan.events.map(\.lines) == [[2, 3], [4]])
    }
}
