import Foundation
import Testing

/// Personal data is stored sealed with a per-member key; `erase member` deletes the key (crypto-shredding)
/// and records `PersonalDataErased`, leaving every figure and the hash chain intact.
@Suite struct PrivacyTests {
    static let name = "Zebedee Quincunx-Marlowe"
    static let note = "moved away for family reasons"
    /// A one-person organisation: it names the member as surely as their name does.
    static let organisation = "Quincunx-Marlowe Tutoring"
    static let laterOrganisation = "Marlowe and Daughter Consultancy"
    static let erasedAt = "2024-09-02T10:00:00Z"

    /// The base history plus ol-21, with a distinctive name, who joins and later leaves with a note.
    static func history() async throws -> Sandbox {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.record([
            "member-joined", "--collaborative", "oldham", "--member", "ol-21", "--sector", "health", "--name", name,
            "--organisation", organisation, "--on", "2021-12-01",
        ])
        try await sandbox.record([
            "member-details-changed", "--member", "ol-21", "--organisation", laterOrganisation, "--on", "2022-06-01",
        ])
        try await sandbox.record([
            "member-left", "--collaborative", "oldham", "--member", "ol-21", "--reason", "other", "--note", note,
            "--on", "2024-03-01",
        ])
        return sandbox
    }

    /// `arguments --json` with the fields that move with every append (the log's head) left out.
    static func figures(
        _ sandbox: Sandbox, _ arguments: [String], now: String = Sandbox.defaultNow
    ) async throws -> NSDictionary {
        let stdout = try await sandbox.succeed(arguments + ["--json", "--as-of", "2024-08-31"], now: now).stdout
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        return object.filter { !["lastSeq", "lastHash", "knownAt", "eventsKnown"].contains($0.key) } as NSDictionary
    }

    static func dataFile(_ sandbox: Sandbox) throws -> Data {
        try Data(contentsOf: sandbox.store.appendingPathComponent("data.mdb"))
    }

    @Test(.lmdbOnly("reads the bytes of data.mdb"))
    func theRawDataFileNeverHoldsANameOrNoteInClear() async throws {
        let sandbox = try await Self.history()
        let bytes = try Self.dataFile(sandbox)
        #expect(bytes.range(of: Data(Self.name.utf8)) == nil)
        #expect(bytes.range(of: Data(Self.note.utf8)) == nil)
        #expect(bytes.range(of: Data(Self.organisation.utf8)) == nil)
        #expect(bytes.range(of: Data(Self.laterOrganisation.utf8)) == nil)
        #expect(bytes.range(of: Data("Oldham Collaborative".utf8)) != nil, "non-personal text stays in clear")
        let replay = try await sandbox.succeed(["replay", "--collaborative", "oldham", "--as-of", "2022-01-01"]).stdout
        #expect(replay.contains(Self.name) && replay.contains(Self.organisation))
        let later = try await sandbox.succeed(["replay", "--collaborative", "oldham", "--as-of", "2022-07-01"]).stdout
        #expect(later.contains(Self.laterOrganisation))
        let log = try await sandbox.succeed(["log", "--member", "ol-21"]).stdout
        #expect(log.contains(Self.organisation) && log.contains(Self.laterOrganisation))
    }

    @Test func erasingAMemberShowsThemAsErasedAndChangesNoFigure() async throws {
        let sandbox = try await Self.history()
        let reports = [
            ["report", "attendance"], ["report", "attrition"], ["audit", "succession"], ["report", "coaching"],
        ]
        var before: [NSDictionary] = []
        for report in reports { before.append(try await Self.figures(sandbox, report)) }

        let erased = try await sandbox.succeed(
            ["erase", "member", "ol-21", "--reason", "request 2024-031", "--json"], now: Self.erasedAt)
        try await validateJSON(erased.stdout, schema: "output/erase.v1")
        #expect(erased.stdout.contains("\"PersonalDataErased\""))

        for (index, report) in reports.enumerated() {
            #expect(try await Self.figures(sandbox, report) == before[index], "\(report)")
        }
        let replay = try await sandbox.succeed([
            "replay", "--collaborative", "oldham", "--as-of", "2022-01-01", "--json",
        ]).stdout
        try await validateJSON(replay, schema: "output/replay.v1")
        #expect(replay.contains(#""erased":true"#))
        #expect(!replay.contains(Self.name))
        let table = try await sandbox.succeed(["replay", "--collaborative", "oldham", "--as-of", "2022-01-01"]).stdout
        let row = try #require(table.split(separator: "\n").first { $0.hasPrefix("ol-21") })
        #expect(row.contains("erased") && row.contains("health") && row.contains("2021-12-01"), "\(row)")
        let log = try await sandbox.succeed(["log", "--member", "ol-21"]).stdout
        #expect(log.contains("personal data of ol-21 erased"))
        #expect(!log.contains(Self.name) && !log.contains(Self.organisation) && !log.contains(Self.laterOrganisation))
        #expect(!table.contains(Self.organisation))
        #expect(try await sandbox.verify().sound)
        let exported = try await sandbox.export()
        #expect(!exported.contains(Self.name) && !exported.contains(Self.note))
        #expect(!exported.contains(Self.organisation) && !exported.contains(Self.laterOrganisation))
        #expect(exported.contains(#""sealed":{"erased":{"name":"#))
        #expect(exported.contains(#""sealed":{"erased":{"organisation":"#), "the later change gives only that")
    }

    @Test func erasingTwiceOrAnUnknownMemberIsRefusedWritingNothing() async throws {
        let sandbox = try await Self.history()
        try await sandbox.succeed(["erase", "member", "ol-21", "--reason", "request"], now: Self.erasedAt)
        try await sandbox.expectRefusal(
            ["erase", "member", "ol-21", "--reason", "again"], now: Self.erasedAt,
            mentioning: ["erasure-final", "ol-21", "already erased"])
        try await sandbox.expectRefusal(
            ["erase", "member", "ol-99", "--reason", "request"], now: Self.erasedAt,
            mentioning: ["member-exists", "ol-99"])
        let usage = try await sandbox.run(["erase", "member", "Not A Slug", "--reason", "x"])
        #expect(usage.status == 64, "\(usage)")
    }

    @Test func personalDataCannotBeRecordedForAnErasedMember() async throws {
        let sandbox = try await Self.history()
        try await sandbox.succeed(["erase", "member", "ol-17", "--reason", "request"], now: Self.erasedAt)
        try await sandbox.expectRefusal(
            ["record", "member-details-changed", "--member", "ol-17", "--name", "New Name", "--on", "2024-08-01"],
            now: Self.erasedAt, mentioning: ["erasure-final", "ol-17"])
        try await sandbox.expectRefusal(
            [
                "record", "member-details-changed", "--member", "ol-17", "--organisation", "Hathershaw Academy",
                "--on", "2024-08-01",
            ],
            now: Self.erasedAt, mentioning: ["erasure-final", "ol-17"])
        try await sandbox.record(
            ["member-details-changed", "--member", "ol-17", "--sector", "health", "--on", "2024-08-01"],
            now: Self.erasedAt)
    }

    @Test func theSameDraftWithANameAppendedTwiceIsADuplicate() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let line =
            #"{"id":"00000000-0000-4000-8000-0000000000a1","type":"MemberJoined","occurredAt":"2022-01-05","data":{"collaborative":"rochdale","member":"ro-09","sector":"camhs","name":"Ada Quill"}}"#
        let first = try await sandbox.importNDJSON(line + "\n")
        let again = try await sandbox.importNDJSON(line + "\n")
        #expect(first.appended == 1)
        #expect(again.appended == 0 && again.duplicates == 1)
        let changed = line.replacingOccurrences(of: "Ada Quill", with: "Ada Quilt")
        try await sandbox.expectImportRefusal([changed], mentioning: ["line 1", "different content"])
    }

    @Test func exportImportExportIsByteIdenticalBeforeAndAfterAnErasure() async throws {
        let sandbox = try await Self.history()
        for erased in [false, true] {
            if erased {
                try await sandbox.succeed(["erase", "member", "ol-21", "--reason", "request"], now: Self.erasedAt)
            }
            let exported = try await sandbox.export()
            #expect(exported.contains(Self.name) == !erased)
            let copy = try await Sandbox.initialised()
            let report = try await copy.importNDJSON(exported, now: "2024-09-03T09:00:00Z")
            #expect(report.restored)
            #expect(report.head == (try await sandbox.head()))
            #expect(Data(try await copy.export().utf8) == Data(exported.utf8))
            #expect(try await copy.verify().sound)
            #expect(exported.contains(Self.organisation) == !erased)
            if Backend.current == .lmdb {
                #expect(try Self.dataFile(copy).range(of: Data(Self.name.utf8)) == nil)
                #expect(try Self.dataFile(copy).range(of: Data(Self.organisation.utf8)) == nil)
            }
            let replay = try await copy.succeed(["replay", "--collaborative", "oldham", "--as-of", "2022-01-01"])
            #expect(replay.stdout.contains(Self.name) == !erased)
            #expect(replay.stdout.contains(Self.organisation) == !erased)
        }
    }

    @Test func inputCannotCarrySealedValues() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let line =
            #"{"type":"MemberJoined","occurredAt":"2022-01-05","data":{"collaborative":"rochdale","member":"ro-09","sector":"camhs","name":{"sealed":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}}"#
        try await sandbox.expectImportRefusal([line], mentioning: ["line 1", "data.name", "expected a string"])
    }

    @Test(.lmdbOnly("an empty data.mdb"))
    func verifyRefusesAZeroLengthDataFileAndLeavesItAlone() async throws {
        let sandbox = try Sandbox()
        try FileManager.default.createDirectory(at: sandbox.store, withIntermediateDirectories: true)
        let dataFile = sandbox.store.appendingPathComponent("data.mdb")
        try Data().write(to: dataFile)
        let result = try await sandbox.run(["verify"])
        #expect(result.status == 74, "\(result)")
        #expect(result.stderr.contains("truncated"), "\(result)")
        let size = try FileManager.default.attributesOfItem(atPath: dataFile.path)[.size] as? NSNumber
        #expect(size?.intValue == 0)
    }
}
