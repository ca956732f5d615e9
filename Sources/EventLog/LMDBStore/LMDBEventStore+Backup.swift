internal import FileSystem
internal import Foundation
internal import LMDB

/// Backup and restore of an LMDB store as files: what names `data.mdb` lives here, behind the store.
extension LMDBEventStore {
    /// The store's files in its directory: the data file and LMDB's lock file.
    public static let fileNames = ["data.mdb", "lock.mdb"]

    /// Whether `directory` holds an LMDB store's data file (whatever its state).
    public static func holdsStore(in directory: String) -> Bool {
        FileSystem.exists(FileSystem.joined(directory, "data.mdb"))
    }

    /// Writes a consistent, compacted copy of the store into the empty directory `destination` (created with
    /// mode 0700 when missing).
    ///
    /// The copy is written to `data.mdb.partial` (mode 0600 from the start: it holds every name) and renamed
    /// to `data.mdb` only when complete and synced; on failure the partial file, and the directory when this
    /// call created it, are removed, so that a retry finds the destination as it was.
    ///
    /// Every page of the store is read first (`Environment.readEveryPage()`): LMDB's copy walks the pages
    /// unguarded, where a damaged page would kill the process, so a damaged store is refused before anything
    /// is written.
    public func backup(to destination: String) throws {
        do {
            try environment.readEveryPage()
        } catch let error as LMDBError {
            throw EventLogError.storage(
                "the store at \(directory) is damaged (\(error)); nothing was copied: run `chronicle verify`")
        }
        let createdDirectory = try Self.prepareBackupDirectory(destination)
        let partial = Self.partialBackupFile(in: destination)
        let descriptor: FileDescriptor
        do throws(FileSystemError) {
            descriptor = try FileSystem.createFile(partial, permissions: [.ownerReadWrite])
        } catch {
            if createdDirectory { FileSystem.removeEmptyDirectory(destination) }
            throw EventLogError.storage(error.description)
        }
        if let error = writeCopy(to: descriptor, at: partial, renamingTo: FileSystem.joined(destination, "data.mdb")) {
            FileSystem.removeFile(partial)
            if createdDirectory { FileSystem.removeEmptyDirectory(destination) }
            throw error
        }
    }

    /// Creates `directory` with mode 0700 when it is missing; returns whether it did.
    static func prepareBackupDirectory(_ directory: String) throws -> Bool {
        try fileSystem { try FileSystem.createDirectory(directory) }
    }

    /// Removes a store's files from `directory` (a copy that failed), and the directory itself when
    /// `andDirectory` (it was made for the copy).
    public static func removeStoreFiles(in directory: String, andDirectory: Bool) {
        for name in fileNames + ["data.mdb.partial"] {
            FileSystem.removeFile(FileSystem.joined(directory, name))
        }
        if andDirectory { FileSystem.removeEmptyDirectory(directory) }
    }

    /// Writes the copy to `descriptor` (the file `partial`), syncs and closes it, and renames it to `final`;
    /// returns the error, if any (the descriptor is closed either way).
    private func writeCopy(to descriptor: FileDescriptor, at partial: String, renamingTo final: String)
        -> EventLogError?
    {
        do {
            try environment.copy(
                toDescriptor: descriptor.rawValue, compact: true,
                keepingResidentFileMemoryUnder: environment.residentFileMemoryBudget)
        } catch {
            try? descriptor.close()
            if error.isSystemError {
                return EventLogError.storage(
                    FileSystemError("cannot write the copy", partial, Errno(rawValue: error.code)).description)
            }
            return EventLogError.storage(error.description)
        }
        do throws(FileSystemError) {
            try FileSystem.syncAndClose(descriptor, path: partial)
            try FileSystem.rename(partial, to: final)
        } catch {
            return EventLogError.storage(error.description)
        }
        return nil
    }

    /// Runs `body`, reporting a file-system failure as ``EventLogError/storage(_:)``.
    private static func fileSystem<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as FileSystemError {
            throw EventLogError.storage(error.description)
        }
    }

    /// Where ``backup(to:)`` writes the copy before renaming it to `data.mdb` (a progress display can follow
    /// its size).
    public static func partialBackupFile(in destination: String) -> String {
        FileSystem.joined(destination, "data.mdb.partial")
    }

    /// Gives the store in `directory` the modes of a store made by `chronicle init`: 0700 directory, 0600
    /// files (LMDB creates its files with 0666 less the umask).
    public static func restrictModes(ofStoreIn directory: String) throws {
        try Self.fileSystem { try FileSystem.setPermissions(directory, .ownerReadWriteExecute) }
        for name in fileNames {
            let file = FileSystem.joined(directory, name)
            guard FileSystem.exists(file) else { continue }
            try Self.fileSystem { try FileSystem.setPermissions(file, .ownerReadWrite) }
        }
    }

    /// Opens the store in `directory` read-only, with `residentFileMemoryBudget` (see
    /// ``Options/residentFileMemoryBudget``), and verifies it; a fault or a store that cannot be read is
    /// ``EventLogError/storage(_:)`` naming `what` (e.g. "the copy at /backups/x").
    @discardableResult
    public static func verifiedCopy(
        at directory: String, what: String, residentFileMemoryBudget: Int = defaultResidentFileMemoryBudget
    ) throws -> VerificationReport {
        let report: VerificationReport
        do {
            let options = Options(readOnly: true, residentFileMemoryBudget: residentFileMemoryBudget)
            report = try LMDBEventStore(directory: directory, options: options).verify()
        } catch let error as EventLogError {
            throw EventLogError.storage("\(what) cannot be read: \(error)")
        }
        if let fault = report.fault { throw EventLogError.storage("\(what) does not verify: \(fault)") }
        return report
    }

    /// Puts the backup in `source` (a store directory, as ``backup(to:)`` writes it) in place as the store
    /// in `target`: the backup is verified, copied with compaction into a new directory beside `target`,
    /// verified again, and moved into place with renames, so that `target` is never half-written.
    ///
    /// `target` must not exist, or be an empty directory, or hold an empty store and nothing else (the caller
    /// checks it, see ``holdsStore(in:)``; `replacingEmptyStore` says it holds one, whose lock file goes
    /// too). Returns the verification of the store in place.
    @discardableResult
    public static func replace(directory target: String, withBackupAt source: String, replacingEmptyStore: Bool)
        throws -> VerificationReport
    {
        let backup = try LMDBEventStore(directory: source, options: .init(create: false, readOnly: true))
        let report = try backup.verify()
        if let fault = report.fault {
            throw EventLogError.storage("the backup at \(source) does not verify: \(fault); nothing restored")
        }
        let normalized = FilePath(target).lexicallyNormalized()
        let staging = FileSystem.joined(
            FileSystem.directory(of: normalized.string),
            ".\(normalized.lastComponent?.string ?? "").restoring-\(getpid())")
        do {
            try backup.backup(to: staging)
            try upgradeToCurrentFormat(ofStoreIn: staging)
            try restrictModes(ofStoreIn: staging)
            try verifiedCopy(at: staging, what: "the copy at \(staging)")
            try moveIntoPlace(staging, target: target, replacingEmptyStore: replacingEmptyStore)
        } catch {
            FileSystem.removeTree(staging)
            throw error
        }
        return try verifiedCopy(at: target, what: "the restored store at \(target)")
    }

    /// Brings the store in `directory` (a copy this process has just written) to the current format, so that
    /// a backup written by an earlier build is restored as a current store: a writable open creates the
    /// databases it lacks (``StoreMigration``), and a write transaction records the format. A store of the
    /// current format is left as it is (a write transaction that changes nothing writes nothing).
    static func upgradeToCurrentFormat(ofStoreIn directory: String) throws {
        let store = try LMDBEventStore(directory: directory)
        try store.storage {
            try store.environment.write { txn in try StoreMigration.recordCurrentFormat(in: store.databases, txn) }
        }
    }

    /// Moves the verified copy in `staging` to `target` with renames on one file system.
    private static func moveIntoPlace(_ staging: String, target: String, replacingEmptyStore: Bool) throws {
        let stagedData = FileSystem.joined(staging, "data.mdb")
        let targetData = FileSystem.joined(target, "data.mdb")
        if !FileSystem.exists(target) {
            try renameOrThrow(staging, target)
            return
        }
        // An empty directory, or an empty store: its lock file describes the old data file, so it goes too.
        if replacingEmptyStore {
            FileSystem.removeFile(FileSystem.joined(target, "lock.mdb"))
        }
        try renameOrThrow(stagedData, targetData)
        FileSystem.removeTree(staging)
        try restrictModes(ofStoreIn: target)
    }

    private static func renameOrThrow(_ from: String, _ to: String) throws {
        try Self.fileSystem { try FileSystem.rename(from, to: to) }
    }
}
