import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append the events of an NDJSON file, all or nothing.",
        discussion: """
            Examples:
              chronicle import registers-2023.ndjson
              chronicle import --dry-run registers-2023.ndjson
              chronicle export --store ./old | chronicle import --store ./new -

            One event per line (see EVENTS.md). Every line is checked, then every rule, and the file is
            written in one transaction or not at all; an error names the line and the field. Re-importing
            the same file is a no-op: events keep their ids. A whole export imported into an empty store is
            restored exactly, its hash chain verified line by line.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Flag(name: .long, help: "Check everything and write nothing.") var dryRun = false
    @Flag(name: .long, help: "Print the result as JSON.") var json = false
    @Argument(help: ArgumentHelp("The NDJSON file, or - for stdin.", valueName: "file")) var file: String

    func run() throws {
        let lines = splitLines(try readInput(file))
        guard lines.contains(where: { !$0.bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }) else {
            throw CLIError.invalidData("\(file == "-" ? "stdin" : file) holds no events (it is empty or blank)")
        }
        let chronicle = try storeOptions.openChronicle()
        let summary = try chronicle.importLines(lines, defaultRecordedBy: storeOptions.recordedBy, dryRun: dryRun)
        if json {
            printJSON(
                .object([
                    "lines": .integer(Int64(summary.lines)), "appended": .integer(Int64(summary.appended)),
                    "duplicates": .integer(Int64(summary.duplicates)), "restored": .bool(summary.restored),
                    "dryRun": .bool(summary.dryRun), "head": summary.head.json,
                ]))
            return
        }
        let verb = dryRun ? "would import" : (summary.restored ? "restored" : "imported")
        var text = "\(verb) \(summary.appended) events"
        if summary.duplicates > 0 { text += ", \(summary.duplicates) already stored (skipped)" }
        text += "; head seq \(summary.head.seq) \(summary.head.hash)"
        printLine(text + (dryRun ? " (dry run: nothing written)" : ""))
    }
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
