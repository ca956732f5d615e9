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
            needs CREATEROLE and becomes an admin. On a store an earlier build made (format 1, which every
            command reads as it is and its owner's first write upgrades), init run by its owner or a
            superuser upgrades it now and says so; anyone else is told who may (exit 77).
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
        if existed, let postgres = log as? PostgresEventStore, postgres.storedFormat != PostgresEventStore.formatVersion
        {
            try upgrade(postgres, at: location, events: head.seq)
        } else if existed {
            printLine("store already exists at \(location) (\(head.seq) events)")
        } else if let postgres = log as? PostgresEventStore {
            let groups = PostgresEventStore.Access.allCases.map(postgres.roleName)
            printLine("created an empty store at \(location) (group roles \(groups.joined(separator: ", ")))")
        } else {
            printLine("created an empty store at \(location)")
        }
    }

    /// Upgrades a PostgreSQL store an earlier build made (opening reads it as it is; its owner's first write,
    /// or this, upgrades it) and says what was done, or why not: only its owner or a superuser may, on a
    /// writable primary.
    private func upgrade(_ store: PostgresEventStore, at location: StoreLocation, events: UInt64) throws {
        let from = store.storedFormat
        let to = PostgresEventStore.formatVersion
        switch try store.upgradeFormat() {
        case .current:
            printLine("store already exists at \(location) (\(events) events)")
        case .upgraded(let from):
            printLine(
                "store already exists at \(location) (\(events) events): upgraded it from format \(from) to "
                    + "format \(to) (events, hashes, keys and grants unchanged; earlier builds refuse format \(to))")
        case .needsOwner(let owner):
            throw CLIError(
                status: .permissionDenied,
                message:
                    "the store at \(location) (\(events) events) is format \(from) and this build writes format \(to): "
                    + "only its owner (\(owner)) or a superuser can upgrade it (`chronicle init` as \(owner)); "
                    + "it is read and written as it is meanwhile; nothing was changed")
        case .readOnly:
            throw CLIError.io(
                "the store at \(location) (\(events) events) is format \(from) and read-only here (a hot standby, "
                    + "or default_transaction_read_only is on): upgrade it on the primary; nothing was changed")
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
