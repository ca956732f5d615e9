import EventLog
import Foundation
import PostgresEventLog
import Testing

/// A backend the store contract runs against: every test of this target is written once against
/// `any EventStore` and runs once per kind in ``available`` (as GRDB runs one test body against a queue, a
/// pool and a snapshot).
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// ``InMemoryEventStore``.
    case memory
    /// ``LMDBEventStore`` in a temporary directory (not durable: enough inside one process).
    case lmdb
    /// `PostgresEventStore` in a fresh database of the server `CHRONICLE_TEST_POSTGRES` names.
    case postgres

    /// The superuser URL of the PostgreSQL server to test against (`CHRONICLE_TEST_POSTGRES`), if any.
    static var postgresServer: String? {
        ProcessInfo.processInfo.environment["CHRONICLE_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The kinds this run can test: PostgreSQL only when a server is given.
    static var available: [StoreKind] {
        postgresServer == nil ? [.memory, .lmdb] : [.memory, .lmdb, .postgres]
    }

    var testDescription: String { rawValue }

    /// The `recordedBy` a store of this kind stores for an event offered with `offered`: PostgreSQL stamps
    /// the connected user (the superuser the tests connect as), the others keep what was offered.
    func recordedBy(offered: String) -> String {
        guard self == .postgres, let server = Self.postgresServer,
            let user = URLComponents(string: server)?.user, !user.isEmpty
        else { return offered }
        return user
    }

    /// Runs `body` with a scope that opens fresh, empty stores of this kind, and removes them afterwards.
    func withStores<R>(_ body: (StoreScope) throws -> R) throws -> R {
        let scope = StoreScope(kind: self)
        defer { scope.removeAll() }
        return try body(scope)
    }
}

/// Opens fresh stores of one kind for a test and removes them when the test is over.
final class StoreScope {
    let kind: StoreKind
    private var directories: [String] = []
    private var databases: [(store: PostgresEventStore, name: String)] = []

    init(kind: StoreKind) { self.kind = kind }

    /// A new, empty store whose clock is `clock`.
    func open(clock: any TransactionClock = FixedClock(epoch), allowsClockBehind: Bool = false) throws
        -> any EventStore
    {
        switch kind {
        case .memory:
            return InMemoryEventStore(clock: clock, allowsClockBehind: allowsClockBehind)
        case .lmdb:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("contract-\(UUID().uuidString.lowercased())", isDirectory: true).path
            directories.append(directory)
            return try LMDBEventStore(
                directory: directory,
                options: .init(
                    create: true, initialMapSize: 1 << 20, durable: false, allowsClockBehind: allowsClockBehind),
                clock: clock)
        case .postgres:
            guard let server = StoreKind.postgresServer, var components = URLComponents(string: server) else {
                throw EventLogError.storage("CHRONICLE_TEST_POSTGRES is not a URL")
            }
            let name = "contract_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "_"))"
            try Self.psql(server, "CREATE DATABASE \(name)")
            components.path = "/" + name
            guard let uri = components.string else { throw EventLogError.storage("no URI for database \(name)") }
            let store = try PostgresEventStore(
                location: try PostgresLocation(uri: uri),
                options: .init(create: true, allowsClockBehind: allowsClockBehind), clock: clock)
            databases.append((store, name))
            return store
        }
    }

    /// Removes every store this scope opened.
    func removeAll() {
        for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
        for (store, name) in databases {
            store.close()
            if let server = StoreKind.postgresServer { try? Self.psql(server, "DROP DATABASE \(name) WITH (FORCE)") }
        }
    }

    /// Runs one SQL command with `psql` against `server`.
    private static func psql(_ server: String, _ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", server, "-v", "ON_ERROR_STOP=1", "-q", "-c", command]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw EventLogError.storage("psql \(command) exited \(process.terminationStatus)")
        }
    }
}
