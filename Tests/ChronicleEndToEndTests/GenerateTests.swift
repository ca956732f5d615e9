import Foundation
import Testing

/// `chronicle generate`: a valid synthetic history, the same for the same seed in every process.
@Suite(.sameOnEveryBackend("generate writes a file; import, which reads it, runs on both elsewhere"))
struct GenerateTests {
    /// The generated history ends on 2025-08-31, so the clock must be after it.
    static let now = "2025-09-01T12:00:00Z"

    @Test func generatePipedIntoImportSucceedsAndTheStoreVerifies() async throws {
        let sandbox = try await Sandbox.initialised()
        let environment = sandbox.environment(now: Self.now)
        let binary = try Locations.chronicleBinary()
        let pipeline = try await CommandRunner.run(
            URL(fileURLWithPath: "/bin/bash"),
            [
                "-c", #"set -o pipefail; "$0" generate --events 2000 --seed 7 | "$0" import --json -"#,
                binary.path,
            ],
            environment: environment, workDirectory: sandbox.root)
        #expect(pipeline.status == 0, "\(pipeline)")
        try await validateJSON(pipeline.stdout, schema: "output/import.v1")
        let report = try decode(ImportReport.self, from: pipeline.stdout)
        #expect(report.appended == 2_000 && report.head.seq == 2_000)
        let verify = try await sandbox.verify()
        #expect(verify.sound && verify.events == 2_000)
    }

    @Test func theSameSeedGivesTheSameBytesInSeparateProcesses() async throws {
        let sandbox = try Sandbox()
        let first = try await sandbox.succeed(["generate", "--events", "1500", "--collaboratives", "4", "--seed", "9"])
        let second = try await sandbox.succeed(["generate", "--events", "1500", "--collaboratives", "4", "--seed", "9"])
        let other = try await sandbox.succeed(["generate", "--events", "1500", "--collaboratives", "4", "--seed", "10"])
        #expect(first.stdoutData == second.stdoutData)
        #expect(first.stdoutData != other.stdoutData)
        #expect(first.stdout.split(separator: "\n").count == 1_500)
        #expect(first.stderr.isEmpty)
    }

    @Test func outWritesTheSameLinesToAFile() async throws {
        let sandbox = try Sandbox()
        let path = sandbox.root.appendingPathComponent("history.ndjson").path
        let stdout = try await sandbox.succeed(["generate", "--events", "300", "--seed", "4"])
        let written = try await sandbox.succeed(["generate", "--events", "300", "--seed", "4", "--out", path])
        #expect(written.stdout.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == stdout.stdoutData)
        try await validateNDJSON(stdout.stdout, schema: "envelope/line-input.v1")
    }

    @Test func badSettingsAreUsageErrors() async throws {
        let sandbox = try Sandbox()
        for arguments in [
            ["generate", "--events", "-1"], ["generate", "--events", "10", "--collaboratives", "0"],
            ["generate", "--events", "10", "--from", "2021-02-30"],
            ["generate", "--events", "10", "--from", "2022-01-01", "--to", "2021-01-01"],
        ] {
            let result = try await sandbox.run(arguments)
            #expect(result.status == 64, "\(result)")
            #expect(result.stdout.isEmpty)
        }
    }
}
