internal import Foundation
internal import LMDB

/// Backup and restore of an LMDB store as files: what names `data.mdb` lives here, behind the store.
extension LMDBEventStore {
    /// The store's files in its directory: the data file and LMDB's lock file.
    public static let fileNames = ["data.mdb", "lock.mdb"]

    /// Whether `directory` holds an LMDB store's data file (whatever its state).
    public static func holdsStore(in directory: String) -> Bool {
        FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("data.mdb"))
    }

    /// Writes a consistent, compacted copy of the store into the empty directory `destination` (created with
    /// mode 0700 when missing).
    ///
    /// The copy is written to `data.mdb.partial` (mode 0600 from the start: it holds every name) and renamed
    /// to `data.mdb` only when complete and synced; on failure the partial file, and the directory when this
    /// call created it, are removed, so that a retry finds the destination as it was.
    public func backup(to destination: String) throws {
        let createdDirectory = try Self.prepareBackupDirectory(destination)
        let partial = Self.partialBackupFile(in: destination)
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let error = Self.systemError("cannot create", partial, errno)
            if createdDirectory { rmdir(destination) }
            throw error
        }
        if let error = writeCopy(to: descriptor, at: partial, renamingTo: destination + "/data.mdb") {
            unlink(partial)
            if createdDirectory { rmdir(destination) }
            throw error
        }
    }

    /// Creates `directory` with mode 0700 when it is missing; returns whether it did.
    static func prepareBackupDirectory(_ directory: String) throws -> Bool {
        if mkdir(directory, 0o700) == 0 { return true }
        guard errno == EEXIST else { throw Self.systemError("cannot create the directory", directory, errno) }
        return false
    }

    /// Removes a store's files from `directory` (a copy that failed), and the directory itself when
    /// `andDirectory` (it was made for the copy).
    public static func removeStoreFiles(in directory: String, andDirectory: Bool) {
        for name in fileNames + ["data.mdb.partial"] {
            unlink((directory as NSString).appendingPathComponent(name))
        }
        if andDirectory { rmdir(directory) }
    }

    /// Writes the copy to `descriptor` (the file `partial`), syncs and closes it, and renames it to `final`;
    /// returns the error, if any (the descriptor is closed either way).
    private func writeCopy(to descriptor: Int32, at partial: String, renamingTo final: String) -> EventLogError? {
        do {
            try environment.copy(
                toDescriptor: descriptor, compact: true,
                keepingResidentFileMemoryUnder: Environment.residentFileMemoryBudget)
        } catch {
            close(descriptor)
            if error.isSystemError { return Self.systemError("cannot write the copy", partial, error.code) }
            return EventLogError.storage(error.description)
        }
        if fsync(descriptor) != 0 {
            let code = errno
            close(descriptor)
            return Self.systemError("cannot write the copy", partial, code)
        }
        if close(descriptor) != 0 { return Self.systemError("cannot write the copy", partial, errno) }
        if rename(partial, final) != 0 { return Self.systemError("cannot rename the copy to", final, errno) }
        return nil
    }

    /// A storage error naming what failed, the path and the system's reason for `code`.
    private static func systemError(_ action: String, _ path: String, _ code: Int32) -> EventLogError {
        EventLogError.storage("\(action) \(path): \(String(cString: strerror(code)))")
    }

    /// Where ``backup(to:)`` writes the copy before renaming it to `data.mdb` (a progress display can follow
    /// its size).
    public static func partialBackupFile(in destination: String) -> String {
        (destination as NSString).appendingPathComponent("data.mdb.partial")
    }

    /// Gives the store in `directory` the modes of a store made by `chronicle init`: 0700 directory, 0600
    /// files (LMDB creates its files with 0666 less the umask).
    public static func restrictModes(ofStoreIn directory: String) throws {
        guard chmod(directory, 0o700) == 0 else { throw systemError("cannot set the mode of", directory, errno) }
        for name in fileNames {
            let file = (directory as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: file) else { continue }
            guard chmod(file, 0o600) == 0 else { throw systemError("cannot set the mode of", file, errno) }
        }
    }

    /// Opens the store in `directory` read-only and verifies it; a fault or a store that cannot be read is
    /// ``EventLogError/storage(_:)`` naming `what` (e.g. "the copy at /backups/x").
    @discardableResult
    public static func verifiedCopy(at directory: String, what: String) throws -> VerificationReport {
        let report: VerificationReport
        do {
            report = try LMDBEventStore(directory: directory, options: .init(create: false, readOnly: true)).verify()
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
        let parent = ((target as NSString).standardizingPath as NSString).deletingLastPathComponent
        let staging = (parent as NSString).appendingPathComponent(
            ".\((target as NSString).lastPathComponent).restoring-\(getpid())")
        do {
            try backup.backup(to: staging)
            try restrictModes(ofStoreIn: staging)
            try verifiedCopy(at: staging, what: "the copy at \(staging)")
            try moveIntoPlace(staging, target: target, replacingEmptyStore: replacingEmptyStore)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        return try verifiedCopy(at: target, what: "the restored store at \(target)")
    }

    /// Moves the verified copy in `staging` to `target` with renames on one file system.
    private static func moveIntoPlace(_ staging: String, target: String, replacingEmptyStore: Bool) throws {
        let stagedData = (staging as NSString).appendingPathComponent("data.mdb")
        let targetData = (target as NSString).appendingPathComponent("data.mdb")
        if !FileManager.default.fileExists(atPath: target) {
            try renameOrThrow(staging, target)
            return
        }
        // An empty directory, or an empty store: its lock file describes the old data file, so it goes too.
        if replacingEmptyStore {
            try? FileManager.default.removeItem(atPath: (target as NSString).appendingPathComponent("lock.mdb"))
        }
        try renameOrThrow(stagedData, targetData)
        try? FileManager.default.removeItem(atPath: staging)
        try restrictModes(ofStoreIn: target)
    }

    private static func renameOrThrow(_ from: String, _ to: String) throws {
        guard rename(from, to) == 0 else { throw systemError("cannot move \(from) to", to, errno) }
    }
}
