import ArgumentParser
import Collaboratives
import EventLog
import PostgresEventLog

struct GrantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Let a PostgreSQL role read, record into or administer a shared log.",
        discussion: """
            Examples:
              chronicle grant recorder ann --collaborative oldham --store postgresql://lead@db.example.org/programme
              chronicle grant reader evaluators
              chronicle grant admin lead --json

            ROLE is a role of the PostgreSQL server (create it first: `createuser --pwprompt ann`, or
            CREATE ROLE); grant makes it a member of one of the three group roles `chronicle init` made for
            the database: DB_reader (every query, report and verify), DB_recorder (appends too) or DB_admin
            (erase, restore and grants too). PostgreSQL enforces them: a reader's append is refused by the
            server and nothing is written. --collaborative (repeatable, recorder only) limits what the
            recorder may record for: an append naming any other collaborative is refused and nothing is
            written; granting recorder again replaces the list. The events a recorder appends carry its
            role as recordedBy. Only an admin may grant.

            Grants need a PostgreSQL store (exit 64 on an LMDB store, whose access is its directory's file
            permissions). A role that does not exist is the server's error, on one line. Undo a grant with
            `chronicle revoke`.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: ArgumentHelp("What the role may do: reader, recorder or admin.", valueName: "access"))
    var access: GrantedAccess
    @Argument(help: ArgumentHelp("The PostgreSQL role (it must exist).", valueName: "role"))
    var role: String
    @Option(
        name: .customLong("collaborative"),
        help: ArgumentHelp(
            "Limit a recorder to this collaborative (repeatable; default: every collaborative).", valueName: "slug"))
    var collaboratives: [String] = []
    @Flag(name: .long, help: "Print what was granted as JSON.") var json = false

    func validate() throws {
        if !collaboratives.isEmpty && access != .recorder {
            throw ValidationError(
                "--collaborative limits a recorder only; a \(access.rawValue) reads every collaborative")
        }
        for collaborative in collaboratives where Slug(collaborative) == nil {
            throw ValidationError(
                "--collaborative: \(collaborative.debugDescription) is not a slug ([a-z0-9][a-z0-9-]*, at most 64)")
        }
        try GrantedAccess.validateRole(role)
    }

    func run() throws {
        let store = try GrantedAccess.openStoreForGrants(storeOptions)
        defer { store.close() }
        let scopes = collaboratives.isEmpty ? nil : collaboratives
        try store.grant(access.access, to: role, scopes: scopes)
        if json {
            printJSON(
                .object([
                    "granted": .string(access.rawValue), "role": .string(role),
                    "collaboratives": scopes.map { .array($0.map { .string($0) }) } ?? .null,
                ]))
        } else if let scopes {
            printLine("granted \(access.rawValue) to \(role) for \(scopes.joined(separator: ", ")) only")
        } else {
            printLine("granted \(access.rawValue) to \(role)")
        }
    }
}
