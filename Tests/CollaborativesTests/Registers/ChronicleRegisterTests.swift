import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// `Chronicle.importRegister`: one all-or-nothing batch through `append`, idempotent by derived ids.
@Suite struct ChronicleRegisterTests {
    typealias History = RegisterHistory

    static let rows = [
        ["12/10/2023", "ol-ws-07", "ol-1", "", "yes", ""], ["12/10/2023", "ol-ws-07", "", "Pat Anchor", "yes", ""],
        ["12/10/2023", "ol-ws-07", "ol-2", "", "no", ""], ["19/10/2023", "ol-ws-08", "ol-4", "", "yes", ""],
    ]

    func store() throws -> TemporaryChronicle {
        let store = try TemporaryChronicle()
        try store.chronicle.append(store.drafts(History.events))
        return store
    }

    @discardableResult
    func importRows(_ rows: [[String]], into store: TemporaryChronicle, dryRun: Bool = false) throws
        -> RegisterImportSummary
    {
        try store.chronicle.importRegister(
            History.table([History.workshopHeader] + rows), mapping: try History.mapping(History.workshopMapping),
            recordedBy: "tester", dryRun: dryRun)
    }

    @Test func aRegisterIsAppendedOnceAndThenFoundAlreadyStored() throws {
        let store = try store()
        let before = try store.head()
        let dry = try importRows(Self.rows, into: store, dryRun: true)
        #expect(dry.dryRun && dry.appended == 2 && dry.head.seq == before.seq + 2)
        #expect(try store.head() == before)
        let first = try importRows(Self.rows, into: store)
        #expect(first.appended == 2 && first.duplicates == 0 && first.rows == 4)
        let second = try importRows(Self.rows, into: store)
        #expect(second.appended == 0 && second.duplicates == 2 && second.head == first.head)
    }

    @Test func aRetractedMemberJoinIsNotCountedWhenResolvingNames() throws {
        let store = try TemporaryChronicle()
        var events = History.events
        events.append(("2021-11-15", Events.joined("ol-9", "oldham", name: "Pat Anchor")))
        let drafts = store.drafts(events)
        try store.chronicle.append(drafts)
        let ambiguous = #expect(throws: RegisterErrors.self) { try importRows(Self.rows, into: store) }
        #expect(ambiguous?.errors.first?.message.contains("ambiguous name") == true)
        let retraction = Draft(
            occurredAt: occurred("2021-11-16"), recordedBy: "tester", event: Events.retract(drafts[drafts.count - 1].id)
        )
        try store.chronicle.append([retraction])
        #expect(try importRows(Self.rows, into: store).appended == 2)
    }

    @Test func aChangedRegisterIsRefusedListingTheChangeUnlessCorrectionsAreApplied() throws {
        let store = try store()
        let first = try importRows(Self.rows, into: store)
        var changed = Self.rows
        changed[2][4] = "yes"
        let refusal = #expect(throws: RegisterChanges.self) { try importRows(changed, into: store) }
        let change = try #require(refusal?.changes.first)
        #expect(refusal?.changes.count == 1 && change.stored.id == first.events[0].id)
        #expect(change.events.map(\.lines) == [[2, 3, 4]])
        #expect(change.differences.map(\.field) == ["attendees"] && change.differences.first?.added == ["ol-2"])
        #expect(change.differences.first?.lines == [4])
        #expect(try store.head() == first.head)

        let applied = try store.chronicle.importRegister(
            History.table([History.workshopHeader] + changed), mapping: try History.mapping(History.workshopMapping),
            recordedBy: "tester", corrections: .apply(reason: "register checked"))
        #expect(applied.appended == 1 && applied.duplicates == 1 && applied.changes.count == 1)
        #expect(applied.head.seq == first.head.seq + 2)
        let again = try importRows(changed, into: store)
        #expect(again.appended == 0 && again.duplicates == 2 && again.head == applied.head)
    }

    @Test func aRuleViolationOfTheStoreIsPutOnTheAttendeesRowOrTheEventsFirstRow() throws {
        let plan = try History.plan(Self.rows)
        let event = try #require(plan.events.first)
        func violation(_ rule: Rule, _ message: String) -> RuleViolation {
            RuleViolation(
                rule: rule, message: message, subject: .batch(index: 0, id: event.draft.id),
                eventType: "WorkshopHeld", occurredAt: event.draft.occurredAt)
        }
        let attendee = Chronicle.located(
            violation(.memberActive, "attendee ol-4 is not an active member of oldham on 2023-10-12"), in: plan)
        #expect(attendee.line == 3 && attendee.message.hasPrefix(#"column "Name" (D): rule member-active"#))
        let other = Chronicle.located(violation(.uniqueSlug, "workshop ol-ws-07 is already used"), in: plan)
        #expect(other.line == 2)
        #expect(
            other.message
                == "workshop ol-ws-07 on 2023-10-12 (lines 2-4): rule unique-slug: workshop ol-ws-07 is already used")
    }

    @Test func sessionsAnEarlierBuildMergedAreOneChangeReplacingTheStoredEventBySeveral() throws {
        // Stores recorded before one-to-ones were limited to one attendee may hold such a merged session.
        let mapping = """
            {"register": "coaching", "columns": {"date": "Date", "member": "Member"},
             "event": {"collaborative": "oldham", "kind": "one-to-one", "advisor": "staff-1", "minutes": 30}}
            """
        let plan = try History.plan(
            [["2023-10-12", "ol-1"], ["2023-10-12", "ol-4"]], header: ["Date", "Member"], mapping: mapping)
        let legacyID = try #require(plan.events.first?.legacyID)
        #expect(plan.events.map(\.legacyID) == [legacyID, legacyID])
        let merged = TimelineEntry(
            id: legacyID, seq: 1, occurredAt: occurred("2023-10-12"),
            event: .coachingSessionHeld(
                CoachingSessionHeld(
                    collaborative: slug("oldham"), kind: .oneToOne, advisor: slug("staff-1"),
                    attendees: [slug("ol-1"), slug("ol-4")], minutes: 30)))
        let reconciliation = RegisterReconciliation(
            stored: [(merged, Timestamp(microsecondsSinceEpoch: 0))],
            supplied: ["collaborative", "kind", "advisor", "attendees", "minutes"])
        let statuses = reconciliation.statuses(of: plan)
        let changes = RegisterReconciliation.changes(of: plan, statuses: statuses)
        #expect(changes.count == 1 && changes.first?.stored.id == legacyID)
        #expect(changes.first?.events.map(\.lines) == [[2], [3]] && changes.first?.differences.isEmpty == true)
    }
}
