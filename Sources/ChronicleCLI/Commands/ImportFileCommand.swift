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

            The file is read, checked and written a few thousand lines at a time, inside that one
            transaction, so its size does not bound the memory the import takes. One transaction may add at
            most 8 GiB to the store (about 15 million events): a larger file is refused, nothing written,
            and is to be imported in parts.
            """)

    /// Lines read, checked and written at a time: `CHRONICLE_TEST_IMPORT_STRETCH` when set (for the tests,
    /// which hold a few lines at a time to the verdict of one batch; no setting for users).
    static var stretch: Int {
        ProcessEnvironment.value("CHRONICLE_TEST_IMPORT_STRETCH").flatMap { Int($0) }.map { max($0, 1) }
            ?? Chronicle.draftingStretch
    }

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var recorderOptions: RecorderOptions
    @OptionGroup var clockOptions: ClockOptions
    @Flag(name: .long, help: "Check everything and write nothing.") var dryRun = false
    @Flag(name: .long, help: "Print the result as JSON.") var json = false
    @Argument(help: ArgumentHelp("The NDJSON file, or - for stdin.", valueName: "file")) var file: String

    /// Whether this process may write files of any length (`RLIMIT_FSIZE` is infinite), as a store written
    /// through its map needs (its file is as long as the map while the import runs).
    static var fileSizeIsUnlimited: Bool {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0 else { return false }
        return limit.rlim_cur == rlim_t.max  // RLIM_INFINITY (Swift imports the macro as -1)
    }

    func run() throws {
        let recordedBy = try recorderOptions.checkedRecordedBy(storeOptions.selection)
        let input = try LineReader(file)
        guard try input.holdsAnEvent() else {
            throw CLIError.invalidData("\(input.name) holds no events (it is empty or blank)")
        }
        // One long write transaction: its pages are written in the store's file mapping, which the resident
        // budget keeps small, not held in the heap to the commit (README, "Memory and append cost"). Not under
        // a file-size limit: LMDB sets the file's length to the whole map's there, which the limit would end
        // with SIGXFSZ (an import without it writes only the pages it uses, as before).
        let chronicle = try storeOptions.openChronicleForAppending(
            clockOptions, writeMap: Self.fileSizeIsUnlimited)
        // The input is read, checked and written a stretch at a time: the bar follows the bytes read (of the
        // file's size when known).
        var bar = ProgressBar(label: "import", total: input.size, unit: .bytes)
        let summary = try chronicle.importStream(
            defaultRecordedBy: recordedBy, dryRun: dryRun, expectedBytes: input.size,
            nextLines: { try input.nextLines(Self.stretch) }, rewind: { try input.rewind() },
            progress: { _ in bar.update(input.bytesRead) })
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
