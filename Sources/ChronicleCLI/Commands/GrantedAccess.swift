import ArgumentParser
import PostgresEventLog

/// The access `grant` and `revoke` name: the three group roles `chronicle init` makes on PostgreSQL.
enum GrantedAccess: String, CaseIterable, ExpressibleByArgument {
    case reader
    case recorder
    case admin

    /// The backend's name for it.
    var access: PostgresEventStore.Access {
        switch self {
        case .reader: .reader
        case .recorder: .recorder
        case .admin: .admin
        }
    }

    /// Refuses an empty role name (anything else is the server's to judge: a role that does not exist is
    /// its error).
    static func validateRole(_ role: String) throws {
        if role.isEmpty { throw ValidationError("the role name is empty") }
    }

    /// Opens the PostgreSQL store `options` name for `grant` or `revoke`; refuses an LMDB store (exit 64),
    /// whose access is a matter of file permissions, not of roles.
    static func openStoreForGrants(_ options: StoreOptions) throws -> PostgresEventStore {
        guard case .postgres = options.location, let store = try options.location.open() as? PostgresEventStore else {
            throw CLIError.usage(
                "grants need a PostgreSQL store (--store postgresql://…); an LMDB store's access is its directory's "
                    + "file permissions")
        }
        return store
    }
}
