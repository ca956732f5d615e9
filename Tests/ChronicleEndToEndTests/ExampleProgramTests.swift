import Foundation
import Testing

/// Issue 18, item 8: the example program and the documentation's snippet are built by `swift build` (so the
/// code the documentation shows compiles); here they run, and what they print is checked.
@Suite(.sameOnEveryBackend("the programs open an LMDB store of their own"))
struct ExampleProgramTests {
    @Test func theExampleProgramAppendsReadsBackAndVerifiesItsStore() async throws {
        let result = try await Self.runBuilt("ChronicleExample")
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "appended 3 events; head seq 3", "\(result)")
        #expect(lines.count == 5, "\(result)")
        // The listing's last hash is the head that `verify` reports.
        let lastHash = lines.dropLast().last?.split(separator: " ").last.map(String.init)
        #expect(lines.last == "verified 3 events; head hash \(lastHash ?? "?")", "\(result)")
    }

    @Test func theDocumentationSnippetRunsToTheEnd() async throws {
        let result = try await Self.runBuilt("EventStoreTour")
        #expect(result.status == 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(
            lines.map { Array($0.prefix(3)) } == [
                ["1", "MemberJoined", "2021-11-15"], ["2", "MemberLeft", "2022-04-18"], ["true", "2", "1"],
            ], "\(result)")
    }

    /// Runs an executable of the package, built next to `chronicle`.
    static func runBuilt(_ name: String) async throws -> CommandResult {
        let executable = try Locations.chronicleBinary().deletingLastPathComponent().appendingPathComponent(name)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        return try await CommandRunner.run(
            executable, [], environment: CommandRunner.cleanEnvironment, workDirectory: work)
    }
}
