import Foundation
import Testing

/// Coaching registers: a one-to-one row is its own session, sessions are told apart by date, advisor and
/// session column, and registers imported by the previous id scheme still import again as a no-op.
@Suite struct RegisterCoachingTests {
    typealias Registers = RegisterImportTests

    /// A second advisor, staff-02, besides the base history's staff-01.
    static let secondAdvisor =
        #"{"type":"MemberJoined","occurredAt":"2021-09-01","data":{"collaborative":"oldham","member":"staff-02","sector":"programme-staff"}}"#

    /// One-to-ones, one row per person, no session column (the kind and advisor are fixed).
    static let oneToOneMapping = """
        {"register": "coaching", "columns": {"date": "Date", "member": "Member", "attended": "Came"},
         "event": {"collaborative": "oldham", "kind": "one-to-one", "advisor": "staff-01", "minutes": 30}}
        """

    static let oneToOneRows = [
        "Date,Member,Came", "2023-03-01,ol-17,yes", "2023-03-01,ol-02,yes", "2023-03-01,ol-21,yes",
    ]

    /// Group sessions by `advisor`, no session column.
    static func groupMapping(advisor: String) -> String {
        """
        {"register": "coaching", "columns": {"date": "Date", "member": "Member", "attended": "Came"},
         "event": {"collaborative": "oldham", "kind": "group", "advisor": "\(advisor)", "minutes": 60}}
        """
    }

    /// A session-column register as the previous build imported it: sessions named by the `Session` column.
    static let sessionMapping = """
        {"register": "coaching", "columns": {"date": "Date", "session": "Session", "member": "Member",
         "attended": "Came"}, "event": {"collaborative": "oldham", "kind": "group", "advisor": "staff-01",
         "minutes": 60}}
        """

    static let sessionRows = [
        "Session,Date,Member,Came", "Drop-in,2023-03-01,ol-17,yes", "Drop-in,2023-03-01,ol-02,yes",
        "Leaders,2023-03-01,ol-03,yes",
    ]

    /// A coaching session stored under `id`, on 2023-03-01, as the previous build recorded registers.
    static func storedSession(id: String, kind: String, attendees: [String], minutes: Int) -> String {
        let list = attendees.map { "\"\($0)\"" }.joined(separator: ",")
        return
            #"{"id":"\#(id)","type":"CoachingSessionHeld","occurredAt":"2023-03-01","data":{"collaborative":"oldham","kind":"\#(kind)","advisor":"staff-01","attendees":[\#(list)],"minutes":\#(minutes)}}"#
    }

    @Test func oneToOneRowsWithoutASessionColumnAreSessionsOfTheirOwn() async throws {
        let sandbox = try await Registers.sandbox()
        let path = try Registers.write(
            Self.oneToOneRows, named: "one-to-ones", mapping: Self.oneToOneMapping, in: sandbox)
        let report = try await Registers.importRegister([path], in: sandbox)
        #expect(report.appended == 3 && report.events.map(\.lines) == [[2], [3], [4]])
        #expect(report.events.map(\.label).first == "one-to-one coaching of ol-17 with staff-01 on 2023-03-01")
        let log = try await sandbox.log(["--type", "CoachingSessionHeld", "--from", "2023-01-01"])
        #expect(log.events.map(\.event.data.attendees) == [["ol-17"], ["ol-02"], ["ol-21"]])
        #expect(log.events.map(\.event.data.minutes) == [30, 30, 30])
        let again = try await Registers.importRegister([path], in: sandbox)
        #expect(again.appended == 0 && again.duplicates == 3)
    }

    @Test func twoAdvisorsRegistersForOneCollaborativeAndDayDoNotCollide() async throws {
        let sandbox = try await Registers.sandbox()
        try await sandbox.importNDJSON(Self.secondAdvisor + "\n")
        let first = try Registers.write(
            ["Date,Member,Came", "2023-03-01,ol-17,yes"], named: "staff-01",
            mapping: Self.groupMapping(advisor: "staff-01"), in: sandbox)
        let second = try Registers.write(
            ["Date,Member,Came", "2023-03-01,ol-02,yes", "2023-03-01,ol-21,yes"], named: "staff-02",
            mapping: Self.groupMapping(advisor: "staff-02"), in: sandbox)
        let one = try await Registers.importRegister([first], in: sandbox)
        let two = try await Registers.importRegister([second], in: sandbox)
        #expect(one.appended == 1 && two.appended == 1 && one.events[0].id != two.events[0].id)
        #expect(two.events[0].label == "coaching session with staff-02 on 2023-03-01")
        for path in [first, second] {
            let again = try await Registers.importRegister([path], in: sandbox)
            #expect(again.appended == 0 && again.duplicates == 1)
        }
    }

    @Test func aCoachingRegisterImportedByThePreviousBuildImportsAgainAsANoOp() async throws {
        let sandbox = try await Registers.sandbox()
        // The ids the previous scheme derived: register|coaching|oldham|Drop-in|2023-03-01 and …|Leaders|….
        let legacy = ["93948d0e-dc06-8d7f-9c6b-eb112950a2ed", "44e2ed54-2126-8726-8010-9a3e1082c8a9"]
        try await sandbox.importNDJSON(
            Self.storedSession(id: legacy[0], kind: "group", attendees: ["ol-17", "ol-02"], minutes: 60) + "\n"
                + Self.storedSession(id: legacy[1], kind: "group", attendees: ["ol-03"], minutes: 60) + "\n")
        let head = try await sandbox.head()
        let path = try Registers.write(Self.sessionRows, named: "sessions", mapping: Self.sessionMapping, in: sandbox)
        let report = try await Registers.importRegister([path], in: sandbox)
        #expect(report.appended == 0 && report.duplicates == 2)
        #expect(report.events.map(\.id) == legacy && report.events.map(\.status) == ["stored", "stored"])
        #expect(try await sandbox.head() == head)
    }

    @Test func aOneToOneImportedByThePreviousBuildIsKeptAndRowsAddedSinceAreAdded() async throws {
        let sandbox = try await Registers.sandbox()
        // register|coaching|oldham||2023-03-01: the previous build's id for the day's one row.
        let legacy = "d27bb582-9512-88b1-a4ec-67d7eaf9488e"
        try await sandbox.importNDJSON(
            Self.storedSession(id: legacy, kind: "one-to-one", attendees: ["ol-17"], minutes: 30) + "\n")
        let head = try await sandbox.head()
        let path = try Registers.write(
            Self.oneToOneRows, named: "one-to-ones", mapping: Self.oneToOneMapping, in: sandbox)
        let report = try await Registers.importRegister([path], in: sandbox)
        #expect(report.events.map(\.status) == ["stored", "new", "new"])
        #expect(report.events[0].id == legacy && report.appended == 2 && report.head.seq == head.seq + 2)
        let again = try await Registers.importRegister([path], in: sandbox)
        #expect(again.appended == 0 && again.duplicates == 3 && again.events[0].id == legacy)
    }

    @Test func aCoachingRegisterFixedTheWayItsSessionWasCorrectedImportsAsANoOp() async throws {
        let sandbox = try await Registers.sandbox()
        let mapping = Self.groupMapping(advisor: "staff-01")
        let first = try Registers.write(
            ["Date,Member,Came", "2023-03-01,ol-17,yes", "2023-03-01,ol-02,no"], named: "first", mapping: mapping,
            in: sandbox)
        let imported = try await Registers.importRegister([first], in: sandbox)
        // Coaching sessions have no unique slug: the corrected session is found through the correction.
        let correction = try await sandbox.correct(
            imported.events[0].id, ["--reason", "ol-02 came after all", "--add", "attendee=ol-02"])
        let replacement = try #require(correction.appended.last)
        let fixed = try Registers.write(
            ["Date,Member,Came", "2023-03-01,ol-17,yes", "2023-03-01,ol-02,yes"], named: "fixed", mapping: mapping,
            in: sandbox)
        let report = try await Registers.importRegister([fixed], in: sandbox)
        #expect(report.events.map(\.status) == ["stored"] && report.events[0].id == replacement.id)

        let more = try Registers.write(
            ["Date,Member,Came", "2023-03-01,ol-17,yes", "2023-03-01,ol-02,yes", "2023-03-01,ol-21,yes"],
            named: "more", mapping: mapping, in: sandbox)
        let refused = try await sandbox.run(["import", "register", more])
        #expect(refused.status == 65, "\(refused)")
        let command = "    chronicle correct \(replacement.id) --reason 'corrected in more.csv' --add attendee=ol-21"
        #expect(refused.stderrLines.map(String.init).dropFirst().first == command, "\(refused)")
    }

    @Test func oneOneToOneWrittenBySlugOnOneRowAndByNameOnAnotherIsOneSession() async throws {
        let sandbox = try await Registers.sandbox()
        let mapping = """
            {"register": "coaching", "columns": {"date": "Date", "member": "Member", "memberName": "Name",
             "attended": "Came"}, "event": {"collaborative": "oldham", "kind": "one-to-one", "advisor": "staff-01"}}
            """
        // ol-02 is Pat Anchor: lines 2 (marked absent) and 3 are one person's session, line 4 another's.
        let rows = [
            "Date,Member,Name,Came", "2023-03-01,ol-02,,no", "2023-03-01,,Pat Anchor,yes", "2023-03-01,ol-17,,yes",
        ]
        let path = try Registers.write(rows, named: "one-to-ones", mapping: mapping, in: sandbox)
        let head = try await sandbox.head()
        // One session: the sheet contradicts itself about Pat Anchor, and says so on the row.
        let result = try await sandbox.run(["import", "register", path])
        #expect(result.status == 65, "\(result)")
        #expect(
            result.stderr.contains(
                #"line 2: column "Came" (D): ol-02 is marked absent here but attended on line 3 for one-to-one"#),
            "\(result)")
        #expect(try await sandbox.head() == head)
        // Marked absent on both rows, it is one session offered to Pat Anchor that nobody came to.
        let absent = try Registers.write(
            rows.map { $0.replacingOccurrences(of: "Pat Anchor,yes", with: "Pat Anchor,no") }, named: "absent",
            mapping: mapping, in: sandbox)
        let report = try await Registers.importRegister([absent], in: sandbox)
        #expect(report.appended == 2 && report.events.map(\.lines) == [[2, 3], [4]])
        let log = try await sandbox.log(["--type", "CoachingSessionHeld", "--from", "2023-01-01"])
        #expect(log.events.map(\.event.data.attendees) == [[], ["ol-17"]])
    }
}
