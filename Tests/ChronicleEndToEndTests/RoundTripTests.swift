import Foundation
import Testing

/// `export` then `import` into a fresh store reproduces the log exactly; a tampered export does not
/// restore.
@Suite struct RoundTripTests {
    /// The clock when a copy is restored: after the last event of `history()`.
    static let restoreNow = "2024-09-03T09:00:00Z"

    /// A history with several transaction times, a retraction and a correction.
    static func history() async throws -> Sandbox {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.retract(BaseHistory.workshop, reason: "entered twice", now: "2024-09-01T15:30:00Z")
        try await sandbox.correct(
            BaseHistory.coaching, ["--reason", "minutes misread", "--set", "minutes=90"], now: "2024-09-02T08:00:00Z")
        try await sandbox.record(
            [
                "member-joined", "--collaborative", "rochdale", "--member", "ro-02", "--sector", "camhs", "--on",
                "2024-09-02",
            ],
            now: "2024-09-02T08:00:00.250Z")
        return sandbox
    }

    @Test func exportImportExportIsByteIdentical() async throws {
        let original = try await Self.history()
        let exported = try await original.export()
        #expect(exported.split(separator: "\n").count == BaseHistory.count + 4)

        let copy = try await Sandbox.initialised()
        let report = try await copy.importNDJSON(exported, now: Self.restoreNow)
        #expect(report.restored && report.appended == BaseHistory.count + 4)
        #expect(report.head == (try await original.head()))
        let reexported = try await copy.export()
        #expect(Data(reexported.utf8) == Data(exported.utf8))
        #expect(try await copy.verify().sound)
    }

    @Test func exportToAFileEqualsExportToStandardOutput() async throws {
        let sandbox = try await Self.history()
        let path = sandbox.root.appendingPathComponent("backup.ndjson").path
        try await sandbox.succeed(["export", path])
        let file = try Data(contentsOf: URL(fileURLWithPath: path))
        try await validateNDJSON(String(decoding: file, as: UTF8.self))
        #expect(file == Data(try await sandbox.export().utf8))
    }

    @Test func tamperedHashMakesTheRestoreFailNamingTheLine() async throws {
        let original = try await Self.history()
        var lines = try await original.export().split(separator: "\n").map(String.init)
        let marker = #""hash":""#
        let range = try #require(lines[4].range(of: marker))
        let first = lines[4][range.upperBound]
        lines[4].replaceSubrange(range.upperBound...range.upperBound, with: first == "f" ? "0" : "f")

        let copy = try await Sandbox.initialised()
        try await copy.expectImportRefusal(lines, now: Self.restoreNow, mentioning: ["line 5", "seq 5", "hash"])
        #expect(try await copy.verify().events == 0)
    }

    @Test func tamperedDataMakesTheRestoreFailNamingTheLine() async throws {
        let original = try await Self.history()
        var lines = try await original.export().split(separator: "\n").map(String.init)
        lines[4] = lines[4].replacingOccurrences(of: "Hathershaw College", with: "Hathershaw Academy")

        let copy = try await Sandbox.initialised()
        try await copy.expectImportRefusal(lines, now: Self.restoreNow, mentioning: ["line 5", "seq 5"])
    }

    @Test func exportCannotBeRestoredIntoAStoreThatIsNotEmpty() async throws {
        let original = try await Self.history()
        let exported = try await original.export()
        let other = try await Sandbox.initialised()
        try await other.record([
            "collaborative-formed", "--collaborative", "wigan", "--name", "Wigan", "--anchor-organisation",
            "Wigan Council", "--programme-start", "2021-09-01", "--on", "2021-09-01",
        ])
        try await other.expectImportRefusal(
            exported.split(separator: "\n").map(String.init), now: Self.restoreNow,
            mentioning: ["line 1", "recordedAt"])
    }

    @Test func appendsAfterARestoreNeverGoBackInTransactionTime() async throws {
        let original = try await Self.history()
        let copy = try await Sandbox.initialised()
        let restored = try await copy.importNDJSON(try await original.export(), now: Self.restoreNow)
        let restoredAt = try #require(restored.head.recordedAt.flatMap(Instant.init))
        let report = try await copy.record(
            [
                "member-joined", "--collaborative", "rochdale", "--member", "ro-03", "--sector", "camhs", "--on",
                "2024-08-01",
            ],
            now: "2024-09-02T07:58:00Z")  // behind the restored head, within the clock's tolerance
        let event = try #require(report.appended.first)
        #expect(event.seq == restored.head.seq + 1)
        let recordedAt = try #require(Instant(event.recordedAt))
        #expect(recordedAt >= restoredAt)
        #expect(try await copy.verify().sound)
    }
}
