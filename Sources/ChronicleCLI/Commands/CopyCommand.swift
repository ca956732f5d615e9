import ArgumentParser
import Collaboratives
import EventLog
import FileSystem
import Foundation

struct CopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole history from one store into an empty one, and verify both.",
        discussion: """
            Examples:
              chronicle copy --from ./programme-store --to postgresql://admin@db.example/programme
              chronicle copy --from postgresql://admin@db.example/programme --to ./programme-copy

            A store is a directory or a postgresql:// (or postgres://) URI. Every
            event moves as stored (id, seq, stream version, recordedAt, recordedBy,
            payload, hash) with the subject keys, read from one snapshot of the
            source in chunks (writers may keep appending to the source; what they
            commit after the snapshot is not copied). The target must be empty
            (exit 64 otherwise): a directory that does not exist, is empty, or
            holds an empty store (a new directory is created with mode 0700); a
            PostgreSQL database must have been prepared with `chronicle init`, and
            copying into it needs its admin role. Both stores are then verified and
            the target's tag index is derived again; a store that does not verify
            exits 74. A copy that fails part way into a directory it created is
            removed; in a database the events copied so far stay: empty it, or use
            a new one, before trying again.
            """)

    @Option(
        name: .long,
        help: ArgumentHelp("The store to copy from: a directory or a postgresql:// URI.", valueName: "dir|uri"))
    var from: String

    @Option(
        name: .long,
        help: ArgumentHelp("The empty store to copy into: a directory or a postgresql:// URI.", valueName: "dir|uri"))
    var to: String

    @Flag(name: .long, help: "Print the summary as JSON.") var json = false

    @OptionGroup var terminalOptions: TerminalOptions

    func run() throws {
        let source = StoreLocation(from)
        let target = StoreLocation(to)
        if Self.sameStore(source, target) {
            throw CLIError.usage("--from and --to name the same store (\(source)); copy into another one")
        }
        let sourceStore = try source.open(readOnly: true)
        let (targetStore, madeDirectory) = try Self.openTarget(target)
        let summary: CopySummary
        do {
            let existing = try targetStore.head()
            guard existing.seq == 0 else {
                throw CLIError.usage(
                    "the store at \(target) is not empty (\(existing.seq) events); copy into a new or empty store")
            }
            var bar = ProgressBar(label: "copy")
            summary = try sourceStore.copy(to: targetStore) { copied, total in bar.update(copied, of: total) }
            bar.finish()
        } catch {
            if let made = madeDirectory { LMDBEventStore.removeStoreFiles(in: target.text, andDirectory: made) }
            throw error
        }
        if let fault = summary.source.fault {
            throw CLIError.io("the source \(source) does not verify after the copy: \(fault)")
        }
        if let fault = summary.target.fault {
            throw CLIError.io("the copy at \(target) does not verify: \(fault)")
        }
        // The tag index is derived data the copy leaves behind; the domain tags every event again now, so
        // that the copy answers one-collaborative queries at once (and a read-only reader need not).
        let tagged = try Chronicle(log: targetStore, today: .londonDay(of: try Clock.current().now())).catchUpTags()
        if json {
            printJSON(
                .object([
                    "from": .string(source.description), "to": .string(target.description),
                    "events": .integer(Int64(clamping: summary.events)),
                    "subjectKeys": .integer(Int64(summary.subjectKeys)),
                    "head": summary.head.json, "tagged": .integer(Int64(tagged)),
                    "source": Self.json(summary.source), "target": Self.json(summary.target),
                ]))
        } else {
            printLine(
                "copied \(summary.events) events and \(summary.subjectKeys) subject keys from \(source) to \(target)")
            printLine("head seq \(summary.head.seq) hash \(summary.head.hash)")
            printLine(
                "verified: source sound (\(summary.source.eventCount) events), target sound "
                    + "(\(summary.target.eventCount) events); tag index rebuilt (\(tagged) events tagged)")
        }
    }

    /// A verification report as `{"sound":…,"events":…,"head":…}`.
    private static func json(_ report: VerificationReport) -> JSONValue {
        .object([
            "sound": .bool(report.isSound), "events": .integer(Int64(clamping: report.eventCount)),
            "head": report.head.json,
        ])
    }

    /// Whether two locations name the same store: the same directory (after resolving `.`, `..` and links),
    /// or the same URI.
    private static func sameStore(_ first: StoreLocation, _ second: StoreLocation) -> Bool {
        switch (first, second) {
        case (.directory(let one), .directory(let other)):
            return FileSystem.resolvingLinks(one) == FileSystem.resolvingLinks(other)
        default:
            return first == second
        }
    }

    /// Opens the target, creating a store in a directory that holds none (after checking that it is new or
    /// empty). Returns the store and, when a store was created in a directory, whether the directory was
    /// made for it (nil: the store existed, or is not a directory).
    private static func openTarget(_ location: StoreLocation) throws -> (any EventStore, Bool?) {
        guard let path = location.directory, !LMDBEventStore.holdsStore(in: path) else {
            return (try location.open(), nil)
        }
        try requireNewOrEmptyDirectory(path, role: "copy target")
        let made = !FileSystem.exists(path)
        if made {
            do throws(FileSystemError) {
                try FileSystem.createDirectory(path)
            } catch {
                throw CLIError.io(error.description)
            }
        }
        do {
            let store = try location.open(create: true)
            try restrictModes(ofStoreIn: path)
            return (store, made)
        } catch {
            LMDBEventStore.removeStoreFiles(in: path, andDirectory: made)
            throw error
        }
    }
}
