import EventLog
import Foundation
import PostgresEventLog

/// The test server: the superuser URL in `CHRONICLE_TEST_POSTGRES` (scripts/test starts a throwaway cluster
/// and sets it). Without it the server tests are skipped, unless `CHRONICLE_REQUIRE_POSTGRES=1` (scripts/test,
/// hence CI) says they must run: then they run and fail, never pass by being skipped.
enum TestServer {
    static let uri = ProcessInfo.processInfo.environment["CHRONICLE_TEST_POSTGRES"]
    static var isAvailable: Bool {
        uri != nil || ProcessInfo.processInfo.environment["CHRONICLE_REQUIRE_POSTGRES"] == "1"
    }
}

/// A database of its own for one test, created through the superuser's connection and dropped (with every
/// role the test made) when the test ends.
final class TestDatabase {
    let name: String
    /// The superuser's connection to the `postgres` database, to create and drop.
    private let maintenance: PostgresSession
    private var roles: [String] = []
    private let base: PostgresLocation

    init() throws {
        guard let uri = TestServer.uri else { throw EventLogError.storage("CHRONICLE_TEST_POSTGRES is not set") }
        base = try PostgresLocation(uri: uri, environment: [:])
        name = "chr_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        maintenance = try PostgresSession(location: base)
        try maintenance.execute("CREATE DATABASE \(name) ENCODING 'UTF8'")
        roles = PostgresEventStore.Access.allCases.map { "\(name)_\($0.rawValue)" }
    }

    /// Drops the database and the roles.
    func drop() {
        try? maintenance.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        for role in roles { try? maintenance.execute("DROP ROLE IF EXISTS \"\(role)\"") }
        maintenance.shutDown()
    }

    /// The location of this database as `user` (the superuser when nil).
    func location(user: String? = nil, password: String? = nil) -> PostgresLocation {
        var location = base
        location.database = name
        if let user {
            location.user = user
            location.password = password
        }
        return location
    }

    /// A store on this database as the superuser (creating the schema when `create`).
    func superuserStore(
        create: Bool = false, clock: (any TransactionClock)? = nil, allowsClockBehind: Bool = false
    ) throws -> PostgresEventStore {
        try PostgresEventStore(
            location: location(), options: .init(create: create, allowsClockBehind: allowsClockBehind), clock: clock)
    }

    /// Creates a login role `<db>_<suffix>` with a password and returns its name.
    func loginRole(_ suffix: String) throws -> String {
        let role = "\(name)_\(suffix)"
        try maintenance.execute("CREATE ROLE \"\(role)\" LOGIN PASSWORD 'secret-\(suffix)'")
        roles.append(role)
        return role
    }

    /// A store on this database as the login role `<db>_<suffix>`.
    func store(as suffix: String, clock: (any TransactionClock)? = nil) throws -> PostgresEventStore {
        try PostgresEventStore(
            location: location(user: "\(name)_\(suffix)", password: "secret-\(suffix)"), clock: clock)
    }

    /// A raw connection to this database as `<db>_<suffix>` (the superuser when nil).
    func session(as suffix: String? = nil) throws -> PostgresSession {
        try PostgresSession(
            location: suffix.map { location(user: "\(name)_\($0)", password: "secret-\($0)") } ?? location())
    }
}

/// Runs `body` with a fresh database, dropped afterwards.
func withTestDatabase(_ body: (TestDatabase) throws -> Void) throws {
    let database = try TestDatabase()
    defer { database.drop() }
    try body(database)
}

/// An event on `stream`.
func event(
    _ stream: String, type: String = "Happened", occurredAt: ValidTime = .day(19_000), recordedBy: String = "me",
    payload: [UInt8] = [1, 2, 3], tags: [String] = []
) -> NewEvent {
    NewEvent(
        stream: stream, type: type, occurredAt: occurredAt, recordedBy: recordedBy, payload: payload, tags: tags)
}

/// Every event of the store, in seq order.
func allEvents(_ store: some EventStore) throws -> [RecordedEvent] {
    try store.read { view in
        var events: [RecordedEvent] = []
        try view.scan(from: 1, direction: .forward) { event in
            events.append(event)
            return true
        }
        return events
    }
}

/// The SQLSTATE of a failed raw query, or nil when it succeeded.
func sqlState(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let failure as PostgresFailure {
        return failure.sqlState ?? "none"
    } catch {
        return "not a server error: \(error)"
    }
}

/// The instant `text` (RFC 3339).
func instant(_ text: String) throws -> Timestamp {
    guard let value = Timestamp(rfc3339: text) else { throw EventLogError.storage("bad instant \(text)") }
    return value
}
