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
            Importing an export into an empty store reproduces it exactly (same ids, times, seq and hashes). A file is written to a temporary name and renamed when
            complete, so a failed export never leaves a partial file behind.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("Output file, or - for stdout (the default).", valueName: "file"))
    var file: String = "-"

    func run() throws {
        let chronicle = try storeOptions.openChronicle()
        if file == "-" {
            var output = StandardOutput()
            try chronicle.exportLines { line in
                output.write(bytes: line + [0x0A])
            }
            output.flush()
            return
        }
        let temporary = file + ".partial-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else { throw CLIError.io("cannot write \(file)") }
        do {
            var buffer: [UInt8] = []
            var count = 0
            try chronicle.exportLines { line in
                buffer.append(contentsOf: line)
                buffer.append(0x0A)
                count += 1
                if buffer.count > 1 << 20 {
                    try handle.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try handle.write(contentsOf: buffer)
            try handle.synchronize()
            try handle.close()
            if rename(temporary, file) != 0 { throw CLIError.io("cannot rename \(temporary) to \(file)") }
            printDiagnostic("exported \(count) events to \(file)")
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}
