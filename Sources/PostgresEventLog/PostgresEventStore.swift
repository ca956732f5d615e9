public import EventLog
public import Foundation
internal import PostgresNIO

// SKELETON (coordinator, session 8): the public API the CLI and the tests are written against while the
// backend is built. Every body below must be replaced by the real thing before this lands on main.

/// Where a PostgreSQL store is: a `postgresql://[user[:password]@]host[:port]/db[?sslmode=…]` URI completed
/// by libpq's conventions (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, `~/.pgpass` or
/// PGPASSFILE).
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// Whether `text` names a PostgreSQL store (`postgresql://` or `postgres://`) rather than a directory.
    public static func isURI(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// Host name or address, or a socket directory (starting with `/`).
    public var host: String
    /// TCP port.
    public var port: Int
    /// The database user.
    public var user: String
    /// The password, when one was given (URI, PGPASSWORD or the password file).
    public var password: String?
    /// The database.
    public var database: String
    /// libpq's sslmode: disable, allow, prefer, require, verify-ca, verify-full.
    public var sslMode: String

    /// Parses `uri`, filling what it leaves out from `environment` (PG* variables, then the password file).
    /// Throws ``EventLogError/storage(_:)`` naming the part that does not parse.
    public init(uri: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        throw EventLogError.storage("PostgreSQL locations are not parsed yet")
    }

    /// The URI without its password, for messages.
    public var description: String { "postgresql://\(user)@\(host):\(port)/\(database)" }
}

/// The shared event store: one PostgreSQL database (see the README's "A shared log on PostgreSQL").
public final class PostgresEventStore: EventStore {
    /// How a store is opened.
    public struct Options: Sendable {
        /// Create the schema and the group roles when the database holds none (`chronicle init`).
        public var create: Bool
        /// As ``LMDBEventStore/Options/allowsClockBehind``.
        public var allowsClockBehind: Bool

        /// Creates options.
        public init(create: Bool = false, allowsClockBehind: Bool = false) {
            self.create = create
            self.allowsClockBehind = allowsClockBehind
        }
    }

    /// What a role may do: the three group roles `init` creates.
    public enum Access: String, Sendable, CaseIterable {
        /// Every query.
        case reader
        /// Appends (and every query).
        case recorder
        /// Erase, restore, grants (and everything else).
        case admin
    }

    /// The location it was opened at.
    public let location: PostgresLocation

    /// Connects to the store at `location`. `clock`, when given (`CHRONICLE_NOW`), is honoured only for a
    /// member of the admin role; everyone else's events get the database's clock.
    public init(location: PostgresLocation, options: Options = Options(), clock: (any TransactionClock)? = nil) throws {
        self.location = location
        throw EventLogError.storage("the PostgreSQL backend is not built yet")
    }

    /// Grants `access` to the database role `role`; for a recorder, `collaboratives` (scopes) limits what it
    /// may record for (nil: everything). Needs the admin role.
    public func grant(_ access: Access, to role: String, scopes: [String]?) throws {
        throw EventLogError.storage("the PostgreSQL backend is not built yet")
    }

    /// Takes `access` (and any scope limits) back from `role`. Needs the admin role.
    public func revoke(_ access: Access, from role: String) throws {
        throw EventLogError.storage("the PostgreSQL backend is not built yet")
    }

    /// Closes the connection. Further use throws.
    public func close() {}

    public func read<R>(_ body: (any LogView) throws -> R) throws -> R {
        throw EventLogError.storage("the PostgreSQL backend is not built yet")
    }

    public func append(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion],
        prepare: ((any SubjectKeyWriter, [NewEvent]) throws -> [NewEvent])?,
        validate: (@Sendable (any LogView, [NewEvent]) throws -> Void)?,
        checkpoints: ((any LogView, [RecordedEvent]) throws -> [Checkpoint])?
    ) throws -> AppendResult {
        throw EventLogError.storage("the PostgreSQL backend is not built yet")
    }

    public func restore(_ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey], dryRun: Bool) throws
        -> LogHead
    {
        throw EventLogError.storage("the PostgreSQL backend is not built yet")
    }

    public func catchUpTags(scheme: String, _ tagger: (RecordedEvent) throws -> [String]) throws -> Int {
        throw EventLogError.storage("the PostgreSQL backend is not built yet")
    }

    public func releaseReadMemory() {}

    public func saveCheckpoint(_ checkpoint: Checkpoint) throws {
        throw EventLogError.storage("the PostgreSQL backend is not built yet")
    }

    public func verify() throws -> VerificationReport {
        throw EventLogError.storage("the PostgreSQL backend is not built yet")
    }
}
