import ArgumentParser
import EventLog
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty store.",
        discussion: """
            Example:
              chronicle init --store ./programme-store

            The directory is created with mode 0700 and the data files with 0600; an existing empty
            directory is given mode 0700, and one that holds other files and is open to other users
            (group or others may use it) is refused (exit 64). Running init on an existing store changes
            nothing and says so.
            """)

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let path = storeOptions.storePath
        let existed = (try? storeOptions.openLog()) != nil
        if !existed { try prepareDirectory(path) }
        let log = try storeOptions.openLog(create: true)
        if !existed { try restrictModes(ofStoreIn: path) }
        let head = try log.head()
        if existed {
            printLine("store already exists at \(path) (\(head.seq) events)")
        } else {
            printLine("created an empty store at \(path)")
        }
    }

    /// Lets a store be created in `path` only where no other user can reach it: an existing empty
    /// directory will be made 0700 (by ``restrictModes(ofStoreIn:)``); one that holds other files and
    /// that others may use is refused, since changing its mode would change it for those files too.
    private func prepareDirectory(_ path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR, status.st_mode & 0o077 != 0 else {
            return
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        guard entries.isEmpty else {
            throw CLIError.usage(
                "the directory \(path) is open to other users (mode \(String(status.st_mode & 0o777, radix: 8))) and "
                    + "holds other files; give a new or empty directory for the store")
        }
    }
}
