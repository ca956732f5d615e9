import ArgumentParser
import Collaboratives
import EventLog
import PostgresEventLog

struct RevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Take a PostgreSQL role's access to a shared log back.",
        discussion: """
            Examples:
              chronicle revoke recorder ann --store postgresql://lead@db.example.org/programme
              chronicle revoke reader evaluators --json

            Takes ROLE out of the group role DB_reader, DB_recorder or DB_admin (see `chronicle grant`),
            with any limit to collaboratives it had as a recorder. The events it recorded stay, under its
            name. Only an admin may revoke.

            Revoking needs a PostgreSQL store (exit 64 on an LMDB store, whose access is its directory's
            file permissions). A role that does not exist is the server's error, on one line.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("The access to take back: reader, recorder or admin.", valueName: "access"))
    var access: GrantedAccess
    @Argument(help: ArgumentHelp("The PostgreSQL role.", valueName: "role"))
    var role: String
    @Flag(name: .long, help: "Print what was revoked as JSON.") var json = false

    func validate() throws {
        try GrantedAccess.validateRole(role)
    }

    func run() throws {
        let store = try GrantedAccess.openStoreForGrants(storeOptions)
        defer { store.close() }
        try store.revoke(access.access, from: role)
        if json {
            printJSON(.object(["revoked": .string(access.rawValue), "role": .string(role)]))
        } else {
            printLine("revoked \(access.rawValue) from \(role)")
        }
    }
}
