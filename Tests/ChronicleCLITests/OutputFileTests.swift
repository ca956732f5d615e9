import Foundation
import Testing

@testable import ChronicleCLI

/// A file a command writes (`export FILE`) is replaced whole or not at all, and leaves nothing behind when
/// the process is killed while writing it.
@Suite struct OutputFileTests {
    /// Runs `body` with a fresh directory, removed afterwards.
    private func withDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("output-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    @Test func aFileBeingWrittenHasNoNameUntilItIsCommitted() throws {
        try withDirectory { directory in
            let path = directory.appendingPathComponent("export.ndjson").path
            var output = try OutputFile(path, mode: 0o600)
            try output.writeLine(Array("first line".utf8))
            try output.flush()
            // What a kill now would leave behind: nothing, not even a `.partial-PID` file.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [])
            try output.commit()
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["export.ndjson"])
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "first line\n")
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test func anAbandonedFileLeavesTheOldOneAndNothingElse() throws {
        try withDirectory { directory in
            let path = directory.appendingPathComponent("report.html").path
            try Data("old".utf8).write(to: URL(fileURLWithPath: path))
            var output = try OutputFile(path, mode: 0o644)
            try output.write(Array("new".utf8))
            try output.flush()
            output.abandon()
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["report.html"])
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        }
    }

    @Test func whatWasWrittenCanBeKeptUnderAnotherName() throws {
        try withDirectory { directory in
            let path = directory.appendingPathComponent("export.ndjson").path
            let kept = path + ".incomplete-through-seq-1"
            var output = try OutputFile(path, mode: 0o600)
            try output.writeLine(Array("seq 1".utf8))
            let isKept = output.abandon(keepingAs: kept)
            #expect(isKept)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(names == ["export.ndjson.incomplete-through-seq-1"])
            #expect(try String(contentsOfFile: kept, encoding: .utf8) == "seq 1\n")
        }
    }

    @Test func whatASecondFailedWriteKeepsReplacesWhatTheFirstKept() throws {
        try withDirectory { directory in
            let path = directory.appendingPathComponent("export.ndjson").path
            let kept = path + ".incomplete-through-seq-1"
            for attempt in ["first", "second"] {
                var output = try OutputFile(path, mode: 0o600)
                try output.writeLine(Array(attempt.utf8))
                let isKept = output.abandon(keepingAs: kept)
                #expect(isKept, "attempt \(attempt)")
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(names == ["export.ndjson.incomplete-through-seq-1"])
            #expect(try String(contentsOfFile: kept, encoding: .utf8) == "second\n")
        }
    }
}
