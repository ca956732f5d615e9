internal import EventLog
internal import FileSystem
internal import Foundation
package import PostgresNIO

/// One connection to the server, used synchronously: each query waits for its result on the calling
/// thread while a private one-thread event loop does the I/O.
///
/// Only `EventLoopFuture.wait()` blocks, never a Swift `Task`: a caller on Swift's cooperative pool (a test)
/// blocks one of its threads, but the work it waits for runs on the event loop's own thread, so nothing
/// waits for itself.
package final class PostgresSession: @unchecked Sendable {
    // @unchecked: `connection` is replaced only under `lock`; PostgresConnection itself is thread-safe (it
    // queues queries on its event loop), the lock keeps one query's request and result together.
    private let lock = NSLock()
    private let group: MultiThreadedEventLoopGroup
    private var connection: PostgresConnection?
    private var isShutDown = false
    private var queries = 0
    /// Queries sent by ``send(_:)`` whose answers nobody has read yet (see ``unreadAnswers``).
    private let unread = UnreadAnswers()
    private let logger: Logger
    /// The location connected to.
    package let location: PostgresLocation

    /// Connects to `location`; a refused connection or failed authentication throws
    /// ``EventLogError/storage(_:)`` starting "cannot connect to postgresql://…".
    package init(location: PostgresLocation) throws {
        self.location = location
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var logger = Logger(label: "chronicle.postgresql")
        logger.logLevel = .critical
        self.logger = logger
        do {
            connection = try Self.connect(location, on: group, logger: logger)
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    deinit { shutDown() }

    /// Closes the connection and stops the event loop. Further queries throw.
    package func shutDown() {
        let (connection, first): (PostgresConnection?, Bool) = lock.withLock {
            defer {
                self.connection = nil
                isShutDown = true
            }
            return (self.connection, !isShutDown)
        }
        guard first else { return }
        if let connection { _ = try? Self.bounded(connection.close(), on: connection, seconds: 5) }
        try? group.syncShutdownGracefully()
    }

    /// Runs SQL without parameters, waiting at most `seconds` for the answer, after which the connection is
    /// closed and an error thrown: for the ROLLBACK after a failure, which a connection the server dropped
    /// (a crash, a terminated backend) may never answer.
    package func executeBounded(_ sql: String, seconds: Int64) throws {
        let open: PostgresConnection = try lock.withLock {
            guard let connection = self.connection, !isShutDown, !connection.isClosed else {
                throw EventLogError.storage("the connection to \(location) is closed")
            }
            return connection
        }
        do {
            _ = try Self.bounded(open.query(PostgresQuery(unsafeSQL: sql), logger: logger), on: open, seconds: seconds)
        } catch {
            throw PostgresFailure(error, location: location)
        }
    }

    /// Waits for `future` at most `seconds`; then closes `connection` and throws.
    private static func bounded<Value: Sendable>(
        _ future: EventLoopFuture<Value>, on connection: PostgresConnection, seconds: Int64
    ) throws -> Value {
        let eventLoop = connection.eventLoop
        let promise = eventLoop.makePromise(of: Value.self)
        // Both completions run on the event loop; the first one wins.
        let settled = Settled()
        let timer = eventLoop.scheduleTask(in: .seconds(seconds)) {
            guard settled.first() else { return }
            promise.fail(EventLogError.storage("the server did not answer within \(seconds) s"))
            let _: EventLoopFuture<Void> = connection.close()
        }
        future.whenComplete { result in
            guard settled.first() else { return }
            timer.cancel()
            promise.completeWith(result)
        }
        return try promise.futureResult.wait()
    }

    /// Opens a new connection when the last one was lost (the server restarted, the network dropped). Only between transactions: a transaction cannot
    /// continue on another connection.
    func reconnectIfLost() throws {
        try lock.withLock {
            guard !isShutDown else { throw EventLogError.storage("the connection to \(location) is closed") }
            if let connection, !connection.isClosed { return }
            connection = try Self.connect(location, on: group, logger: logger)
        }
    }

    /// Whether the connection is gone (closed by the server or the network), so that a new one is needed.
    var isLost: Bool { lock.withLock { connection?.isClosed ?? true } }

    /// How many queries this session has sent: each is a round trip to the server, which is what a read's
    /// cost over a network comes down to (tests hold the batch reads to a few).
    package var queryCount: Int { lock.withLock { queries } }

    /// How many queries sent by ``send(_:)`` have an answer nobody read with ``PendingQuery/rows()``. A
    /// transaction leaves none behind: its caller could not tell whether that query wrote, failed, or still runs
    /// (the pool closes a connection given back with one, rather than lend it again).
    package var unreadAnswers: Int { unread.count }

    /// Runs `query` and returns its rows; a failure throws a ``PostgresFailure`` carrying the server's message,
    /// SQLSTATE and detail (the store turns it into an ``EventLogError``).
    @discardableResult
    package func query(_ query: PostgresQuery) throws -> [PostgresRow] {
        let open: PostgresConnection = try lock.withLock {
            guard let connection = self.connection, !isShutDown else {
                throw EventLogError.storage("the connection to \(location) is closed")
            }
            queries += 1
            return connection
        }
        do {
            return Array(try Self.answer(to: open.query(query, logger: logger), on: open))
        } catch {
            throw PostgresFailure(error, location: location)
        }
    }

    /// Sends `query` without waiting for its answer, which ``PendingQuery/rows()`` waits for. The connection
    /// runs its queries one after another in the order sent, so a query sent while the previous one runs
    /// starts as soon as that one is answered: the caller prepares the next one meanwhile.
    package func send(_ query: PostgresQuery) throws -> PendingQuery {
        let open: PostgresConnection = try lock.withLock {
            guard let connection = self.connection, !isShutDown else {
                throw EventLogError.storage("the connection to \(location) is closed")
            }
            queries += 1
            return connection
        }
        unread.add(1)
        return PendingQuery(
            future: open.query(query, logger: logger), connection: open, location: location, unread: unread)
    }

    /// A query sent by ``PostgresSession/send(_:)``, its answer not waited for yet.
    package struct PendingQuery: Sendable {
        fileprivate let future: EventLoopFuture<PostgresQueryResult>
        fileprivate let connection: PostgresConnection
        fileprivate let location: PostgresLocation
        fileprivate let unread: UnreadAnswers

        /// Waits for the answer, as ``PostgresSession/query(_:)`` does. Read once.
        package func rows() throws -> [PostgresRow] {
            defer { unread.add(-1) }
            do {
                return Array(try PostgresSession.answer(to: future, on: connection))
            } catch {
                throw PostgresFailure(error, location: location)
            }
        }
    }

    /// Waits for `future` for as long as `connection` stays open. A query sent just as the server went away
    /// (a crash, a terminated backend) was seen never to be answered nor failed once the connection had
    /// closed: a closed connection whose query is still pending after a second's grace is a lost connection.
    fileprivate static func answer<Value: Sendable>(
        to future: EventLoopFuture<Value>, on connection: PostgresConnection
    ) throws -> Value {
        let outcome = Outcome<Value>()
        future.whenComplete { outcome.settle($0) }
        var closedFor = 0
        while true {
            if let result = outcome.wait(seconds: 1) { return try result.get() }
            if connection.isClosed {
                closedFor += 1
                if closedFor >= 2 {
                    throw EventLogError.storage("the connection was lost (closed with a query unanswered)")
                }
            }
        }
    }

    /// Runs SQL without parameters.
    package func execute(_ sql: String) throws {
        try query(PostgresQuery(unsafeSQL: sql))
    }

    private static func connect(
        _ location: PostgresLocation, on group: MultiThreadedEventLoopGroup, logger: Logger
    ) throws -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        do {
            if location.host.hasPrefix("/") {
                configuration = .init(
                    unixSocketPath: FileSystem.joined(location.host, ".s.PGSQL.\(location.port)"),
                    username: location.user, password: location.password, database: location.database)
            } else {
                configuration = .init(
                    host: location.host, port: location.port, username: location.user, password: location.password,
                    database: location.database, tls: try tls(location))
            }
        } catch {
            throw EventLogError.storage("cannot connect to \(location): TLS cannot be set up (\(error))")
        }
        if let timeout = location.connectTimeout { configuration.options.connectTimeout = .seconds(Int64(timeout)) }
        if let name = location.applicationName {
            configuration.options.additionalStartupParameters.append(("application_name", name))
        }
        do {
            return try PostgresConnection.connect(
                on: group.next(), configuration: configuration, id: 1, logger: logger
            ).wait()
        } catch {
            let failure = PostgresFailure(error, location: location)
            throw EventLogError.storage("cannot connect to \(location): \(failure.reason)")
        }
    }

    /// libpq's sslmode as postgres-nio's TLS: allow and prefer try TLS and fall back; require insists without
    /// checking the certificate; verify-ca checks it against the system's roots; verify-full also checks
    /// that it names the host.
    private static func tls(_ location: PostgresLocation) throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch location.sslMode {
        case "disable": return .disable
        case "allow", "prefer":
            configuration.certificateVerification = .none
            return .prefer(try NIOSSLContext(configuration: configuration))
        case "require":
            configuration.certificateVerification = .none
            return .require(try NIOSSLContext(configuration: configuration))
        case "verify-ca":
            configuration.certificateVerification = .noHostnameVerification
            return .require(try NIOSSLContext(configuration: configuration))
        default:
            configuration.certificateVerification = .fullVerification
            return .require(try NIOSSLContext(configuration: configuration))
        }
    }
}

/// What a query's failure says: the server's SQLSTATE, message and detail when the server refused it, else
/// the connection's problem.
package struct PostgresFailure: Error {
    /// The SQLSTATE, when the server answered with an error.
    package let sqlState: String?
    /// The server's message (or the connection's problem).
    package private(set) var message: String
    /// The server's detail, if any.
    private(set) var detail: String?
    /// The constraint a violation names, if any.
    let constraint: String?
    /// The batch's event (its index, from 0) a scope refusal names, once ``renumbered(_:)`` placed it.
    private(set) var eventIndex: Int?

    init(_ error: any Error, location: PostgresLocation) {
        if let failure = error as? PostgresFailure {
            self = failure
        } else if let error = error as? PSQLError {
            if let info = error.serverInfo {
                sqlState = info[.sqlState]
                message = info[.message] ?? "the server refused the request"
                detail = info[.detail]
                constraint = info[.constraintName]
            } else {
                sqlState = nil
                detail = nil
                constraint = nil
                let underlying = error.underlying.map { " (\(String(describing: $0)))" } ?? ""
                switch error.code {
                case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
                    message = "the connection to \(location) was lost\(underlying)"
                case .connectionError:
                    message = "connection error\(underlying)"
                case .sslUnsupported:
                    message = "the server does not support TLS (sslmode requires it)"
                case .authMechanismRequiresPassword:
                    message = "the server asks for a password and none was given (URI, PGPASSWORD or ~/.pgpass)"
                default:
                    message = "\(error.code)\(underlying)"
                }
            }
        } else {
            sqlState = nil
            message = String(describing: error)
            detail = nil
            constraint = nil
        }
    }

    /// This failure with the event the server numbered in its DETAIL (a scope refusal: the event's place in
    /// one call of `chronicle.append_events`, from 1) numbered `position(n)` in the message instead, kept as
    /// ``eventIndex``, and no DETAIL; unchanged when the DETAIL is no number (a function older than revision 6
    /// gives none).
    func renumbered(_ position: (Int) -> Int) -> PostgresFailure {
        guard let number = detail.flatMap({ Int($0) }) else { return self }
        var failure = self
        let place = position(number)
        failure.message = message.replacingOccurrences(
            of: "event \(number) of the batch", with: "event \(place) of the batch")
        failure.detail = nil
        failure.eventIndex = place - 1
        return failure
    }

    /// The server's words, SQLSTATE and detail on one line.
    package var reason: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail, !detail.isEmpty { text += ": \(detail)" }
        return text
    }
}

/// Reads a row's cells in order, each decoded as the type asked for.
struct Cells {
    private var iterator: PostgresRow.Iterator

    init(_ row: PostgresRow) { iterator = row.makeIterator() }

    /// The next cell decoded as `T`; a missing or undecodable cell is a damaged record.
    mutating func next<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        guard let cell = iterator.next() else {
            throw EventLogError.corruptRecord(seq: 0, reason: "a result has too few columns")
        }
        do {
            return try cell.decode(T.self)
        } catch {
            throw EventLogError.corruptRecord(seq: 0, reason: "column \(cell.columnName) does not decode as \(T.self)")
        }
    }

    /// The next cell's bytes (a `bytea`), or `nil` for NULL.
    mutating func bytes() throws -> [UInt8]? {
        try next(ByteBuffer?.self).map { Array($0.readableBytesView) }
    }
}

/// A count shared by a session and the queries it sent (see ``PostgresSession/unreadAnswers``).
private final class UnreadAnswers: @unchecked Sendable {
    // @unchecked: `value` is read and written only under `lock`.
    private let lock = NSLock()
    private var value = 0

    var count: Int { lock.withLock { value } }

    func add(_ delta: Int) { lock.withLock { value += delta } }
}

/// Which of two completions came first.
private final class Settled: @unchecked Sendable {
    // @unchecked: `done` is read and written only under `lock`.
    private let lock = NSLock()
    private var done = false

    /// True for the first caller only.
    func first() -> Bool {
        lock.withLock {
            defer { done = true }
            return !done
        }
    }
}

/// The result of a future, waited for in slices from a thread that is not the event loop's.
private final class Outcome<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `result` is read and written only under `condition`.
    private let condition = NSCondition()
    private var result: Result<Value, any Error>?

    func settle(_ result: Result<Value, any Error>) {
        condition.withLock {
            self.result = result
            condition.broadcast()
        }
    }

    /// The result, or nil when none came within `seconds`.
    func wait(seconds: Double) -> Result<Value, any Error>? {
        condition.withLock {
            let deadline = Date(timeIntervalSinceNow: seconds)
            while result == nil, condition.wait(until: deadline) {}
            return result
        }
    }
}
