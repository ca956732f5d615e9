import FileSystem
import Foundation

/// Reads an import's input, a file or stdin for `-`, a block at a time, and hands out its lines (numbered
/// from 1, without their `\n`) a stretch at a time, so that an import holds a stretch of the input, never
/// the whole of it. The UTF-8 byte order mark an editor may put before the first line is skipped, as
/// ``splitLines(_:)`` does; a line longer than ``maximumLineLength`` is refused as soon as the reading
/// passes that bound (exit 65, naming the line).
final class LineReader {
    /// The input's name in messages (`stdin` for `-`).
    let name: String
    /// The file's size in bytes, when the input is a regular file (for a progress bar).
    let size: Int?
    /// Bytes read from the input so far.
    private(set) var bytesRead = 0

    private let descriptor: FileDescriptor
    private let ownsDescriptor: Bool
    /// Read but not yet handed out: `buffer[position...]`.
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private var nextNumber = 1
    /// Lines read ahead by ``holdsAnEvent()``, handed out first.
    private var readAhead: [(number: Int, bytes: [UInt8])] = []
    /// Where the input started, when it can be read again from there (a regular file); otherwise (a pipe)
    /// the bytes read are kept for ``rewind()``.
    private let start: off_t?
    private var kept: [UInt8] = []

    /// How much is read at a time.
    static let blockSize = 1 << 20

    /// Opens `file` (or stdin for `-`).
    ///
    /// - Throws: ``CLIError`` 66 for a missing file, 74 for one that cannot be opened.
    init(_ file: String) throws {
        name = file == "-" ? "stdin" : file
        descriptor = try openInput(file)
        ownsDescriptor = file != "-"
        size = file == "-" ? nil : FileSystem.size(of: file)
        let offset = lseek(descriptor.rawValue, 0, SEEK_CUR)
        start = offset >= 0 ? offset : nil
    }

    /// Starts the input again from its first line (an import whose lines must be judged as one batch reads
    /// them again): a file is read again from where it started; a pipe's bytes, which cannot be, were kept
    /// as they were read, so an import from a pipe holds its input.
    func rewind() throws {
        if let start {
            guard lseek(descriptor.rawValue, start, SEEK_SET) == start else {
                throw CLIError.io("cannot read \(name) again: \(Errno(rawValue: errno).text)")
            }
            buffer = []
            atEnd = false
        } else {
            buffer = kept
        }
        position = 0
        nextNumber = 1
        readAhead = []
        bytesRead = 0
    }

    deinit {
        if ownsDescriptor { try? descriptor.close() }
    }

    /// Whether a line that is not blank comes before the end of the input; the lines read to find out are
    /// handed out by ``nextLines(_:)`` all the same (the blank ones only counted).
    func holdsAnEvent() throws -> Bool {
        while let line = try nextLine() {
            if !line.bytes.allSatisfy(Self.isBlank) {
                readAhead.append(line)
                return true
            }
        }
        return false
    }

    /// The next `count` lines (fewer at the end), or `nil` once the input is over.
    func nextLines(_ count: Int) throws -> [(number: Int, bytes: [UInt8])]? {
        var lines = readAhead
        readAhead = []
        lines.reserveCapacity(count)
        while lines.count < count, let line = try nextLine() { lines.append(line) }
        return lines.isEmpty ? nil : lines
    }

    /// The next line, or `nil` at the end of the input.
    private func nextLine() throws -> (number: Int, bytes: [UInt8])? {
        while true {
            let newline = buffer.withUnsafeBufferPointer { bytes -> Int? in
                guard let base = bytes.baseAddress, position < bytes.count else { return nil }
                // memchr finds each newline far faster than a loop over the bytes.
                return memchr(base + position, 0x0A, bytes.count - position).map {
                    base.distance(to: $0.assumingMemoryBound(to: UInt8.self))
                }
            }
            if let newline {
                defer { position = newline + 1 }
                return take(upTo: newline)
            }
            if buffer.count - position > maximumLineLength {
                throw CLIError.invalidData(
                    "\(name): line \(nextNumber) is longer than \(maximumLineLength >> 20) MiB (the longest line "
                        + "import accepts)")
            }
            if atEnd {
                guard position < buffer.count else { return nil }
                defer { position = buffer.count }
                return take(upTo: buffer.count)
            }
            try readBlock()
        }
    }

    /// The line from `position` up to `end`, numbered.
    private func take(upTo end: Int) -> (number: Int, bytes: [UInt8]) {
        var start = position
        if nextNumber == 1, buffer[start..<end].starts(with: [0xEF, 0xBB, 0xBF]) { start += 3 }
        defer { nextNumber += 1 }
        return (nextNumber, Array(buffer[start..<end]))
    }

    /// Appends a block of the input to what is left of the buffer.
    private func readBlock() throws {
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: Self.blockSize))
        let count: Int
        do {
            count = try buffer[old...].withUnsafeMutableBytes { try descriptor.read(into: $0) }  // retried on EINTR
        } catch {
            buffer.removeLast(Self.blockSize)
            throw CLIError.io("cannot read \(name): \(Errno(error).text)")
        }
        buffer.removeLast(Self.blockSize - count)
        if start == nil { kept += buffer[(buffer.count - count)...] }
        bytesRead += count
        if count == 0 { atEnd = true }
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
}
