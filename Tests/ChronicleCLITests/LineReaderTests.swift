import Foundation
import Testing

@testable import ChronicleCLI

/// An import's input read again from its start (``LineReader/rewind()``): a file from where it started, a pipe
/// from the copy of its bytes kept in a temporary file, then from where the pipe stopped.
@Suite struct LineReaderTests {
    /// Lines long enough that the input spans several of the reader's blocks.
    static let lines = (1...30_000).map { "line \($0) " + String(repeating: "x", count: 90) }

    /// A pipe fed `lines` by a writer thread, opened by the reader as a path (`/dev/fd/N`) as `-` is.
    static func pipeReader() throws -> (LineReader, Thread) {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        let writer = Thread {
            var done = 0
            while done < bytes.count {
                let wrote = bytes[done...].withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
                if wrote <= 0 { break }
                done += wrote
            }
            close(writeEnd)
        }
        writer.start()
        let reader = try LineReader("/dev/fd/\(readEnd)")
        close(readEnd)  // the reader opened its own descriptor
        return (reader, writer)
    }

    static func read(_ reader: LineReader, count: Int) throws -> [String] {
        var read: [String] = []
        while read.count < count, let stretch = try reader.nextLines(min(4_096, count - read.count)) {
            read += stretch.map { String(decoding: $0.bytes, as: UTF8.self) }
        }
        return read
    }

    @Test func aPipeReadToItsEndIsReadAgainWholeFromItsStart() throws {
        let (reader, _) = try Self.pipeReader()
        #expect(try Self.read(reader, count: .max) == Self.lines)
        try reader.rewind()
        #expect(try Self.read(reader, count: .max) == Self.lines)
        try reader.rewind()
        let again = try #require(try reader.nextLines(3))
        #expect(again.map(\.number) == [1, 2, 3])
    }

    @Test func aPipeReadAgainHalfWayGoesOnFromWhereThePipeStoppedAfterItsCopy() throws {
        let (reader, _) = try Self.pipeReader()
        #expect(try Self.read(reader, count: 12_345) == Array(Self.lines.prefix(12_345)))
        try reader.rewind()
        #expect(try Self.read(reader, count: .max) == Self.lines)
        try reader.rewind()
        #expect(try Self.read(reader, count: .max) == Self.lines)
    }

    @Test func aFileIsReadAgainFromItsStart() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("line-reader-\(UUID()).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try (Self.lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let reader = try LineReader(path)
        #expect(try Self.read(reader, count: 20_000) == Array(Self.lines.prefix(20_000)))
        try reader.rewind()
        #expect(try Self.read(reader, count: .max) == Self.lines)
    }

    /// A line just over the bound whose newline comes in the block that takes it past the bound (the bound
    /// was checked only while no newline was read) is refused, naming it.
    @Test func aLineLongerThanTheBoundIsRefusedThoughItsNewlineIsInTheBlockThatPassesIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("line-reader-\(UUID()).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let long = String(repeating: "x", count: maximumLineLength + 10)
        try (["first", long, "third"].joined(separator: "\n") + "\n").write(
            toFile: path, atomically: false, encoding: .utf8)
        let reader = try LineReader(path)
        let error = try #require(throws: CLIError.self) { try Self.read(reader, count: .max) }
        #expect(error.status == .invalidData, "\(error)")
        #expect(error.message.contains("line 2 is longer than 4 MiB"), "\(error)")
    }
}
