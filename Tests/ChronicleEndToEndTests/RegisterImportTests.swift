import Foundation
import Testing

/// `chronicle import register`: attendance registers from spreadsheets, through a mapping file.
@Suite struct RegisterImportTests {
    /// Members with names to find, added to the base history: two called Sam Smith in oldham, and a Jo
    /// Bloggs in rochdale; ol-02 is Pat Anchor (base history).
    static let namedMembers = [
        #"{"type":"MemberJoined","occurredAt":"2022-01-10","data":{"collaborative":"oldham","member":"ol-21","sector":"health","name":"Sam Smith"}}"#,
        #"{"type":"MemberJoined","occurredAt":"2022-01-10","data":{"collaborative":"oldham","member":"ol-22","sector":"health","name":"Sam Smith"}}"#,
        #"{"type":"MemberJoined","occurredAt":"2022-01-10","data":{"collaborative":"rochdale","member":"ro-02","sector":"health","name":"Jo Bloggs"}}"#,
    ]

    static let mapping = """
        {"register": "workshop", "dateFormat": "DD/MM/YYYY",
         "columns": {"date": "Date", "workshop": "Workshop", "member": "Member ID", "memberName": "Name",
                     "attended": "Attended"},
         "event": {"collaboratives": ["oldham"], "kind": "collaborative", "mode": "in-person", "title": "Autumn"}}
        """

    static let header = "Date,Workshop,Member ID,Name,Attended"

    /// Two workshops: ol-ws-20 (ol-17 and Pat Anchor came, a Sam Smith did not) and ol-ws-21 (Pat Anchor).
    static let register = [
        header, "12/10/2023,ol-ws-20,ol-17,,yes", "12/10/2023,ol-ws-20,,Pat Anchor,Y",
        "12/10/2023,ol-ws-20,,Sam Smith,no", "19/10/2023,ol-ws-21,,pat  anchor,x", "19/10/2023,ol-ws-21,ol-17,,",
    ]

    static func sandbox() async throws -> Sandbox {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.importNDJSON(namedMembers.joined(separator: "\n") + "\n")
        return sandbox
    }

    /// Writes `rows` as `NAME.csv` (CRLF, as spreadsheets do) and the mapping beside it; returns the CSV's path.
    static func write(_ rows: [String], named name: String = "register", mapping: String = mapping, in sandbox: Sandbox)
        throws -> String
    {
        _ = try sandbox.file("\(name).mapping.json", mapping)
        return try sandbox.file("\(name).csv", rows.joined(separator: "\r\n") + "\r\n")
    }

    /// `import register --json`, expecting success, its output validated against the schema.
    @discardableResult
    static func importRegister(
        _ arguments: [String], in sandbox: Sandbox, now: String = Sandbox.defaultNow,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> RegisterReport {
        let result = try await sandbox.succeed(
            ["import", "register", "--json"] + arguments, now: now, sourceLocation: sourceLocation)
        try await validateJSON(result.stdout, schema: "output/import-register.v1", sourceLocation: sourceLocation)
        return try decode(RegisterReport.self, from: result.stdout)
    }

    /// Expects exit 65, nothing on stdout, the head unchanged, and exactly `lines` on stderr, each holding
    /// every fragment of its entry, in order.
    static func expectRefusal(
        _ arguments: [String], in sandbox: Sandbox, lines expected: [[String]],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let before = try await sandbox.head(sourceLocation: sourceLocation)
        let result = try await sandbox.run(["import", "register"] + arguments)
        #expect(result.status == 65 && result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderrLines.count == expected.count, "\(result)", sourceLocation: sourceLocation)
        for (line, fragments) in zip(result.stderrLines, expected) {
            for fragment in fragments {
                #expect(line.contains(fragment), "\(line) lacks \(fragment)", sourceLocation: sourceLocation)
            }
        }
        #expect(try await sandbox.head(sourceLocation: sourceLocation) == before, sourceLocation: sourceLocation)
    }

    // MARK: - Importing

    @Test func aRegisterBecomesOneWorkshopPerWorkshopAndDate() async throws {
        let sandbox = try await Self.sandbox()
        let path = try Self.write(Self.register, in: sandbox)
        let before = try await sandbox.head()
        let report = try await Self.importRegister([path], in: sandbox)
        #expect(report.rows == 5 && report.appended == 2 && report.duplicates == 0 && !report.dryRun)
        #expect(report.head.seq == before.seq + 2)
        #expect(report.events.map(\.lines) == [[2, 3, 4], [5, 6]])
        #expect(report.events.map(\.attendees) == [["ol-17", "ol-02"], ["ol-02"]])
        let log = try await sandbox.log(["--type", "WorkshopHeld", "--from", "2023-10-01"])
        #expect(log.events.map(\.event.data.workshop) == ["ol-ws-20", "ol-ws-21"])
        #expect(log.events.map(\.event.id) == report.events.map(\.id))
        #expect(log.events.first?.event.data.attendees == ["ol-17", "ol-02"])
        #expect(log.events.allSatisfy { $0.event.recordedBy == "tester" })
    }

    @Test func importingTheSameRegisterAgainWritesNothing() async throws {
        let sandbox = try await Self.sandbox()
        let path = try Self.write(Self.register, in: sandbox)
        let first = try await Self.importRegister([path], in: sandbox)
        let head = try await sandbox.head()
        let second = try await Self.importRegister([path], in: sandbox, now: "2024-09-05T10:00:00Z")
        #expect(second.appended == 0 && second.duplicates == 2 && second.events.allSatisfy { !$0.appended })
        #expect(second.events.map(\.id) == first.events.map(\.id))
        #expect(try await sandbox.head() == head)
    }

    @Test func aChangedRegisterIsRefusedRatherThanRecordedTwice() async throws {
        let sandbox = try await Self.sandbox()
        let path = try Self.write(Self.register, in: sandbox)
        try await Self.importRegister([path], in: sandbox)
        let marked = try Self.write(
            Self.register.map { $0.replacingOccurrences(of: "ol-ws-21,ol-17,,", with: "ol-ws-21,ol-17,,yes") },
            named: "marked", in: sandbox)
        try await Self.expectRefusal(
            [marked], in: sandbox,
            lines: [
                [
                    "lines 5-6:", "workshop ol-ws-21 on 2023-10-19 differs from the stored event",
                    "ol-17 added (line 6)",
                ],
                ["chronicle correct", "--add attendee=ol-17"], ["nothing was written", "--apply-corrections"],
            ])
    }

    @Test func dryRunChecksEverythingAndWritesNothing() async throws {
        let sandbox = try await Self.sandbox()
        let path = try Self.write(Self.register, in: sandbox)
        let head = try await sandbox.head()
        let report = try await Self.importRegister([path, "--dry-run"], in: sandbox)
        #expect(report.dryRun && report.appended == 2 && report.head.seq == head.seq + 2)
        #expect(try await sandbox.head() == head)
        let text = try await sandbox.succeed(["import", "register", path, "--dry-run"])
        #expect(text.stdout.contains("would import 2 events from 5 rows"), "\(text)")
        #expect(text.stdout.contains("workshop ol-ws-20") && text.stdout.contains("2-4"), "\(text)")
        #expect(try await sandbox.head() == head)
    }

    @Test func theMappingMayBeGivenElsewhere() async throws {
        let sandbox = try await Self.sandbox()
        let csv = try sandbox.file("sheet.csv", Self.register.joined(separator: "\n"))
        let mapping = try sandbox.file("workshops.json", Self.mapping)
        let report = try await Self.importRegister([csv, "--mapping", mapping], in: sandbox)
        #expect(report.appended == 2)
        let missing = try await sandbox.run(["import", "register", try sandbox.file("other.csv", "Date\n")])
        #expect(missing.status == 66 && missing.stderr.contains("other.mapping.json"), "\(missing)")
    }

    @Test func aSemicolonSeparatedRegisterReadsFromStandardInput() async throws {
        let sandbox = try await Self.sandbox()
        let mapping = try sandbox.file(
            "semicolons.json",
            Self.mapping.replacingOccurrences(of: #""register""#, with: #""delimiter": ";", "register""#))
        let csv = Self.register.map { $0.replacingOccurrences(of: ",", with: ";") }.joined(separator: "\n")
        let result = try await sandbox.succeed(
            ["import", "register", "-", "--mapping", mapping, "--json"], input: Data(csv.utf8))
        #expect(try decode(RegisterReport.self, from: result.stdout).appended == 2)
        let usage = try await sandbox.run(["import", "register", "-"], input: Data(csv.utf8))
        #expect(usage.status == 64 && usage.stderr.contains("--mapping"), "\(usage)")
    }

    @Test func aRegisterThatIsNotUTF8IsRefused() async throws {
        let sandbox = try await Self.sandbox()
        _ = try sandbox.file("latin.mapping.json", Self.mapping)
        // "René" in Latin-1, as an older spreadsheet might save it.
        let bytes = Array((Self.header + "\n12/10/2023,ol-ws-20,,Ren").utf8) + [0xE9] + Array(",yes\n".utf8)
        let path = try sandbox.file("latin.csv", Data(bytes))
        try await Self.expectRefusal([path], in: sandbox, lines: [["latin.csv is not UTF-8 text", "CSV UTF-8"]])
    }

    // MARK: - One error per bad row, naming the line and the column; nothing written

    @Test func aBadDateIsNamedByRowAndColumn() async throws {
        let sandbox = try await Self.sandbox()
        let path = try Self.write(Self.register + ["2023-10-26,ol-ws-22,ol-17,,yes"], in: sandbox)
        try await Self.expectRefusal(
            [path], in: sandbox,
            lines: [[#"line 7: column "Date" (A): "2023-10-26" is not a date in the format DD/MM/YYYY"#]])
    }

    @Test func aRowWithFewerCellsThanTheHeaderIsRefusedRatherThanReadAsAbsent() async throws {
        let sandbox = try await Self.sandbox()
        let path = try Self.write(Self.register + ["26/10/2023,ol-ws-22,ol-17"], in: sandbox)
        try await Self.expectRefusal(
            [path], in: sandbox, lines: [["line 7: the row has 3 cells, the header has 5"]])
    }

    @Test func aMemberMarkedAttendedAndAbsentInOneRegisterIsRefusedNamingBothLines() async throws {
        let sandbox = try await Self.sandbox()
        let path = try Self.write(
            [
                Self.header, "26/10/2023,ol-ws-22,ol-17,,yes", "26/10/2023,ol-ws-22,,Pat Anchor,yes",
                "26/10/2023,ol-ws-22,ol-17,,no",
            ], in: sandbox)
        try await Self.expectRefusal(
            [path], in: sandbox,
            lines: [[#"line 4: column "Attended" (E): ol-17 is marked absent here but attended on line 2"#]])
    }

    @Test func aRegisterDateBefore1900IsNamedByRowAndColumn() async throws {
        let sandbox = try await Self.sandbox()
        let path = try Self.write(Self.register + ["26/10/0023,ol-ws-22,ol-17,,yes"], in: sandbox)
        try await Self.expectRefusal(
            [path], in: sandbox,
            lines: [[#"line 7: column "Date" (A): "26/10/0023" is 0023-10-26, outside the accepted dates"#]])
    }

    @Test func anUnknownMemberIsNamedByRowAndColumn() async throws {
        let sandbox = try await Self.sandbox()
        let path = try Self.write(Self.register + ["26/10/2023,ol-ws-22,ol-99,,yes"], in: sandbox)
        try await Self.expectRefusal(
            [path], in: sandbox, lines: [[#"line 7: column "Member ID" (C): unknown member ol-99"#]])
    }

    @Test func anUnknownNameIsNamedByRowAndColumn() async throws {
        let sandbox = try await Self.sandbox()
        let path = try Self.write(Self.register + ["26/10/2023,ol-ws-22,,Jo Bloggs,yes"], in: sandbox)
        try await Self.expectRefusal(
            [path], in: sandbox,
            lines: [
                [
                    #"line 7: column "Name" (D): unknown name: no member named "Jo Bloggs" is active in oldham"#,
                    "ro-02 has that name but is not active there that day",
                ]
            ])
    }

    @Test func anAmbiguousNameIsNamedByRowAndColumn() async throws {
        let sandbox = try await Self.sandbox()
        let path = try Self.write(Self.register + ["26/10/2023,ol-ws-22,,sam smith,yes"], in: sandbox)
        try await Self.expectRefusal(
            [path], in: sandbox,
            lines: [[#"line 7: column "Name" (D): ambiguous name: "sam smith" is the name of ol-21, ol-22"#]])
    }

    @Test func aBadAttendedValueIsNamedByRowAndColumn() async throws {
        let sandbox = try await Self.sandbox()
        let path = try Self.write(Self.register + ["26/10/2023,ol-ws-22,ol-17,,maybe"], in: sandbox)
        try await Self.expectRefusal(
            [path], in: sandbox,
            lines: [[#"line 7: column "Attended" (E): "maybe" means neither attended (yes, y, x, 1, true)"#]])
    }

    @Test func aMissingColumnIsNamedOnTheHeaderLine() async throws {
        let sandbox = try await Self.sandbox()
        let rows = ["Date,Workshop,Member,Name,Attended"] + Self.register.dropFirst()
        let path = try Self.write(rows, in: sandbox)
        try await Self.expectRefusal(
            [path], in: sandbox,
            lines: [[#"line 1: column "Member ID" (columns.member in the mapping) is not in the header"#]])
    }

    @Test func everyBadRowIsReportedOnItsOwnLine() async throws {
        let sandbox = try await Self.sandbox()
        let path = try Self.write(
            Self.register + [
                "26/10/2023,ol-ws-22,ol-99,,yes", "26/10/2023,ol-ws-22,ol-17,,yes", "26/10/2023,ol-ws-22,,Nobody,yes",
                "31/11/2023,ol-ws-23,ol-17,,perhaps",
            ], in: sandbox)
        try await Self.expectRefusal(
            [path], in: sandbox,
            lines: [
                ["line 7:", "Member ID", "ol-99"], ["line 9:", "Name", "Nobody"],
                ["line 10:", #"column "Date" (A)"#, #"column "Attended" (E)"#],
            ])
    }

    @Test func anAttendeeWhoHadLeftBreaksTheMemberActiveRuleOnTheirRow() async throws {
        let sandbox = try await Self.sandbox()
        // ol-03 left oldham on 2023-07-20.
        let path = try Self.write(Self.register + ["26/10/2023,ol-ws-22,ol-03,,yes"], in: sandbox)
        try await Self.expectRefusal(
            [path], in: sandbox,
            lines: [
                [
                    #"line 7: column "Member ID" (C): rule member-active: attendee ol-03 is not an active member of oldham on 2023-10-26"#
                ]
            ])
    }

    @Test func aRuleBrokenByOneEventWritesNoneOfThem() async throws {
        let sandbox = try await Self.sandbox()
        // The base history holds workshop ol-ws-01 on 2022-03-10: the slug is taken.
        let path = try Self.write(Self.register + ["26/10/2023,ol-ws-01,ol-17,,yes"], in: sandbox)
        try await Self.expectRefusal(
            [path], in: sandbox, lines: [["line 7:", "workshop ol-ws-01 on 2023-10-26", "rule unique-slug"]])
        let log = try await sandbox.log(["--type", "WorkshopHeld", "--from", "2023-10-01"])
        #expect(log.events.isEmpty)
    }

    @Test func aSlugTakenByAStoredWorkshopOnALaterDayIsRefusedOnTheRegistersLine() async throws {
        let sandbox = try await Self.sandbox()
        // The base history holds workshop ol-ws-01 on 2022-03-10; the register uses the slug a week earlier, so on
        // the timeline the stored workshop is the second use: the register's row is still the one at fault.
        let path = try Self.write(Self.register + ["03/03/2022,ol-ws-01,ol-17,,yes"], in: sandbox)
        try await Self.expectRefusal(
            [path], in: sandbox,
            lines: [
                [
                    "line 7:", "workshop ol-ws-01 on 2022-03-03", "rule unique-slug",
                    "stored event 00000000-0000-4000-8000-000000000012", "would become invalid",
                ]
            ])
        let log = try await sandbox.log(["--type", "WorkshopHeld", "--to", "2022-03-09"])
        #expect(log.events.isEmpty)
    }

    @Test func aStrayQuoteIsNamedByLine() async throws {
        let sandbox = try await Self.sandbox()
        let path = try Self.write(Self.register + [#"26/10/2023,ol-ws-22,ol-17,"Pat" Anchor,yes"#], in: sandbox)
        try await Self.expectRefusal([path], in: sandbox, lines: [["line 7: not readable as CSV", "quote"]])
    }

    // MARK: - The examples

    @Test func theExampleRegistersImportIntoTheDemoStoreOnce() async throws {
        let sandbox = try Sandbox()
        try await sandbox.succeed(["demo"])
        let examples = Locations.packageRoot.appendingPathComponent("Examples/registers")
        let workshops = examples.appendingPathComponent("oldham-summer-2024.csv").path
        let report = try await Self.importRegister([workshops], in: sandbox, now: "2024-09-20T09:00:00Z")
        #expect(report.rows == 12 && report.appended == 2)
        // Line 12's note spans two lines, so the last row is on line 14.
        #expect(report.events.map(\.lines) == [[2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 14]])
        #expect(
            report.events.map(\.attendees) == [
                ["ol-02", "ol-03", "ol-08", "ol-22"], ["ol-02", "ol-05", "ol-09", "ol-21", "ol-23"],
            ])
        let coaching = examples.appendingPathComponent("oldham-coaching-summer-2024.csv").path
        let sessions = try await Self.importRegister([coaching], in: sandbox, now: "2024-09-20T09:00:00Z")
        #expect(sessions.events.map(\.attendees) == [["ol-03"], [], ["ol-02", "ol-20"]])
        let again = try await Self.importRegister([workshops], in: sandbox, now: "2024-09-21T09:00:00Z")
        #expect(again.appended == 0 && again.duplicates == 2)
    }

    @Test func importFileStillTakesAFileDirectlyOrByName() async throws {
        let sandbox = try await Sandbox.initialised()
        let path = try sandbox.file("events.ndjson", BaseHistory.ndjson)
        let explicit = try await sandbox.succeed(["import", "file", "--dry-run", "--json", path])
        #expect(try decode(ImportReport.self, from: explicit.stdout).appended == BaseHistory.count)
        let direct = try await sandbox.succeed(["import", "--dry-run", path])
        #expect(direct.stdout.contains("would import \(BaseHistory.count) events"), "\(direct)")
    }
}

/// `import register --json` (`Schemas/output/import-register.v1.schema.json`).
struct RegisterReport: Decodable, Sendable {
    struct Event: Decodable, Sendable {
        struct Stored: Decodable, Sendable {
            let id: String
            let seq: Int
        }

        struct Difference: Decodable, Sendable {
            let field: String
            let stored: String?
            let register: String?
            let added: [String]?
            let removed: [String]?
            let lines: [Int]
        }

        struct Retraction: Decodable, Sendable {
            let id: String
            let seq: Int
            let occurredAt: String
            let reason: String
        }

        let id: String
        let type: String
        let occurredAt: String
        let label: String
        let attendees: [String]
        let lines: [Int]
        let appended: Bool
        let status: String
        let corrects: Stored?
        let differences: [Difference]?
        let retraction: Retraction?
    }

    let rows: Int
    let appended: Int
    let duplicates: Int
    let corrected: Int
    let retracted: Int
    let dryRun: Bool
    let head: Head
    let events: [Event]
}
