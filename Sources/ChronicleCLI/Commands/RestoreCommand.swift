import ArgumentParser
import EventLog
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
            or an empty store (exit 64 otherwise). The backup is copied (with
            compaction) beside the target, verified again, and moved into place,
            so the target is never left half-written. The restored store's
            directory is 0700 and its files 0600.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("The backup: a store directory.", valueName: "src")) var source: String

    func run() throws {
        let target = storeOptions.storePath
        let sourceData = (source as NSString).appendingPathComponent("data.mdb")
        guard FileManager.default.fileExists(atPath: sourceData) else {
            throw CLIError.noInput("no Chronicle store at \(source) to restore from")
        }
        let targetIsEmptyStore = try checkTarget(target)
        let staging = try stageVerifiedCopy(of: source, besides: target)
        do {
            try moveIntoPlace(staging, target: target, replacingEmptyStore: targetIsEmptyStore)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        let report = try verifyCopy(at: target)
        printLine(
            "restored \(report.eventCount) events from \(source) into \(target), head seq \(report.head.seq) "
                + "hash \(report.head.hash)")
    }

    /// Refuses a target that holds anything but an empty store; returns whether it is an empty store.
    private func checkTarget(_ target: String) throws -> Bool {
        let targetData = (target as NSString).appendingPathComponent("data.mdb")
        guard FileManager.default.fileExists(atPath: targetData) else {
            try requireNewOrEmptyDirectory(target, role: "target store")
            return false
        }
        let head: LogHead
        do {
            head = try LMDBEventStore(directory: target, options: .init(create: false, readOnly: true)).head()
        } catch let error as EventLogError {
            throw CLIError.usage("the target \(target) holds a data.mdb that is not a usable store (\(error))")
        }
        guard head.seq == 0 else {
            throw CLIError.usage(
                "the store at \(target) is not empty (\(head.seq) events); restore into a new or empty store")
        }
        let extra = try FileManager.default.contentsOfDirectory(atPath: target).filter {
            $0 != "data.mdb" && $0 != "lock.mdb"
        }
        guard extra.isEmpty else {
            throw CLIError.usage("the target store \(target) holds other files (\(extra.sorted()[0])); give a new one")
        }
        return true
    }

    /// Verifies `source` (read-only), copies it with compaction into a new directory beside `target` and
    /// verifies the copy; returns the copy's directory.
    private func stageVerifiedCopy(of source: String, besides target: String) throws -> String {
        let backup = try LMDBEventStore(directory: source, options: .init(create: false, readOnly: true))
        let report = try backup.verify()
        if let fault = report.fault {
            throw CLIError.io("the backup at \(source) does not verify: \(fault); nothing restored")
        }
        let parent = ((target as NSString).standardizingPath as NSString).deletingLastPathComponent
        let staging = (parent as NSString).appendingPathComponent(
            ".\((target as NSString).lastPathComponent).restoring-\(getpid())")
        do {
            try backup.backup(to: staging)
            try restrictModes(ofStoreIn: staging)
            _ = try verifyCopy(at: staging)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        return staging
    }

    /// Moves the verified copy in `staging` to `target` with renames on one file system.
    private func moveIntoPlace(_ staging: String, target: String, replacingEmptyStore: Bool) throws {
        let fileManager = FileManager.default
        let stagedData = (staging as NSString).appendingPathComponent("data.mdb")
        let targetData = (target as NSString).appendingPathComponent("data.mdb")
        if !fileManager.fileExists(atPath: target) {
            try renameOrThrow(staging, target)
            return
        }
        // An empty directory, or an empty store: its lock file describes the old data file, so it goes too.
        if replacingEmptyStore {
            try? fileManager.removeItem(atPath: (target as NSString).appendingPathComponent("lock.mdb"))
        }
        try renameOrThrow(stagedData, targetData)
        try? fileManager.removeItem(atPath: staging)
        try restrictModes(ofStoreIn: target)
    }

    private func renameOrThrow(_ from: String, _ to: String) throws {
        guard rename(from, to) == 0 else {
            throw CLIError.io("cannot move \(from) to \(to): \(String(cString: strerror(errno)))")
        }
    }
}
