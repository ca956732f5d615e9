import ArgumentParser
import EventLog
import FileSystem
import Foundation
import PostgresEventLog

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty store.",
        discussion: """
            Examples:
              chronicle init --store ./programme-store
              chronicle init --store postgresql://lead@db.example.org/programme

            The directory (and any missing directory above it) is created with mode 0700 and the data
            files with 0600; an existing empty directory is given mode 0700, and one that holds other files
            and is open to other users (group or others may use it) is refused (exit 64). Running init on an
            existing store changes
            nothing and says so.

            On PostgreSQL (a postgresql:// URI), init creates the schema in an empty database and three
            group roles, DB_reader, DB_recorder and DB_admin (see `chronicle grant`); the connecting role
            needs CREATEROLE and becomes an admin.
            """)

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let location = storeOptions.location
        let existed = (try? storeOptions.openLog()) != nil
        if !existed, let path = location.directory {
            try createParentDirectories(of: path)
            try prepareDirectory(path)
        }
        let log = try storeOptions.openLog(create: true)
        if !existed, let path = location.directory { try restrictModes(ofStoreIn: path) }
        let head = try log.head()
        if existed {
            printLine("store already exists at \(location) (\(head.seq) events)")
        } else if let postgres = log as? PostgresEventStore {
            let groups = PostgresEventStore.Access.allCases.map(postgres.roleName)
            printLine("created an empty store at \(location) (group roles \(groups.joined(separator: ", ")))")
        } else {
            printLine("created an empty store at \(location)")
        }
    }

    /// Creates the directories above `path` that are missing (mode 0700, as the XDG base directory
    /// specification asks of the data directory), so that the default store, under
    /// `~/.local/share`, can be created on a new account.
    private func createParentDirectories(of path: String) throws {
        let parent = FileSystem.directory(of: path)
        guard !parent.isEmpty, !FileSystem.exists(parent) else { return }
        do {
            try FileSystem.createDirectories(parent)
        } catch {
            // The store's own creation reports the reason, with the path, in words.
        }
    }

    /// Lets a store be created in `path` only where no other user can reach it: an existing empty
    /// directory will be made 0700 (by ``restrictModes(ofStoreIn:)``); one that holds other files and
    /// that others may use is refused, since changing its mode would change it for those files too.
    private func prepareDirectory(_ path: String) throws {
        guard let status = try? FileSystem.status(of: path), status.kind == .directory,
            !status.permissions.isDisjoint(with: [.groupReadWriteExecute, .otherReadWriteExecute])
        else { return }
        let entries = (try? FileSystem.contentsOfDirectory(path)) ?? []
        let mode = String(status.permissions.rawValue & 0o777, radix: 8)
        guard entries.isEmpty else {
            throw CLIError.usage(
                "the directory \(path) is open to other users (mode \(mode)) and "
                    + "holds other files; give a new or empty directory for the store")
        }
    }
}
