internal import EventLog
internal import Foundation
internal import PostgresNIO

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

    /// Gives `session` back (closed instead when enough are idle, the pool is shut down, or a query it sent
    /// still has an answer nobody read: the next transaction would start behind it).
    func checkIn(_ session: PostgresSession) {
        let unread = session.unreadAnswers > 0
        let close: Bool = lock.withLock {
            inUse.removeAll { $0 === session }
            guard !isShutDown, !unread, idle.count < Self.idleLimit else { return true }
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
        var view = PostgresLogView(session: session, adminRole: roleName(.admin), formatOne: formatOne.isOne)
        view.storedFormat = formatOne
        try mapped {
            do {
                try Self.begin(kind, on: session)
            } catch {
                // A connection the server dropped while idle is seen closed only when used: open a new one
                // and begin again (nothing of the transaction has happened yet). Any other failure is the
                // answer: beginning again would fail the same way.
                guard session.isLost else { throw error }
                try session.reconnectIfLost()
                try Self.begin(kind, on: session)
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
            if formatOne.tableGone { formatOne.tableGone = false; readFormatAgain() }
            throw error
        }
    }

    /// Begins a transaction of `kind` on `session`, with JIT compilation off for it (`SET LOCAL`, sent right
    /// after the BEGIN without waiting for its answer: the caller waits once, though postgres-nio sends the
    /// second statement only when the first is answered, so a transaction now costs two round trips on the
    /// wire where it cost one). Chronicle's statements are index lookups of a few ms whose estimated cost grows
    /// with the log: past `jit_above_cost` (a step's 1,000 tags from about 300k events) the server compiled
    /// each one, 10–200 ms for a statement of a few (at 1M, 2.4–3.2 s of a query's 3 s of server time), and a
    /// 1M import's tag reads (in its write transactions) 17 s of its 122 s. `SET LOCAL` ends with the
    /// transaction, so that a connection lent again, or shared through a pooler such as PgBouncer, keeps the
    /// server's setting.
    ///
    /// Should the setting fail once the BEGIN succeeded (a server without it, a cancel landing on it), the
    /// transaction is rolled back before the failure is thrown: the connection goes back to the pool outside
    /// any transaction, rather than in an aborted one that every later use would find (`settings` is the
    /// statement, for the tests to make it fail).
    static func begin(
        _ kind: TransactionKind, on session: PostgresSession, settings: String = "SET LOCAL jit = off"
    ) throws {
        let begin =
            kind == .read ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN ISOLATION LEVEL READ COMMITTED"
        let begun = try session.send(PostgresQuery(unsafeSQL: begin))
        let jitOff = Result { try session.send(PostgresQuery(unsafeSQL: settings)) }
        // Both answers are read whatever happens, so that none is left unread on the connection.
        let first = Result { try begun.rows() }
        let second = jitOff.flatMap { pending in Result { try pending.rows() } }
        _ = try first.get()
        do {
            _ = try second.get()
        } catch {
            // Bounded, as the rollback of a failed transaction: a connection that broke may never answer.
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
            guard let index = failure.eventIndex else {
                return .permissionDenied("\(failure.message); nothing was written")
            }
            return .eventRefused(index: index, reason: "\(failure.message); nothing was written")
        case PostgresSchema.State.restoreMismatch:
            return .restoreMismatch(seq: failure.detail.flatMap { UInt64($0) } ?? 0, reason: failure.message)
        case "42501":  // insufficient_privilege: the role lacks a privilege the statement needs
            return .permissionDenied(failure.reason)
        case "25006":  // read_only_sql_transaction: a hot standby, or default_transaction_read_only
            return readOnlyStore()
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
