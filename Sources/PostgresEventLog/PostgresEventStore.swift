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
    let session: PostgresSession
    let pool: ConnectionPool
    let clock: (any TransactionClock)?
    let allowsClockBehind: Bool

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
        var (format, functionNeedsUpgrade) = try read.unwrapped("chronicle.meta")
        if format == "1" {
            try upgradeFormat()
            // Read again: another opener may have upgraded it first, or to a format this build does not read.
            (format, functionNeedsUpgrade) = try readFormat().unwrapped("chronicle.meta")
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
    private func readFormat() throws -> (format: String?, functionNeedsUpgrade: Bool)? {
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

/// The store's connections. A transaction takes an idle one (or opens one) and gives it back when it ends, so
/// transactions on several threads run side by side, each on its own connection; a thread that opens a read
/// inside its own transaction runs it in that transaction (a nested read must see what its writer sees).
final class ConnectionPool: @unchecked Sendable {
    // @unchecked: every member is read and written under `lock`.
    private let lock = NSLock()
    private let location: PostgresLocation
    private var idle: [PostgresSession]
    private var inUse: [PostgresSession] = []
    /// The transaction each thread has open, by thread.
    private var open: [ObjectIdentifier: (view: PostgresLogView, writable: Bool)] = [:]
    private var isShutDown = false

    /// How many idle connections are kept; more are closed when given back.
    static let idleLimit = 4

    init(first: PostgresSession) {
        location = first.location
        idle = [first]
    }

    /// The transaction the calling thread has open, if any.
    func openTransaction() -> (view: PostgresLogView, writable: Bool)? {
        lock.withLock { open[ObjectIdentifier(Thread.current)] }
    }

    /// An idle connection, or a new one.
    func checkOut() throws -> PostgresSession {
        let reused: PostgresSession? = try lock.withLock {
            guard !isShutDown else { throw EventLogError.storage("the connection to \(location) is closed") }
            return idle.popLast()
        }
        let session = try reused ?? PostgresSession(location: location)
        lock.withLock { inUse.append(session) }
        return session
    }

    /// Gives `session` back (closed instead when enough are idle or the pool is shut down).
    func checkIn(_ session: PostgresSession) {
        let close: Bool = lock.withLock {
            inUse.removeAll { $0 === session }
            guard !isShutDown, idle.count < Self.idleLimit else { return true }
            idle.append(session)
            return false
        }
        if close { session.shutDown() }
    }

    /// Records `view` as the calling thread's open transaction (nil: it ended).
    func setOpen(_ view: (view: PostgresLogView, writable: Bool)?) {
        lock.withLock { open[ObjectIdentifier(Thread.current)] = view }
    }

    /// Closes every connection.
    func shutDown() {
        let sessions: [PostgresSession] = lock.withLock {
            isShutDown = true
            defer { idle = [] }
            return idle + inUse
        }
        for session in sessions { session.shutDown() }
    }
}

extension PostgresEventStore {
    enum TransactionKind {
        /// `REPEATABLE READ READ ONLY`: one consistent snapshot.
        case read
        /// `READ COMMITTED`: writers serialise on the head row, and each statement sees every commit before.
        case write
    }

    /// Runs `body` in one transaction, committed when it returns and rolled back when it throws; the
    /// server's failures come out as ``EventLogError``.
    func transaction<R>(_ kind: TransactionKind, _ body: (PostgresLogView) throws -> R) throws -> R {
        if let open = pool.openTransaction() {
            guard kind == .read else {
                throw EventLogError.storage("a write was started inside another transaction of the same thread")
            }
            return try mapped { try body(open.view) }
        }
        let session = try mapped { try pool.checkOut() }
        defer { pool.checkIn(session) }
        try mapped { try session.reconnectIfLost() }
        let view = PostgresLogView(session: session, adminRole: roleName(.admin))
        let begin =
            kind == .read ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN ISOLATION LEVEL READ COMMITTED"
        try mapped {
            do {
                try session.execute(begin)
            } catch {
                // A connection the server dropped while idle is seen closed only when used: open a new one
                // and begin again (nothing of the transaction has happened yet).
                try session.reconnectIfLost()
                try session.execute(begin)
            }
        }
        pool.setOpen((view, kind == .write))
        defer { pool.setOpen(nil) }
        do {
            let result = try mapped { try body(view) }
            try mapped { try session.execute("COMMIT") }
            return result
        } catch {
            // Bounded: after a crash or a terminated backend the connection may never answer (it hung here).
            try? session.executeBounded("ROLLBACK", seconds: 5)
            throw error
        }
    }

    /// Runs one read-only statement on its own, in the server's implicit transaction, and hands its rows to
    /// `body`: one round trip where BEGIN, the statement and COMMIT are three. Inside a transaction the
    /// thread has open, it runs there. The statement's failures come out as ``PostgresFailure``s (the caller
    /// tells them apart by SQLSTATE), a connection that cannot be had as an ``EventLogError``.
    func statement<R>(_ query: PostgresQuery, _ body: ([PostgresRow]) throws -> R) throws -> R {
        if let open = pool.openTransaction() { return try body(try open.view.query(query)) }
        let session = try mapped { try pool.checkOut() }
        defer { pool.checkIn(session) }
        try mapped { try session.reconnectIfLost() }
        let rows: [PostgresRow]
        do {
            rows = try session.query(query)
        } catch is PostgresFailure where session.isLost {
            // A connection the server dropped while idle is seen closed only when used: a read can be asked
            // again on a new one.
            try mapped { try session.reconnectIfLost() }
            rows = try session.query(query)
        }
        return try body(rows)
    }

    /// ``transaction(_:_:)`` of a write, rolled back once `body` has returned when `discarding` (a dry run):
    /// what it returns says what would have been written.
    func transaction<R: Sendable>(
        _ kind: TransactionKind, discarding: Bool, _ body: (PostgresLogView) throws -> R
    ) throws -> R {
        guard discarding else { return try transaction(kind, body) }
        do {
            return try transaction(kind) { view -> R in throw AppendSteps.Discarded(try body(view)) }
        } catch let discarded as AppendSteps.Discarded<R> {
            return discarded.result
        }
    }

    /// Runs `body`, turning the server's failures into ``EventLogError``s.
    func mapped<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let failure as PostgresFailure {
            throw eventLogError(failure)
        }
    }

    /// The ``EventLogError`` for a failure of the server: Chronicle's own SQLSTATEs as their cases, a missing
    /// privilege (42501) as ``EventLogError/permissionDenied(_:)``, the rest as ``EventLogError/storage(_:)``,
    /// each with the server's message, SQLSTATE and detail.
    func eventLogError(_ failure: PostgresFailure) -> EventLogError {
        switch failure.sqlState {
        case PostgresSchema.State.clockBehindHead:
            let numbers = (failure.detail ?? "").split(separator: " ").compactMap { Int64($0) }
            guard numbers.count == 2 else { return .storage(failure.reason) }
            return .clockBehindHead(
                clock: Timestamp(microsecondsSinceEpoch: numbers[0]),
                head: Timestamp(microsecondsSinceEpoch: numbers[1]))
        case PostgresSchema.State.scopeRefused:
            return .permissionDenied("\(failure.message); nothing was written")
        case PostgresSchema.State.restoreMismatch:
            return .restoreMismatch(seq: failure.detail.flatMap { UInt64($0) } ?? 0, reason: failure.message)
        case "42501":  // insufficient_privilege: the role lacks a privilege the statement needs
            return .permissionDenied(failure.reason)
        default:
            return .storage(failure.reason)
        }
    }
}

extension Optional {
    /// The value, or a storage error saying which query returned no row.
    func unwrapped(_ what: String) throws -> Wrapped {
        guard let self else { throw EventLogError.storage("a query of \(what) returned no row") }
        return self
    }
}
