public import EventLog
internal import Foundation
internal import PostgresNIO

/// The shared event store: one PostgreSQL database (see the README's "A shared log on PostgreSQL").
///
/// The log lives in the schema `chronicle` (see `PostgresSchema`). Appends go through the database's
/// `chronicle.append_events`, which computes `seq`, `streamVersion`, `recordedAt`, `recordedBy` (the
/// authenticated user) and the hash chain, with the same bytes as ``LMDBEventStore``; who may read, append,
/// erase, restore and grant is decided by PostgreSQL's roles `<db>_reader`, `<db>_recorder`, `<db>_admin`.
///
/// One connection per transaction running at the same time (a reader holding its snapshot on one thread does not
/// hold up an append on another, as with LMDB); connections left idle are kept for the next transaction.
///
/// ```swift
/// let store = try PostgresEventStore(location: PostgresLocation(uri: "postgresql://ann@db/programme"))
/// try store.append([event])
/// ```
public final class PostgresEventStore: EventStore {
    /// How a store is opened.
    public struct Options: Sendable {
        /// Create the schema and the group roles when the database holds none (`chronicle init`).
        public var create: Bool
        /// As ``LMDBEventStore/Options/allowsClockBehind``.
        public var allowsClockBehind: Bool

        /// Told what the store did that is no failure but the user should hear of (an upgrade of a format-1
        /// store that gave way to a reader): one line, for standard error.
        public var notice: (@Sendable (String) -> Void)?

        /// Creates options.
        public init(
            create: Bool = false, allowsClockBehind: Bool = false, notice: (@Sendable (String) -> Void)? = nil
        ) {
            self.create = create
            self.allowsClockBehind = allowsClockBehind
            self.notice = notice
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
    let session: PostgresSession
    let pool: ConnectionPool
    let clock: (any TransactionClock)?
    let allowsClockBehind: Bool
    /// See ``Options/notice``.
    let notice: (@Sendable (String) -> Void)?
    /// Whether the store is of format 1, read as it is until a write upgrades it (see ``upgradeFormat()``).
    let formatOne = StoredFormat()
    /// Failures tests inject into appends (none otherwise).
    package let faults = AppendFaults()

    /// Connects to the store at `location`. `clock`, when given (`CHRONICLE_NOW`), is honoured only for a
    /// member of the admin role; everyone else's events get the database's clock.
    ///
    /// Throws ``EventLogError/storeNotFound(path:)`` (naming the URI, without password) when the database has
    /// no Chronicle schema and `options.create` is off, ``EventLogError/unsupportedFormat(found:supported:)``
    /// for a schema of another format, and ``EventLogError/storage(_:)`` when the server cannot be reached or
    /// refuses the login.
    public init(location: PostgresLocation, options: Options = Options(), clock: (any TransactionClock)? = nil) throws {
        self.location = location
        self.clock = clock
        self.allowsClockBehind = options.allowsClockBehind
        self.notice = options.notice
        session = try PostgresSession(location: location)
        pool = ConnectionPool(first: session)
        do {
            try open(create: options.create)
        } catch {
            pool.shutDown()
            throw error
        }
    }

    deinit { pool.shutDown() }

    /// The name of the group role for `access` in this database.
    public func roleName(_ access: Access) -> String { PostgresSchema.role(access, database: location.database) }

    /// Closes the connections. Further use throws.
    public func close() { pool.shutDown() }

    public func read<R>(_ body: (any LogView) throws -> R) throws -> R {
        try transaction(.read) { try body($0) }
    }

    public func releaseReadMemory() {}

    public func saveCheckpoint(_ checkpoint: Checkpoint) throws {
        try transaction(.write) { view in
            // A checkpoint is a cache: a connection that may not write (a reader, a hot standby) keeps none.
            guard try canWrite(view, privilege: "has_table_privilege('chronicle.checkpoints', 'INSERT, UPDATE')")
            else { return }
            try view.put(checkpoint)
        }
    }

    /// Whether this connection may write, and holds `privilege` (an SQL boolean expression).
    func canWrite(_ view: PostgresLogView, privilege: String) throws -> Bool {
        guard
            let row = try view.query(
                "SELECT current_setting('transaction_read_only') = 'off' AND \(unescaped: privilege)"
            ).first
        else { return false }
        var cells = Cells(row)
        return try cells.next(Bool.self)
    }

    // MARK: Opening

    /// Reads the store's format and whether the append function is to be replaced, in one statement outside
    /// any transaction: every command opens, and this is one round trip where a transaction around it, and a
    /// first one asking whether the schema exists, made six. Only when that statement finds no `chronicle.meta`
    /// is the schema looked for (`init` creates a missing one; a schema without its meta table is a damaged
    /// store, not a missing one).
    private func open(create: Bool) throws {
        var read = try readFormat()
        if read == nil {
            let exists = try mapped {
                try statement("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'chronicle')") {
                    var cells = Cells(try $0.first.unwrapped("pg_namespace"))
                    return try cells.next(Bool.self)
                }
            }
            guard !exists else {
                throw EventLogError.storage(
                    "the store at \(location) is damaged: schema chronicle has no table meta")
            }
            guard create else { throw EventLogError.storeNotFound(path: location.description) }
            try createSchema()
            read = try readFormat()
        }
        let (format, functionNeedsUpgrade) = try read.unwrapped("chronicle.meta")
        if format == "1" {
            // Read as it is, with its own functions (whose revision stays: this build's write format 2's
            // tag index), until a write upgrades it (``upgradeFormatBeforeWriting()``).
            formatOne.isOne = true
            return
        }
        guard let format, let found = UInt32(format), found == PostgresSchema.format else {
            throw EventLogError.unsupportedFormat(
                found: format.flatMap { UInt32($0) } ?? 0, supported: PostgresSchema.format)
        }
        if functionNeedsUpgrade { try upgradeAppendFunction() }
    }

    /// The stored format and whether the append function needs replacing (its revision is read with the
    /// format, so that opening pays no round trip more for it); nil when the database has no `chronicle.meta`
    /// (SQLSTATE 42P01, or 3F000 for the schema).
    func readFormat() throws -> (format: String?, functionNeedsUpgrade: Bool)? {
        do {
            return try statement(
                """
                SELECT (SELECT value FROM chronicle.meta WHERE key = 'format'),
                    \(unescaped: Self.appendFunctionNeedsUpgrade)
                """
            ) { rows in
                var cells = Cells(try rows.first.unwrapped("chronicle.meta"))
                return (try cells.next(String?.self), try cells.next(Bool.self))
            }
        } catch let failure as PostgresFailure where failure.sqlState == "42P01" || failure.sqlState == "3F000" {
            return nil
        } catch let failure as PostgresFailure where failure.sqlState == "42501" {
            throw EventLogError.permissionDenied(
                "role \(location.user) may not read the Chronicle store at \(location) (grant it "
                    + "\(roleName(.reader)): `chronicle grant reader \(location.user)`)")
        } catch let failure as PostgresFailure {
            throw eventLogError(failure)
        }
    }

    /// Creates the schema and the three group roles, in one transaction.
    private func createSchema() throws {
        try transaction(.write) { view in
            let encoding = try view.query(
                "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()")
            var encodingCells = Cells(try encoding.first.unwrapped("pg_database"))
            let name = try encodingCells.next(String.self)
            guard name == "UTF8" else {
                throw EventLogError.storage(
                    "database \(location.database) uses encoding \(name): a Chronicle store needs UTF8 "
                        + "(CREATE DATABASE … ENCODING 'UTF8')")
            }
            var missing: [String] = []
            for access in Access.allCases {
                let role = roleName(access)
                if try view.query("SELECT 1 FROM pg_roles WHERE rolname = \(role)").isEmpty { missing.append(role) }
            }
            if !missing.isEmpty {
                var cells = Cells(
                    try view.query("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
                        .first.unwrapped("pg_roles"))
                guard try cells.next(Bool.self) else {
                    throw EventLogError.permissionDenied(
                        "chronicle init needs the CREATEROLE privilege to create the roles "
                            + missing.joined(separator: ", ") + " (role \(location.user) does not have it; a "
                            + "superuser can run `ALTER ROLE \(location.user) CREATEROLE` or create those roles)")
                }
                for role in missing {
                    try view.session.execute("CREATE ROLE \(PostgresSchema.identifier(role)) NOLOGIN")
                }
            }
            let reader = PostgresSchema.identifier(roleName(.reader))
            let recorder = PostgresSchema.identifier(roleName(.recorder))
            let admin = PostgresSchema.identifier(roleName(.admin))
            // Recorders read; admins record and read, and may pass any of the three on.
            try view.session.execute("GRANT \(reader) TO \(recorder)")
            try view.session.execute("GRANT \(reader), \(recorder) TO \(admin) WITH ADMIN OPTION")
            try view.session.execute("GRANT \(admin) TO CURRENT_USER WITH ADMIN OPTION")
            for statement in PostgresSchema.creation(database: location.database) {
                try view.session.execute(statement)
            }
        }
    }

    // MARK: Grants

    /// Grants `access` to the database role `role`; for a recorder, `collaboratives` (scopes) limits what it
    /// may record for (nil: everything). Needs the admin role.
    public func grant(_ access: Access, to role: String, scopes: [String]?) throws {
        try administering("grant \(access.rawValue) to \(role)") { view in
            let group = PostgresSchema.identifier(roleName(access))
            let option = access == .admin ? " WITH ADMIN OPTION" : ""
            try view.session.execute("GRANT \(group) TO \(PostgresSchema.identifier(role))\(option)")
            guard access == .recorder else { return }
            try view.query("DELETE FROM chronicle.recording_scopes WHERE role = \(role)")
            for scope in Set(scopes ?? []).sorted() {
                try view.query("INSERT INTO chronicle.recording_scopes VALUES (\(role), \(scope))")
            }
        }
    }

    /// Takes `access` (and any scope limits) back from `role`. Needs the admin role.
    public func revoke(_ access: Access, from role: String) throws {
        try administering("revoke \(access.rawValue) from \(role)") { view in
            try view.session.execute(
                "REVOKE \(PostgresSchema.identifier(roleName(access))) FROM \(PostgresSchema.identifier(role))")
            if access == .recorder {
                try view.query("DELETE FROM chronicle.recording_scopes WHERE role = \(role)")
            }
        }
    }

    /// Runs an admin's change, saying so when the role lacks the privilege.
    private func administering(_ action: String, _ body: (PostgresLogView) throws -> Void) throws {
        do {
            try transaction(.write, body)
        } catch let error as EventLogError {
            let refusal: String? =
                switch error {
                case .permissionDenied(let message): message
                // 0LP01, invalid grant operation: the role may not pass that group role on.
                case .storage(let message) where message.contains("SQLSTATE 0LP01"): message
                default: nil
                }
            guard let refusal else { throw error }
            throw EventLogError.permissionDenied(
                "cannot \(action): granting needs the \(roleName(.admin)) role (\(refusal))")
        }
    }
}
