import Foundation
import Testing

/// Issue 17, item 10: progress bars on stderr, never in captured output unless `CHRONICLE_PROGRESS=always`.
@Suite struct ProgressPercentageTests {
    @Test func importDrawsNoBarWhenStandardErrorIsNotATerminal() async throws {
        let sandbox = try await Sandbox.initialised()
        let path = try sandbox.file("history.ndjson", BaseHistory.ndjson)
        let result = try await sandbox.run(["import", path])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result)")
    }

    @Test func importShowsThePercentageOfTheFileReadWhenTheBarIsForced() async throws {
        let sandbox = try await Sandbox.initialised()
        let path = try sandbox.file("history.ndjson", BaseHistory.ndjson)
        let result = try await sandbox.run(["import", path], environment: ["CHRONICLE_PROGRESS": "always"])
        #expect(result.status == 0, "\(result)")
        let frames = result.stderr.split(separator: "\r").map { $0.replacingOccurrences(of: "\u{1B}[K", with: "") }
        let size = String(format: "%.1f KiB", Double(BaseHistory.ndjson.utf8.count) / 1024)
        #expect(frames.contains { $0.hasPrefix("import [") && $0.hasSuffix("0%  0 B/\(size)") }, "\(frames)")
        #expect(result.stdout.hasPrefix("imported 13 events"), "\(result)")
        // The line is cleared at the end: nothing of the bar is left standing on the terminal.
        #expect(result.stderr.hasSuffix("\r\u{1B}[K"), "\(result)")
    }

    @Test func rebuildDrawsItsBarOnlyWhenForced() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let quiet = try await sandbox.run(["rebuild"])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet)")
        let forced = try await sandbox.run(["rebuild"], environment: ["CHRONICLE_PROGRESS": "always"])
        #expect(forced.status == 0 && forced.stderr.contains("rebuilding "), "\(forced)")
        #expect(!forced.stdout.contains("\r"), "\(forced)")
    }
}
