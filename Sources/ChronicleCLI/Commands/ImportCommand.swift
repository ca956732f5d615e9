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
    guard let data = FileManager.default.contents(atPath: file) else { throw CLIError.io("cannot read \(file)") }
    return Array(data)
}

/// Splits bytes into numbered lines (1-based), without their `\n`.
func splitLines(_ bytes: [UInt8]) -> [(number: Int, bytes: [UInt8])] {
    var lines: [(number: Int, bytes: [UInt8])] = []
    var start = 0
    var number = 1
    for index in bytes.indices where bytes[index] == 0x0A {
        lines.append((number, Array(bytes[start..<index])))
        start = index + 1
        number += 1
    }
    if start < bytes.count { lines.append((number, Array(bytes[start...]))) }
    return lines
}
