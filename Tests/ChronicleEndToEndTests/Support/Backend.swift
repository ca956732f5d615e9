import Foundation
import Testing

/// The store the end-to-end tests run against: LMDB (a directory per sandbox) by default, or PostgreSQL (a
/// fresh database per sandbox) when `CHRONICLE_E2E_POSTGRES` holds a superuser's URL, such as
/// `postgresql://postgres@127.0.0.1:5433/postgres` (what `scripts/pg-cluster start` prints).
///
/// The same tests run on both: what a user sees through the command line must not depend on the backend.
/// Only tests about LMDB's files (damaged pages, `data.mdb`, read-only directories, directory backups) carry
/// ``Trait/lmdbOnly(_:)``, tests of what only PostgreSQL has (grants) ``Trait/postgresOnly(_:)``, and tests
/// whose outcome the backend cannot change (help, rendering) run once, ``Trait/sameOnEveryBackend(_:)``.
enum Backend: Equatable {
    case lmdb
    case postgres

    /// The backend of this test run, from `CHRONICLE_E2E_POSTGRES`.
    static let current: Backend = PostgresServer.superuserURL == nil ? .lmdb : .postgres
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only on LMDB; `reason` says what about LMDB it tests.
    static func lmdbOnly(_ reason: Comment) -> Self {
        .enabled(if: Backend.current == .lmdb, reason)
    }

    /// Runs the test only on PostgreSQL; `reason` says what about PostgreSQL it tests.
    static func postgresOnly(_ reason: Comment) -> Self {
        .enabled(if: Backend.current == .postgres, reason)
    }

    /// Runs the test (or suite) once, in the LMDB run: what it checks cannot depend on the store's backend
    /// (help, typo suggestions, terminal rendering, generated files, programs with a store of their own), and
    /// every command it runs also runs on PostgreSQL in other tests. `reason` says why the backend cannot matter.
    /// The PostgreSQL run (a database made and dropped per sandbox) then spends its time on what can differ.
    static func sameOnEveryBackend(_ reason: Comment) -> Self {
        .enabled(if: Backend.current == .lmdb, reason)
    }
}

/// The PostgreSQL server of a `CHRONICLE_E2E_POSTGRES` run: databases and roles made and dropped with `psql`
/// as the superuser.
enum PostgresServer {
    /// The login role every sandbox's commands connect as (the `chronicle` user of the tests): it creates the
    /// store (so it holds the admin role `init` gives its creator) and may create roles (`init` makes the
    /// three group roles).
    static let testerRole = "tester"
    /// The tester's password (the cluster asks every role but the superuser for one).
    static let testerPassword = "tester-password"

    /// `CHRONICLE_E2E_POSTGRES`, when set and not empty.
    static let superuserURL: URL? = {
        guard let text = ProcessInfo.processInfo.environment["CHRONICLE_E2E_POSTGRES"], !text.isEmpty else {
            return nil
        }
        return URL(string: text)
    }()

    /// `host:port` of the server, from the superuser's URL.
    static var hostAndPort: String {
        guard let url = superuserURL, let host = url.host else { return "127.0.0.1:5432" }
        return url.port.map { "\(host):\($0)" } ?? host
    }

    /// The URI a sandbox's commands use for `database`, as `role` (its password goes in `PGPASSWORD`).
    static func storeURI(database: String, role: String = testerRole) -> String {
        "postgresql://\(role)@\(hostAndPort)/\(database)"
    }

    /// Makes sure the tester role exists, with its password, LOGIN, CREATEROLE and CREATEDB, once per process
    /// (the block tolerates another process having created it meanwhile).
    static let testerReady: Result<Void, any Error> = Result {
        _ = try execute(
            """
            DO $$ BEGIN
              CREATE ROLE \(testerRole);
            EXCEPTION WHEN duplicate_object THEN NULL;
            END $$;
            ALTER ROLE \(testerRole) LOGIN CREATEROLE CREATEDB PASSWORD '\(testerPassword)';
            """)
    }

    /// Creates an empty database owned by the tester role and returns its name.
    static func createDatabase() throws -> String {
        try testerReady.get()
        let name = "chronicle_e2e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try execute("CREATE DATABASE \(name) OWNER \(testerRole)")
        return name
    }

    /// Creates a login role `role` with `password` (no other right: `chronicle grant` gives it some).
    static func createLoginRole(_ role: String, password: String) throws {
        try execute("CREATE ROLE \(role) LOGIN PASSWORD '\(password)'")
    }

    /// Drops `database` (closing its connections) and `roles`: the roles `init` made for the database
    /// (`<db>_reader`, `<db>_recorder`, `<db>_admin`) and those a test made. It does not wait for `psql`
    /// (a sandbox goes away on one of the few threads that run the tests); each statement is sent on its own
    /// (DROP DATABASE cannot run in a transaction) and one that fails does not stop the others. What is left
    /// when the tests end goes with the throwaway cluster.
    static func drop(database: String, roles: [String]) {
        guard let url = superuserURL else { return }
        let groups = ["reader", "recorder", "admin"].map { "\(database)_\($0)" }
        let statements =
            ["DROP DATABASE IF EXISTS \(database) WITH (FORCE)"]
            + (roles + groups).map { "DROP ROLE IF EXISTS \($0)" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-X", "-q", "-d", url.absoluteString] + statements.flatMap { ["-c", $0] }
        process.environment = CommandRunner.cleanEnvironment.filter { !$0.key.hasPrefix("PG") }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
    }

    /// Runs `sql` with `psql` as the superuser, stopping at the first error.
    @discardableResult
    static func execute(_ sql: String) throws -> String {
        guard let url = superuserURL else {
            throw PostgresServerError(message: "CHRONICLE_E2E_POSTGRES is not set")
        }
        return try psql(url: url.absoluteString, sql: sql, password: nil)
    }

    /// Runs `sql` with `psql` at `url` (with `password` in `PGPASSWORD` when given), stopping at the first
    /// error; returns what it printed (unaligned, tuples only).
    static func psql(url: String, sql: String, password: String?) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", "-"]
        var environment = CommandRunner.cleanEnvironment.filter { !$0.key.hasPrefix("PG") }
        if let password { environment["PGPASSWORD"] = password }
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw PostgresServerError(message: "cannot run psql: \(error)")
        }
        // Small statements and answers: the pipes' buffers hold them, so writing before reading is safe.
        input.fileHandleForWriting.write(Data(sql.utf8))
        try? input.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresServerError(
                message: "psql failed (\(process.terminationStatus)): \(String(decoding: complaint, as: UTF8.self))")
        }
        return String(decoding: printed, as: UTF8.self)
    }
}

/// `psql` could not do what a test asked of the server.
struct PostgresServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
