import ArgumentParser
import Collaboratives
import EventLog
import Foundation

/// `chronicle import [file] FILE|-`: NDJSON events, all or nothing (the default subcommand of `import`).
struct ImportFileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: "Append the events of an NDJSON file, all or nothing.",
        discussion: """
            Examples:
              chronicle import registers-2023.ndjson
              chronicle import --dry-run registers-2023.ndjson
              chronicle export --store ./old | chronicle import --store ./new -
              chronicle import file register      (a file named like a subcommand)

            One event per line (see EVENTS.md). Every line is checked, then every rule, and the file is
            written in one transaction or not at all; an error names the line and the field. Re-importing
            the same file is a no-op: events keep their ids. A whole export imported into an empty store is
            restored exactly, its hash chain verified line by line.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var recorderOptions: RecorderOptions
    @OptionGroup var clockOptions: ClockOptions
    @Flag(name: .long, help: "Check everything and write nothing.") var dryRun = false
    @Flag(name: .long, help: "Print the result as JSON.") var json = false
    @Argument(help: ArgumentHelp("The NDJSON file, or - for stdin.", valueName: "file")) var file: String

    func run() throws {
        let recordedBy = try recorderOptions.checkedRecordedBy(storeOptions.selection)
        var bar = ProgressBar(label: "import: reading \(file == "-" ? "stdin" : file)", unit: .items("lines"))
        let lines = splitLines(try bar.whileWorking { try readInput(file) })
        guard lines.contains(where: { !$0.bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }) else {
            throw CLIError.invalidData("\(file == "-" ? "stdin" : file) holds no events (it is empty or blank)")
        }
        let chronicle = try storeOptions.openChronicleForAppending(clockOptions)
        // Parsing reports its progress (a percentage and the time left); the rules and the write that follow
        // report none: the bar then shows how many lines they are working through, and for how long.
        bar.stage("import: parsing", total: lines.count, unit: .items("lines"))
        let working = bar  // a copy drawing the same line: `bar` itself is updated inside
        let summary = try working.whileWorking {
            try chronicle.importLines(lines, defaultRecordedBy: recordedBy, dryRun: dryRun) { drafted, total in
                if drafted < total {
                    bar.update(drafted)
                } else {
                    bar.stage("import: checking and writing", unit: .items("lines"), completed: total)
                }
            }
        }
        bar.finish()
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
