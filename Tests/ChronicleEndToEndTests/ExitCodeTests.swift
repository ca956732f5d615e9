import Foundation
import Testing

/// The exit codes of issue 3: 0 ok, 64 usage, 65 invalid data, 66 store missing, 73 conflict
/// (expected version); and idempotent `record --id`.
@Suite struct ExitCodeTests {
    @Test func unknownFlagIsAUsageError() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.run(["log", "--bogus"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("--bogus"), "\(result)")
    }

    @Test func missingRequiredOptionIsAUsageError() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.run(["record", "member-joined", "--collaborative", "oldham", "--member", "x"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("--on"), "\(result)")
        let retract = try await sandbox.run(["retract", BaseHistory.workshop])
        #expect(retract.status == 64, "\(retract)")
        #expect(retract.stderr.contains("--reason"), "\(retract)")
    }

    @Test func invalidDataExitsWith65() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-joined", "--collaborative", "oldham", "--member", "ol-50", "--sector",
                "dentistry", "--on", "2022-01-01",
            ],
            mentioning: ["--sector", "dentistry"])
    }

    @Test func missingStoreExitsWith66() async throws {
        let sandbox = try Sandbox()
        let empty = sandbox.root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let log = try await sandbox.run(["log", "--store", empty.path])
        #expect(log.status == 66, "\(log)")
        #expect(log.stderr.contains(empty.path), "\(log)")
        let record = try await sandbox.run([
            "record", "collaborative-formed", "--collaborative", "wigan", "--name", "Wigan", "--anchor-organisation",
            "Wigan Council", "--programme-start", "2021-09-01", "--on", "2021-09-01",
        ])
        #expect(record.status == 66, "\(record)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.store.path), "record must not create a store")
    }

    @Test func expectedVersionConflictExitsWith73() async throws {
        let sandbox = try await Sandbox.initialised()
        let formed = try await sandbox.record([
            "collaborative-formed", "--collaborative", "wigan", "--name", "Wigan", "--anchor-organisation",
            "Wigan Council", "--programme-start", "2021-09-01", "--on", "2021-09-01", "--expect-version", "0",
        ])
        let stream = try #require(formed.appended.first).stream
        let joined = try await sandbox.record([
            "member-joined", "--collaborative", "wigan", "--member", "wi-01", "--sector", "health", "--on",
            "2021-10-01", "--expect-version", "1",
        ])
        #expect(joined.appended.first?.stream == stream && joined.appended.first?.streamVersion == 2)
        let before = try await sandbox.head()
        let result = try await sandbox.run([
            "record", "member-joined", "--collaborative", "wigan", "--member", "wi-02", "--sector", "health", "--on",
            "2021-10-01", "--expect-version", "1",
        ])
        #expect(result.status == 73, "\(result)")
        #expect(result.stderr.contains(stream) && result.stderr.contains("2"), "\(result)")
        #expect(try await sandbox.head() == before)
    }

    @Test func recordingTheSameIdTwiceIsANoOp() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let id = "11111111-1111-4111-8111-111111111111"
        let arguments = [
            "record", "member-joined", "--collaborative", "rochdale", "--member", "ro-02", "--sector", "camhs", "--on",
            "2024-08-01", "--id", id,
        ]
        let first = try await sandbox.succeed(arguments)
        #expect(first.stdout.contains(id))
        let head = try await sandbox.head()
        let second = try await sandbox.succeed(arguments, now: "2024-09-02T12:00:00Z")
        #expect(second.stdout.contains("already recorded"), "\(second)")
        #expect(try await sandbox.head() == head)
        let report = try await sandbox.record(Array(arguments.dropFirst()))
        #expect(report.appended.isEmpty && report.duplicates.map(\.id) == [id] && report.head == head)
    }

    @Test func reusingAnIdForDifferentContentIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-joined", "--collaborative", "rochdale", "--member", "ro-02", "--sector", "camhs",
                "--on", "2024-08-01", "--id", BaseHistory.ol17Joined,
            ],
            mentioning: [BaseHistory.ol17Joined, "different content"])
    }

    @Test func successExitsWithZero() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        for arguments in [["verify"], ["log"], ["init"]] {
            try await sandbox.succeed(arguments)
        }
        #expect(try await sandbox.export().split(separator: "\n").count == BaseHistory.count)
    }
}
