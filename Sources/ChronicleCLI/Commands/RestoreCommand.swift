import ArgumentParser
import EventLog
import FileSystem
import Foundation

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Verify a backup, then copy it into place as the store.",
        discussion: """
            Example:
              chronicle restore /backups/programme-2024-06-01 --store ./programme-store

            SRC is a store directory, as `chronicle backup` writes it. It is opened
            read-only and verified first (hash chain and indexes); a backup that
            does not verify is refused with exit 74, naming the fault, and nothing
            is written. The target store must not exist, or be an empty directory
            or an empty store (exit 64 otherwise). Into a directory, the backup is
            copied (with compaction) beside the target, verified again, and moved
            into place, so the target is never left half-written; the restored
            store's directory is 0700 and its files 0600. Into a PostgreSQL store
            (--store postgresql://…, created with `chronicle init` and empty) the
            history is copied as by `chronicle copy`, and both ends verified.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("The backup: a store directory.", valueName: "src")) var source: String

    func run() throws {
        guard LMDBEventStore.holdsStore(in: source) else {
            throw CLIError.noInput("no Chronicle store at \(source) to restore from")
        }
        let location = storeOptions.location
        guard let target = location.directory else {
            try restoreIntoDatabase(location)
            return
        }
        let targetIsEmptyStore = try checkTarget(target)
        let report = try storeFault {
            try LMDBEventStore.replace(
                directory: target, withBackupAt: source, replacingEmptyStore: targetIsEmptyStore)
        }
        printLine(
            "restored \(report.eventCount) events from \(source) into \(target), head seq \(report.head.seq) "
                + "hash \(report.head.hash)")
    }

    /// Restores into a store that is not a directory: verified, then copied into it as `chronicle copy` does.
    private func restoreIntoDatabase(_ location: StoreLocation) throws {
        let backup = try StoreLocation.directory(source).open(readOnly: true)
        if let fault = try backup.verify().fault {
            throw CLIError.io("the backup at \(source) does not verify: \(fault); nothing restored")
        }
        let target = try location.open()
        let head = try target.head()
        guard head.seq == 0 else {
            throw CLIError.usage(
                "the store at \(location) is not empty (\(head.seq) events); restore into a new or empty store")
        }
        let summary = try backup.copy(to: target)
        if let fault = summary.target.fault {
            throw CLIError.io("the restored store at \(location) does not verify: \(fault)")
        }
        printLine(
            "restored \(summary.events) events from \(source) into \(location), head seq \(summary.head.seq) "
                + "hash \(summary.head.hash)")
    }

    /// Runs `body`, reporting a storage error as a store fault (exit 74) in its own words.
    private func storeFault<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as EventLogError {
            guard case .storage(let message) = error else { throw error }
            throw CLIError.io(message)
        }
    }

    /// Refuses a target that holds anything but an empty store; returns whether it is an empty store.
    private func checkTarget(_ target: String) throws -> Bool {
        guard LMDBEventStore.holdsStore(in: target) else {
            try requireNewOrEmptyDirectory(target, role: "target store")
            return false
        }
        let head: LogHead
        do {
            head = try StoreLocation.directory(target).open(readOnly: true).head()
        } catch let error as EventLogError {
            throw CLIError.usage("the target \(target) holds a data file that is not a usable store (\(error))")
        }
        guard head.seq == 0 else {
            throw CLIError.usage(
                "the store at \(target) is not empty (\(head.seq) events); restore into a new or empty store")
        }
        let entries: [String]
        do throws(FileSystemError) {
            entries = try FileSystem.contentsOfDirectory(target)
        } catch {
            throw CLIError.io(error.description)
        }
        let extra = entries.filter { !LMDBEventStore.fileNames.contains($0) }
        guard extra.isEmpty else {
            throw CLIError.usage("the target store \(target) holds other files (\(extra.sorted()[0])); give a new one")
        }
        return true
    }
}
