import Foundation
import Testing

/// Issue 17, item 7: the recorder has one name, `--recorded-by` (`--by` names the periods of a report), and a
/// command refuses the options it does not use.
@Suite struct RecorderOptionTests {
    static let joining = [
        "record", "member-joined", "--collaborative", "oldham", "--member", "ol-40", "--sector", "health",
        "--on", "2024-08-01",
    ]

    /// Commands that append nothing, with a recorder option they used to accept and ignore (or never took).
    static let readOnlyInvocations: [[String]] = [
        ["log", "--by", "bob"], ["verify", "--by", "bob"], ["status", "--by", "bob"], ["export", "--by", "bob"],
        ["log", "--recorded-by", "bob"], ["verify", "--recorded-by", "bob"], ["status", "--recorded-by", "bob"],
        ["report", "attendance", "--recorded-by", "bob"], ["replay", "--recorded-by", "bob"],
    ]

    @Test(arguments: readOnlyInvocations)
    func aCommandThatRecordsNothingRefusesARecorder(_ arguments: [String]) async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.run(arguments)
        #expect(result.status == 64, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("'\(arguments[arguments.count - 2])'"), "\(result)")
    }

    @Test(.lmdbOnly("on PostgreSQL the database user is the recorder"))
    func recordedByNamesTheRecorderOfARetraction() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.succeed(
            ["retract", BaseHistory.ol03Left, "--reason", "never left", "--recorded-by", "bob", "--json"])
        let report = try decode(AppendReport.self, from: result.stdout)
        #expect(report.appended.map(\.recordedBy) == ["bob"], "\(result)")
    }

    @Test(.lmdbOnly("on PostgreSQL the database user is the recorder"))
    func byOnRecordStillNamesTheRecorderButWarnsThatItIsDeprecated() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.succeed(Self.joining + ["--by", "bob", "--json"])
        #expect(
            result.stderrLines == [
                "chronicle: warning: --by is deprecated for the recorder; use --recorded-by "
                    + "(on reports --by names the periods)"
            ], "\(result)")
        let report = try decode(AppendReport.self, from: result.stdout)
        #expect(report.appended.map(\.recordedBy) == ["bob"])
    }

    @Test func recordedByAndItsDeprecatedSpellingTogetherAreRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let before = try await sandbox.head()
        let result = try await sandbox.run(Self.joining + ["--by", "tester", "--recorded-by", "tester"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("give only --recorded-by"), "\(result)")
        #expect(try await sandbox.head() == before)
    }

    @Test func theRecordHelpNamesTheRecorderOptionAndNotBy() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.succeed(["record", "member-joined", "--help"])
        #expect(result.stdout.contains("--recorded-by <name>"), "\(result)")
        #expect(!result.stdout.contains("--by"), "\(result)")
    }
}
