import Foundation
import SwiftCSV
import Testing

/// Issue 16: text that is hostile or careless (formulas for a spreadsheet, control characters for a
/// terminal, blank names) is refused or neutralised, and the members' keys stay out of `log` and `record`.
@Suite struct HostileTextTests {
    static func quoted(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data(), as: UTF8.self)
    }

    /// An import line: ol-50 joins oldham, with `extra` (already JSON) added to `data`.
    static func joining(_ extra: String) -> String {
        #"{"type":"MemberJoined","occurredAt":"2022-01-01","data":{"collaborative":"oldham","member":"ol-50","sector":"health"\#(extra)}}"#
    }

    // MARK: - CSV formula injection

    @Test func csvCellsThatASpreadsheetWouldRunAsFormulasAreNeutralisedAndReadBack() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let members = [
            ("ol-51", #"=HYPERLINK("http://evil.example","click")"#, "@SUM(1+1)"),
            ("ol-52", "+44 161 555 0100", "-2+3"),
        ]
        for (member, name, organisation) in members {
            try await sandbox.record([
                "member-joined", "--collaborative", "oldham", "--member", member, "--sector", "health", "--name",
                name, "--organisation=\(organisation)", "--on", "2022-01-01",
            ])
        }
        let stdout = try await sandbox.succeed([
            "replay", "--collaborative", "oldham", "--as-of", "2022-02-01", "--csv",
        ]).stdout
        let csv = try EnumeratedCSV(string: stdout, delimiter: .comma, loadColumns: false, rowLimit: 0)
        var rows: [[String]] = []
        try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { rows.append($0) }
        let member = try #require(csv.header.firstIndex(of: "member"))
        let name = try #require(csv.header.firstIndex(of: "name"))
        let organisation = try #require(csv.header.firstIndex(of: "organisation"))
        for (slug, expectedName, expectedOrganisation) in members {
            let row = try #require(rows.first { $0.count == csv.header.count && $0[member] == slug }, "\(stdout)")
            #expect(row[name] == "'" + expectedName)
            #expect(row[organisation] == "'" + expectedOrganisation)
        }
        for row in rows where row.count == csv.header.count {
            for cell in row {
                #expect(!["=", "+", "-", "@"].contains(cell.first.map(String.init) ?? ""), "\(cell)")
            }
        }
    }

    // MARK: - Control characters and blank text on input

    @Test func aNameWithAnEscapeSequenceIsRefusedOnRecordNamingTheFlag() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-joined", "--collaborative", "oldham", "--member", "ol-50", "--sector", "health",
                "--name", "Sam\u{1B}]0;owned\u{07}\u{1B}[31m Smith", "--on", "2022-01-01",
            ],
            mentioning: ["--name", "control character", "U+001B"])
    }

    @Test func aWhitespaceOnlyNameIsRefusedOnRecordNamingTheFlag() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-joined", "--collaborative", "oldham", "--member", "ol-50", "--sector", "health",
                "--name", " \u{3000} ", "--on", "2022-01-01",
            ],
            mentioning: ["--name", "blank"])
    }

    static let hostileLines: [(line: String, fragments: [String])] = [
        (joining(#","name":"Sam\u001b[2JSmith""#), ["data.name", "U+001B"]),
        (joining(#","name":"Sam\nSmith""#), ["data.name", "U+000A"]),
        (joining(#","name":"Sam\rSmith""#), ["data.name", "U+000D"]),
        (joining(#","name":"Sam\u0000""#), ["data.name", "U+0000"]),
        (joining(#","name":"   ""#), ["data.name", "blank"]),
        (joining(#","organisation":"Acme \u202Eeman""#), ["data.organisation", "U+202E"]),
        (joining(#","organisation":"Acme\u2066x\u2069""#), ["data.organisation", "U+2066"]),
        (joining(#","organisation":"Acme\u009b31m""#), ["data.organisation", "U+009B"]),
        (
            #"{"type":"SubGroupFormed","occurredAt":"2022-02-01","data":{"collaborative":"oldham","subgroup":"x","title":"Data\ttools","aim":"aim"}}"#,
            ["data.title", "U+0009"]
        ),
        (
            #"{"type":"MemberLeft","occurredAt":"2022-02-01","data":{"collaborative":"oldham","member":"ol-01","reason":"other","note":"bye\u0007"}}"#,
            ["data.note", "U+0007"]
        ),
    ]

    @Test(arguments: hostileLines.indices)
    func controlCharactersAndBlankTextAreRefusedOnImportNamingTheLineAndTheField(_ index: Int) async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let valid =
            #"{"type":"SurveyWaveClosed","occurredAt":"2023-07-14","data":{"collaborative":"oldham","wave":"2023","invited":12,"responded":9}}"#
        let bad = Self.hostileLines[index]
        try await sandbox.expectImportRefusal([valid, bad.line], mentioning: ["line 2"] + bad.fragments)
    }

    @Test func aRegisterTitleWithAControlCharacterIsRefused() async throws {
        let sandbox = try await RegisterImportTests.sandbox()
        let mapping = RegisterImportTests.mapping.replacingOccurrences(
            of: #""title": "Autumn""#, with: #""title": "Autumn\u001b]0;owned\u0007""#)
        let path = try RegisterImportTests.write(RegisterImportTests.register, mapping: mapping, in: sandbox)
        let before = try await sandbox.head()
        let result = try await sandbox.run(["import", "register", path])
        #expect(result.status == 65 && result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.contains("title") && result.stderr.contains("U+001B"), "\(result)")
        #expect(!result.stderr.contains("\u{1B}"), "the error itself prints no escape character")
        #expect(try await sandbox.head() == before)
    }

    @Test func aRetractionReasonWithAControlCharacterIsRefusedNamingTheFlag() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let recorded = try await sandbox.record([
            "member-joined", "--collaborative", "oldham", "--member", "ol-50", "--sector", "health",
            "--on", "2022-01-01",
        ])
        let id = try #require(recorded.appended.first?.id)
        try await sandbox.expectRefusal(
            ["retract", id, "--reason", "typo\u{1B}[8m"], mentioning: ["reason", "U+001B"])
    }

    @Test func textWithoutControlCharactersIsStillAccepted() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.record([
            "member-joined", "--collaborative", "oldham", "--member", "ol-50", "--sector", "health",
            "--name", "Zoë O’Brien-Nakamura (עברית)", "--organisation", "Café  \u{200D} Ltd", "--on", "2022-01-01",
        ])
    }

    // MARK: - Keys stay in exports

    @Test func recordAndLogJSONNeverPrintAMembersKeyButExportDoes() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let recorded = try await sandbox.succeed([
            "record", "member-joined", "--collaborative", "oldham", "--member", "ol-50", "--sector", "health",
            "--name", "Sam Smith", "--on", "2022-01-01", "--json",
        ]).stdout
        try await validateJSON(recorded, schema: "output/record.v1")
        #expect(recorded.contains("Sam Smith"))
        #expect(!recorded.contains(#""key""#), "\(recorded)")
        let log = try await sandbox.succeed(["log", "--member", "ol-50", "--json"]).stdout
        try await validateJSON(log, schema: "output/log.v1")
        #expect(log.contains("Sam Smith"))
        #expect(!log.contains(#""key""#), "\(log)")
        let export = try await sandbox.export()
        #expect(export.contains(#""sealed":{"key":"#))
    }

    // MARK: - Erasure hides the organisation

    @Test func afterErasureNoOutputShowsTheMembersOrganisationWhateverTheKnowledgeTime() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let joinedAt = "Quincunx Family Practice"
        let movedTo = "Quincunx Wellbeing Ltd"
        // Recorded late (after K1 below), so that `diff` lists ol-21 among the changes.
        let lateEntry = "2024-09-01T13:00:00Z"
        try await sandbox.record(
            [
                "member-joined", "--collaborative", "oldham", "--member", "ol-21", "--sector", "health", "--name",
                "Zebedee Quincunx", "--organisation", joinedAt, "--on", "2021-12-01",
            ], now: lateEntry)
        try await sandbox.record(
            ["member-details-changed", "--member", "ol-21", "--organisation", movedTo, "--on", "2022-06-01"],
            now: lateEntry)
        let erasedAt = "2024-09-02T10:00:00Z"
        let later = "2024-09-03T10:00:00Z"
        let before = try await sandbox.succeed(["log", "--member", "ol-21"], now: lateEntry).stdout
        #expect(before.contains(joinedAt) && before.contains(movedTo), "the test shows what it hides: \(before)")
        try await sandbox.succeed(["erase", "member", "ol-21", "--reason", "request 2024-031"], now: erasedAt)

        var outputs: [[String]] = []
        for format in [[], ["--json"]] {
            outputs.append(["log", "--member", "ol-21"] + format)
            outputs.append(["status"] + format)
        }
        for knownAt in [[], ["--known-at", "2024-09-01T14:00:00Z"]] {
            for asOf in ["2022-01-01", "2023-01-01"] {
                for format in [[], ["--json"], ["--csv"]] {
                    outputs.append(["replay", "--collaborative", "oldham", "--as-of", asOf] + knownAt + format)
                    outputs.append(
                        ["diff", "--known-at", "2024-09-01T12:30:00Z", "--as-of", asOf]
                            + (knownAt.isEmpty ? [] : ["--against", "2024-09-01T14:00:00Z"]) + format)
                }
            }
        }
        for arguments in outputs {
            let result = try await sandbox.run(arguments, now: later)
            #expect(result.status == 0, "\(result)")
            #expect(
                !result.stdout.contains(joinedAt) && !result.stdout.contains(movedTo), "\(arguments): \(result.stdout)")
            #expect(!result.stdout.contains("Zebedee"), "\(arguments)")
        }
        let replay = try await sandbox.succeed(
            ["replay", "--collaborative", "oldham", "--as-of", "2023-01-01", "--known-at", "2024-09-01T14:00:00Z"],
            now: later
        ).stdout
        let row = try #require(replay.split(separator: "\n").first { $0.hasPrefix("ol-21") })
        #expect(row.contains("erased") && row.contains("health"), "\(row)")
        #expect(try await sandbox.verify().sound)
    }
}
