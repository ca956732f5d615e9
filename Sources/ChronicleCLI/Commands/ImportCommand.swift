import ArgumentParser
import Collaboratives
import EventLog
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

/// Reads a whole file, or stdin for `-`.
func readInput(_ file: String) throws -> [UInt8] {
    if file == "-" {
        return Array(FileHandle.standardInput.readDataToEndOfFile())
    }
    guard FileManager.default.fileExists(atPath: file) else { throw CLIError.noInput("no such file: \(file)") }
    // Read straight into the array: a `Data` copied into one would cost a second buffer the file's size (a
    // third of a second for a million-line import).
    let descriptor = open(file, O_RDONLY)
    guard descriptor >= 0 else { throw CLIError.io("cannot read \(file): \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var status = stat()
    if fstat(descriptor, &status) == 0, status.st_size > 0 { bytes.reserveCapacity(Int(status.st_size)) }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count == 0 { return bytes }
        if count < 0 {
            if errno == EINTR { continue }
            throw CLIError.io("cannot read \(file): \(String(cString: strerror(errno)))")
        }
        bytes.append(contentsOf: chunk[..<count])
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
