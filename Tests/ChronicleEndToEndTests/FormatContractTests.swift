import Foundation
import Testing

/// Issue 18, item 9: FORMAT.md is a contract that a verifier in another language can check from the bytes.
/// `scripts/verify_format.py` is written from FORMAT.md alone (it imports nothing of Chronicle's); these tests
/// run it on a store and an export the binary wrote, so that the document cannot drift from the code.
@Suite struct FormatContractTests {
    /// Every kind of payload the format defines: personal fields sealed (name, organisation, a note), an
    /// erased member's sealed bytes, every field kind, an instant's `occurredAt`, a retraction.
    static let lines = [
        #"{"id":"00000000-0000-4000-8000-000000000101","type":"MemberJoined","occurredAt":"2024-01-08","data":{"collaborative":"oldham","member":"ol-40","name":"Zoë O’Brien","sector":"health","organisation":"Pennine Care"}}"#,
        #"{"id":"00000000-0000-4000-8000-000000000102","type":"MemberDetailsChanged","occurredAt":"2024-02-01T09:30:00+01:00","data":{"member":"ol-40","organisation":"Oldham Care Organisation"}}"#,
        #"{"id":"00000000-0000-4000-8000-000000000103","type":"SurveyWaveClosed","occurredAt":"2024-03-01","data":{"collaborative":"oldham","wave":"Spring \"24\" \\ 2","invited":130,"responded":0}}"#,
        #"{"id":"00000000-0000-4000-8000-000000000104","type":"MemberLeft","occurredAt":"2024-04-02","data":{"collaborative":"oldham","member":"ol-40","reason":"role-change","note":"moved to a new post"}}"#,
        #"{"id":"00000000-0000-4000-8000-000000000105","type":"EventRetracted","occurredAt":"2024-04-03","data":{"event":"00000000-0000-4000-8000-000000000103","reason":"entered twice"}}"#,
    ]

    @Test func anIndependentVerifierRecomputesEveryHashOfAnExportFromItsBytes() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.importNDJSON(Self.lines.joined(separator: "\n") + "\n")
        try await sandbox.succeed(["erase", "member", "ol-40", "--reason", "request 2024-031"])
        let export = try await sandbox.export()
        #expect(export.contains(#""erased":{"#), "the export holds an erased member's sealed bytes")
        let path = try sandbox.file("export.ndjson", export)
        var arguments = ["--export", path]
        // A store on PostgreSQL has no files to open; its export is held to the same hashes.
        if Backend.current == .lmdb { arguments = ["--store", sandbox.storeLocation] + arguments }
        let result = try await Self.verifyFormat(arguments, in: sandbox)
        #expect(result.status == 0, "\(result)")
        let count = BaseHistory.count + Self.lines.count + 1
        #expect(result.stdout.contains("\(count) lines"), "\(result)")
    }

    @Test func theVerifierNamesTheLineWhoseBytesItsHashDoesNotCover() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.importNDJSON(Self.lines.joined(separator: "\n") + "\n")
        let export = try await sandbox.export()
        // The export as written passes: its personal fields, sealed again with the keys it carries, give its hashes.
        let sound = try await Self.verifyFormat(["--export", try sandbox.file("export.ndjson", export)], in: sandbox)
        #expect(sound.status == 0, "\(sound)")
        let damaged = export.replacingOccurrences(of: "Pennine Care", with: "Pennine Cars")
        #expect(damaged != export)
        let result = try await Self.verifyFormat(
            ["--export", try sandbox.file("damaged.ndjson", damaged)], in: sandbox)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("line \(BaseHistory.count + 1): "), "\(result)")
    }

    /// Runs `scripts/verify_format.py` with `arguments`.
    static func verifyFormat(_ arguments: [String], in sandbox: Sandbox) async throws -> CommandResult {
        let script = Locations.packageRoot.appendingPathComponent("scripts/verify_format.py")
        return try await CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path] + arguments,
            environment: CommandRunner.cleanEnvironment, workDirectory: sandbox.root)
    }
}
