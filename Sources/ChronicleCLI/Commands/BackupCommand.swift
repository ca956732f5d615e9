import ArgumentParser
import EventLog
import FileSystem
import Foundation

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent, compacted copy of the store, and verify it.",
        discussion: """
            Example:
              chronicle backup --store ./programme-store /backups/programme-2024-06-01

            The copy is one snapshot of the log, written as a new store directory:
            writers may keep appending meanwhile, and what they commit after the
            snapshot is not in it. DEST must not exist or be an empty directory
            (exit 64 otherwise); it is created with mode 0700 and its data file
            0600. From a store directory the copy is LMDB's copy with compaction,
            written to DEST/data.mdb.partial and renamed to data.mdb when
            complete; from a PostgreSQL store (--store postgresql://…) the events
            and subject keys are copied from one snapshot into a new store in DEST.
            A copy that fails (a full disk) is removed, with DEST when backup
            created it, so that a retry can go ahead. The copy is then opened and
            verified (hash chain and indexes); a copy that does not verify exits
            74, naming the fault. Bring a backup back with
            `chronicle restore DEST --store DIR`.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("The directory to write the copy into (new, or empty).", valueName: "dest"))
    var destination: String

    /// The resident budget the store is opened with for the copy.
    static let residentBudget = ResidentBudget.backup

    /// The resident budget the copy is verified with: `verify`'s, whose walk looks each event up in four
    /// indexes at random (with the copy's budget it faulted 2.8M pages at 1M), once the copy is done.
    static let verifyBudget = VerifyCommand.chainBudget

    func run() throws {
        try requireNewOrEmptyDirectory(destination, role: "backup destination")
        let log = try storeOptions.openLog(budget: Self.residentBudget)
        var bar: ProgressBar
        if let lmdb = log as? LMDBEventStore {
            // LMDB's copy reports no progress: the bar follows the size of the file being written, against
            // the bytes in use in the store (the compacted copy is no larger).
            bar = ProgressBar(label: "backup: copying", total: lmdb.usedSize, unit: .bytes)
            let copyFile = LMDBEventStore.partialBackupFile(in: destination)
            try bar.whileWorking(polling: { fileSize(copyFile) }) { try log.backup(to: destination) }
        } else {
            bar = ProgressBar(label: "backup: copying")
            try bar.whileWorking { try log.backup(to: destination) }
        }
        try restrictModes(ofStoreIn: destination)
        // The source's pages the copy left mapped (up to its budget) count in the same resident memory the
        // copy's verification is checked against, and only the copy's would be released: let them go first,
        // or the verification has its budget less theirs (about 114 of 192 MiB at 1M, 1.45M faults).
        log.releaseReadMemory()
        bar.stage("backup: verifying the copy")
        let report = try bar.whileWorking { try verifyCopy(at: destination, budget: Self.verifyBudget) }
        bar.finish()
        printLine(
            "backed up \(report.eventCount) events to \(destination), head seq \(report.head.seq) hash \(report.head.hash)"
        )
    }
}

/// The size of the file at `path` in bytes, or 0 when it cannot be read (not created yet).
func fileSize(_ path: String) -> Int { FileSystem.size(of: path) ?? 0 }

/// Refuses (exit 64) unless `path` does not exist or is an empty directory.
func requireNewOrEmptyDirectory(_ path: String, role: String) throws {
    guard let status = try? FileSystem.status(of: path) else { return }
    guard status.kind == .directory else {
        throw CLIError.usage("\(role) \(path) exists and is not a directory; give a new or empty directory")
    }
    let entries: [String]
    do throws(FileSystemError) {
        entries = try FileSystem.contentsOfDirectory(path)
    } catch {
        throw CLIError.io(error.description)
    }
    guard entries.isEmpty else {
        throw CLIError.usage("\(role) \(path) is not empty; give a new or empty directory")
    }
}

/// Gives a copied store the modes of a store made by `init`: 0700 directory, 0600 files (LMDB's copy
/// creates its file with 0666 less the umask).
func restrictModes(ofStoreIn directory: String) throws {
    do {
        try LMDBEventStore.restrictModes(ofStoreIn: directory)
    } catch let error as EventLogError {
        guard case .storage(let message) = error else { throw error }
        throw CLIError.io(message)
    }
}

/// Opens the store copied into `directory` read-only and verifies it; a fault is a store fault (exit 74).
func verifyCopy(at directory: String, budget: ResidentBudget) throws -> VerificationReport {
    do {
        return try LMDBEventStore.verifiedCopy(
            at: directory, what: "the copy at \(directory)", residentFileMemoryBudget: budget.bytes)
    } catch let error as EventLogError {
        guard case .storage(let message) = error else { throw error }
        throw CLIError.io(message)
    }
}
