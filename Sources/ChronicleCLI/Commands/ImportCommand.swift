import ArgumentParser
import Collaboratives
import EventLog
import FileSystem
import Foundation

/// `chronicle import`: events from NDJSON (`import FILE`, the default subcommand `file`) or from a
/// spreadsheet's attendance register (`import register FILE.csv`).
///
/// `import` keeps taking a file directly: argument-parser routes anything that is not a subcommand name to
/// the default subcommand, so `chronicle import events.ndjson` and `chronicle import -` work as before.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append events from an NDJSON file or an attendance register, all or nothing.",
        discussion: """
            Examples:
              chronicle import registers-2023.ndjson
              chronicle export --store ./old | chronicle import --store ./new -
              chronicle import register Examples/registers/oldham-summer-2024.csv --dry-run

            `chronicle import FILE` is `chronicle import file FILE`: NDJSON events, one
            per line (see EVENTS.md). `chronicle import register FILE.csv` reads a
            spreadsheet's attendance register through a mapping kept beside it
            (FILE.mapping.json). Both check everything and write all or nothing.
            """,
        subcommands: [ImportFileCommand.self, ImportRegisterCommand.self],
        defaultSubcommand: ImportFileCommand.self)
}

/// The longest line `import` accepts, 4 MiB: far longer than any valid event (an event's payload fields are
/// short text; a longer one is refused naming its field), so that an endless input without a newline (`/dev/zero`, a binary file) is refused after reading
/// this much of it, instead of filling the memory until the process is killed.
let maximumLineLength = 4 << 20

/// Reads a whole file, or stdin for `-`, refusing a line longer than ``maximumLineLength`` as soon as the
/// reading passes that bound (exit 65, naming the line).
func readInput(_ file: String) throws -> [UInt8] {
    let name = file == "-" ? "stdin" : file
    let descriptor = try openInput(file)
    defer { if file != "-" { try? descriptor.close() } }
    // Read straight into the array: a `Data` copied into one would cost a second buffer the file's size,
    // and the time to copy it.
    var bytes: [UInt8] = []
    if file != "-", let size = FileSystem.size(of: file), size > 0 { bytes.reserveCapacity(size) }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    // Where the line being read starts: only the last newline of each chunk is looked for, so the bound
    // costs a glance at each chunk's end, not a second pass over the input.
    var lineStart = 0
    while true {
        let count: Int
        do {
            count = try chunk.withUnsafeMutableBytes { try descriptor.read(into: $0) }  // retried on EINTR
        } catch {
            throw CLIError.io("cannot read \(name): \(Errno(error).text)")
        }
        if count == 0 { return bytes }
        // The line being read ends at the chunk's first newline (or goes on past the chunk); a line that
        // both starts and ends inside one chunk is shorter than the chunk, so within the bound.
        let end = bytes.count + (chunk[..<count].firstIndex(of: 0x0A) ?? count)
        if end - lineStart > maximumLineLength {
            let number = bytes[..<lineStart].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw CLIError.invalidData(
                "\(name): line \(number) is longer than \(maximumLineLength >> 20) MiB (the longest line import accepts)"
            )
        }
        if let newline = chunk[..<count].lastIndex(of: 0x0A) { lineStart = bytes.count + newline + 1 }
        bytes.append(contentsOf: chunk[..<count])
    }
}

/// Opens an input file for reading, or gives stdin for `-`.
///
/// - Throws: ``CLIError`` 66 for a missing file, 74 for one that cannot be opened.
func openInput(_ file: String) throws -> FileDescriptor {
    if file == "-" { return .standardInput }
    guard FileSystem.exists(file) else { throw CLIError.noInput("no such file: \(file)") }
    do throws(FileSystemError) {
        return try FileSystem.openForReading(file)
    } catch {
        throw CLIError.io(error.description)
    }
}

/// Splits bytes into numbered lines (1-based), without their `\n`, and without the UTF-8 byte order mark
/// (EF BB BF) an editor may put before the first line: it is no part of the JSON, and the CSV reader
/// skips it too.
func splitLines(_ bytes: [UInt8]) -> [(number: Int, bytes: [UInt8])] {
    bytes.withUnsafeBufferPointer { buffer in
        var lines: [(number: Int, bytes: [UInt8])] = []
        guard let base = buffer.baseAddress else { return lines }
        var start = buffer.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < buffer.count {
            // memchr finds each newline far faster than a loop over the bytes.
            guard let newline = memchr(base + start, 0x0A, buffer.count - start) else {
                lines.append((lines.count + 1, Array(buffer[start...])))
                break
            }
            let end = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
            lines.append((lines.count + 1, Array(buffer[start..<end])))
            start = end + 1
        }
        return lines
    }
}
