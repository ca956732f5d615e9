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
    /// the bytes read are copied to ``spool`` for ``rewind()``.
    private let start: off_t?
    /// An unnamed temporary file (in `TMPDIR`, or `/tmp`) holding every byte read from a pipe, created at its
    /// first block: so that an import from a pipe can read its input again without holding it in memory.
    private var spool: FileDescriptor?
    /// How many bytes ``spool`` holds.
    private var spooled: Int64 = 0
    /// Where the input is read from ``spool`` after a ``rewind()`` of a pipe, until it catches up with what
    /// was read from the pipe; `nil` while the pipe is read.
    private var replay: Int64?
    /// Whether the pipe has reached its end.
    private var pipeEnded = false

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
    /// them again): a file is read again from where it started; a pipe, which cannot be, is read from the
    /// copy of its bytes kept in a temporary file (``spool``), then from where the pipe stopped.
    func rewind() throws {
        if let start {
            guard lseek(descriptor.rawValue, start, SEEK_SET) == start else {
                throw CLIError.io("cannot read \(name) again: \(Errno(rawValue: errno).text)")
            }
            buffer = []
            atEnd = false
        } else {
            replay = spooled > 0 ? 0 : nil
            buffer = []
            atEnd = pipeEnded && spooled == 0
        }
        position = 0
        nextNumber = 1
        readAhead = []
        bytesRead = 0
    }

    deinit {
        if ownsDescriptor { try? descriptor.close() }
        try? spool?.close()
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
            // A line's length is checked whether or not its newline is read yet (a block holds a whole long
            // line and the next ones too).
            if (newline ?? buffer.count) - position > maximumLineLength {
                throw CLIError.invalidData(
                    "\(name): line \(nextNumber) is longer than \(maximumLineLength >> 20) MiB (the longest line "
                        + "import accepts)")
            }
            if let newline {
                defer { position = newline + 1 }
                return take(upTo: newline)
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
        let count: Int
        let replaying = replay != nil
        do {
            // Read into a block of its own and copied (a memcpy): growing the buffer by a million zeros first
            // costs a second per block in a debug build, where the standard library's generics are not
            // specialised.
            count = try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.blockSize) { block in
                let raw = UnsafeMutableRawBufferPointer(block)
                let count =
                    if let replay, let spool {
                        try spool.read(fromAbsoluteOffset: replay, into: raw)  // retried on EINTR
                    } else {
                        try descriptor.read(into: raw)
                    }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: block[..<count]))
                return count
            }
        } catch {
            throw CLIError.io("cannot read \(name)\(replaying ? " again" : ""): \(Errno(error).text)")
        }
        bytesRead += count
        if let offset = replay {
            guard count > 0 else {
                throw CLIError.io("cannot read \(name) again: its copy ended after \(offset) of \(spooled) bytes")
            }
            // The spool read up to what the pipe gave so far: the pipe is read again from where it stopped.
            replay = offset + Int64(count) < spooled ? offset + Int64(count) : nil
            if replay == nil, pipeEnded { atEnd = true }
            return
        }
        if start == nil, count > 0 { try keep(buffer[(buffer.count - count)...]) }
        if count == 0 {
            atEnd = true
            pipeEnded = start == nil
        }
    }

    /// Copies a block read from a pipe to ``spool``.
    private func keep(_ block: ArraySlice<UInt8>) throws {
        do {
            let spool = try spool ?? FileSystem.createScratchFile(in: Self.temporaryDirectory)
            self.spool = spool
            spooled += Int64(try spool.writeAll(toAbsoluteOffset: spooled, block))
        } catch {
            throw CLIError.io("cannot keep a copy of \(name) to read it again: \(error)")
        }
    }

    /// `TMPDIR`, or `/tmp`.
    private static var temporaryDirectory: String {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? ""
        return directory.isEmpty ? "/tmp" : directory
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
}
