import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the whole log as NDJSON, in seq order.",
        discussion: """
            Examples:
              chronicle export backup.ndjson
              chronicle export | chronicle import --store ./copy -

            Every line carries id, seq, type, schemaVersion, occurredAt, recordedAt, recordedBy, stream,
            streamVersion, hash and data, and `sealed` on events with personal fields. `data` holds personal
            fields (names, notes and reasons about a member) in clear, and `sealed` the member's key (or, for
            an erased member, only the sealed bytes): an export is as sensitive as the store itself.
            Importing an export into an empty store reproduces it exactly (same ids, times, seq and hashes).
            A new file is created with mode 0600. A file is written to a temporary name and renamed when
            complete, so a failed export never leaves a partial file behind; a device, FIFO or socket (such as
            /dev/stdout) is written to as it is, never replaced, and a symbolic link stays a link. Should a
            stored event be damaged, the export stops there (exit 74) naming the last seq exported: the events
            before it are written to stdout, a device or FIFO, or kept in FILE.incomplete-through-seq-N, never
            under FILE itself.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("Output file, or - for stdout (the default).", valueName: "file"))
    var file: String = "-"

    /// The resident budget the store is opened with.
    static let residentBudget = ResidentBudget.export

    func run() throws {
        // Exporting only reads: the store is opened read-only (a store this user may only read exports too).
        let reader = HistoryReader(log: try storeOptions.location.open(readOnly: true, budget: Self.residentBudget))
        // Exports hold every name and key in clear: only the owner may read a new file, like the store.
        var output = try OutputFile(file, mode: 0o600)
        var count = 0
        var writeFailed = false
        do {
            try reader.exportLines { line in
                do {
                    try output.writeLine(line)
                } catch {
                    writeFailed = true
                    throw error
                }
                count += 1
            }
        } catch {
            if writeFailed {
                output.abandon()
                throw error
            }
            throw stopped(by: error, after: count, output: &output)
        }
        do {
            try output.commit()
        } catch {
            output.abandon()
            throw error
        }
        if file != "-" { printDiagnostic("exported \(count) events to \(file)") }
    }

    /// The error of an export that could not read the store past `count` events: what was read is written
    /// out (to a temporary file, kept under a name that says it is incomplete), and the message names the
    /// last seq exported and where it went.
    private func stopped(by error: any Error, after count: Int, output: inout OutputFile) -> CLIError {
        let cause = CLIError.from(error)
        let last = count == 0 ? "no event was exported" : "the last event exported is seq \(count)"
        if output.isAtomic {
            let kept = file + ".incomplete-through-seq-\(count)"
            let location =
                count > 0 && output.abandon(keepingAs: kept)
                ? "events 1-\(count) are in \(kept); \(file) was not written"
                : "\(file) was not written"
            return CLIError(status: cause.status, message: "export stopped: \(cause.message); \(last); \(location)")
        }
        let flushed = (try? output.commit()) != nil
        output.abandon()
        let shown = file == "-" ? "standard output" : file
        let note = flushed ? "the output (\(shown)) is incomplete" : "writing \(shown) failed too"
        return CLIError(status: cause.status, message: "export stopped: \(cause.message); \(last); \(note)")
    }
}
