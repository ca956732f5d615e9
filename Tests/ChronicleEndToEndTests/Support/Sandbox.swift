import Foundation
import Testing

/// A fresh temporary directory holding one store, and the environment the binary runs in:
/// `CHRONICLE_STORE=<dir>/store`, `CHRONICLE_NOW` (default `Sandbox.defaultNow`),
/// `CHRONICLE_USER=tester`, `NO_COLOR=1`. The directory is removed when the sandbox goes away.
///
/// On PostgreSQL (see ``Backend``) the store is a fresh database instead, dropped with the sandbox:
/// `CHRONICLE_STORE=postgresql://tester@HOST:PORT/<db>`, with the tester's password in `PGPASSWORD`.
final class Sandbox {
    /// The clock every command sees unless a test gives another.
    static let defaultNow = "2024-09-01T12:00:00Z"

    /// The temporary directory.
    let root: URL
    /// The store directory (`CHRONICLE_STORE` on LMDB; on PostgreSQL a directory nothing uses).
    let store: URL
    /// The sandbox's PostgreSQL database, on PostgreSQL.
    let database: String?
    /// Login roles a test made with ``createLoginRole(_:)``, dropped with the database.
    private var roles: [String] = []

    private let binary: URL

    /// Creates the directory (and on PostgreSQL the empty database); the store in it is not created (see
    /// `initialised()`).
    init() throws {
        binary = try Locations.chronicleBinary()
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("chronicle-e2e-\(UUID().uuidString.lowercased())", isDirectory: true)
        store = root.appendingPathComponent("store", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        database = Backend.current == .postgres ? try PostgresServer.createDatabase() : nil
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
        if let database { PostgresServer.drop(database: database, roles: roles) }
    }

    /// What `CHRONICLE_STORE` names: the store directory, or on PostgreSQL the database's URI.
    var storeLocation: String {
        database.map { PostgresServer.storeURI(database: $0) } ?? store.path
    }

    /// The variables that select the sandbox's store (`CHRONICLE_STORE`, and `PGPASSWORD` on PostgreSQL), for
    /// a test that builds an environment of its own.
    var storeEnvironment: [String: String] {
        var environment = ["CHRONICLE_STORE": storeLocation]
        if database != nil { environment["PGPASSWORD"] = PostgresServer.testerPassword }
        return environment
    }

    /// The environment every command of the sandbox runs in (see the type's summary).
    func environment(now: String = Sandbox.defaultNow) -> [String: String] {
        var environment = CommandRunner.cleanEnvironment.merging(storeEnvironment) { $1 }
        environment["CHRONICLE_NOW"] = now
        environment["CHRONICLE_USER"] = "tester"
        environment["NO_COLOR"] = "1"
        return environment
    }

    /// On PostgreSQL, creates a login role for this sandbox (named `<db>_<name>`, dropped with the database)
    /// with no right on the store yet (`chronicle grant` gives it some).
    func createLoginRole(_ name: String) throws -> LoginRole {
        guard let database else { throw PostgresServerError(message: "login roles need PostgreSQL") }
        let login = LoginRole(
            role: "\(database)_\(name)", password: "\(name)-password", database: database)
        try PostgresServer.createLoginRole(login.role, password: login.password)
        roles.append(login.role)
        return login
    }

    /// A sandbox whose store has been created with `chronicle init`.
    static func initialised() async throws -> Sandbox {
        let sandbox = try Sandbox()
        try await sandbox.succeed(["init"])
        return sandbox
    }

    /// A sandbox whose store holds `BaseHistory` (13 events, seq 1…13).
    static func withBaseHistory() async throws -> Sandbox {
        let sandbox = try await initialised()
        try await sandbox.importNDJSON(BaseHistory.ndjson)
        return sandbox
    }

    /// Runs `chronicle` with `arguments`; `extra` adds or replaces environment variables.
    func run(
        _ arguments: [String], input: Data? = nil, now: String = Sandbox.defaultNow,
        environment extra: [String: String] = [:]
    ) async throws -> CommandResult {
        try await CommandRunner.run(
            binary, arguments, environment: environment(now: now).merging(extra) { $1 }, input: input,
            workDirectory: root)
    }

    /// Runs `chronicle` with `arguments` under a bound on its address space (`ulimit -v`, in KiB), through
    /// `/bin/sh`.
    func run(
        _ arguments: [String], addressSpaceKiB: Int, input: Data? = nil, now: String = Sandbox.defaultNow
    ) async throws -> CommandResult {
        try await CommandRunner.run(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "ulimit -v \(addressSpaceKiB) && exec \"$0\" \"$@\"", binary.path] + arguments,
            environment: environment(now: now), input: input, workDirectory: root)
    }

    /// Runs `chronicle` with `arguments` and expects exit status 0.
    @discardableResult
    func succeed(
        _ arguments: [String], input: Data? = nil, now: String = Sandbox.defaultNow,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CommandResult {
        let result = try await run(arguments, input: input, now: now)
        #expect(result.status == 0 && !result.terminatedBySignal, "\(result)", sourceLocation: sourceLocation)
        return result
    }

    /// Writes `contents` to a file in the sandbox (outside the store) and returns its path.
    func file(_ name: String, _ contents: Data) throws -> String {
        let url = root.appendingPathComponent(name)
        try contents.write(to: url)
        return url.path
    }

    /// Writes `text` to a file in the sandbox (outside the store) and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        try file(name, Data(text.utf8))
    }

    // MARK: - Commands with validated JSON output

    /// `import --json` of `ndjson` (through a file), expecting success.
    @discardableResult
    func importNDJSON(
        _ ndjson: String, extra: [String] = [], now: String = Sandbox.defaultNow,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ImportReport {
        let path = try file("import-\(UUID().uuidString.lowercased()).ndjson", ndjson)
        let result = try await succeed(["import", "--json"] + extra + [path], now: now, sourceLocation: sourceLocation)
        try await validateJSON(result.stdout, schema: "output/import.v1", sourceLocation: sourceLocation)
        return try decode(ImportReport.self, from: result.stdout)
    }

    /// `record <kind> … --json`, expecting success.
    @discardableResult
    func record(
        _ arguments: [String], now: String = Sandbox.defaultNow, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> AppendReport {
        let result = try await succeed(["record"] + arguments + ["--json"], now: now, sourceLocation: sourceLocation)
        try await validateJSON(result.stdout, schema: "output/record.v1", sourceLocation: sourceLocation)
        return try decode(AppendReport.self, from: result.stdout)
    }

    /// `retract … --json`, expecting success.
    @discardableResult
    func retract(
        _ id: String, reason: String = "entered by mistake", extra: [String] = [],
        now: String = Sandbox.defaultNow, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> AppendReport {
        let result = try await succeed(
            ["retract", id, "--reason", reason, "--json"] + extra, now: now, sourceLocation: sourceLocation)
        try await validateJSON(result.stdout, schema: "output/retract.v1", sourceLocation: sourceLocation)
        return try decode(AppendReport.self, from: result.stdout)
    }

    /// `correct … --json`, expecting success.
    @discardableResult
    func correct(
        _ id: String, _ arguments: [String], now: String = Sandbox.defaultNow,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> AppendReport {
        let result = try await succeed(
            ["correct", id] + arguments + ["--json"], now: now, sourceLocation: sourceLocation)
        try await validateJSON(result.stdout, schema: "output/correct.v1", sourceLocation: sourceLocation)
        return try decode(AppendReport.self, from: result.stdout)
    }

    /// `log --json` with `filters`, expecting success.
    func log(_ filters: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) async throws -> LogReport {
        let result = try await succeed(["log", "--json"] + filters, sourceLocation: sourceLocation)
        try await validateJSON(result.stdout, schema: "output/log.v1", sourceLocation: sourceLocation)
        return try decode(LogReport.self, from: result.stdout)
    }

    /// `verify --json` (exit 0 or 1), its output validated.
    func verify(sourceLocation: SourceLocation = #_sourceLocation) async throws -> VerifyReport {
        let result = try await run(["verify", "--json"])
        #expect(result.status == 0 || result.status == 1, "\(result)", sourceLocation: sourceLocation)
        try await validateJSON(result.stdout, schema: "output/verify.v1", sourceLocation: sourceLocation)
        return try decode(VerifyReport.self, from: result.stdout)
    }

    /// The head of the log, from `verify --json`, which must find the store sound.
    func head(sourceLocation: SourceLocation = #_sourceLocation) async throws -> Head {
        let report = try await verify(sourceLocation: sourceLocation)
        #expect(report.sound, "store not sound: \(String(describing: report.fault))", sourceLocation: sourceLocation)
        return report.head
    }

    /// `export` to stdout, expecting success; every line is validated against the export line schema.
    func export(sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await succeed(["export"], sourceLocation: sourceLocation)
        try await validateNDJSON(result.stdout, sourceLocation: sourceLocation)
        return result.stdout
    }

    // MARK: - Refusals

    /// Runs `chronicle` with `arguments` and expects a refusal for invalid data: exit 65, one line on
    /// stderr containing every fragment, nothing on stdout, and the head (seq and hash, from
    /// `verify --json`) unchanged.
    @discardableResult
    func expectRefusal(
        _ arguments: [String], input: Data? = nil, now: String = Sandbox.defaultNow, mentioning fragments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CommandResult {
        let before = try await head(sourceLocation: sourceLocation)
        let result = try await run(arguments, input: input, now: now)
        #expect(result.status == 65, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderrLines.count == 1, "stderr is not one line: \(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(
                result.stderr.contains(fragment), "stderr lacks \(fragment.debugDescription): \(result)",
                sourceLocation: sourceLocation)
        }
        let after = try await head(sourceLocation: sourceLocation)
        #expect(after == before, "head moved from \(before) to \(after)", sourceLocation: sourceLocation)
        return result
    }

    /// Imports `lines` (joined with newlines) and expects a refusal as `expectRefusal` describes.
    @discardableResult
    func expectImportRefusal(
        _ lines: [String], now: String = Sandbox.defaultNow, mentioning fragments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CommandResult {
        let path = try file("refused-\(UUID().uuidString.lowercased()).ndjson", lines.joined(separator: "\n") + "\n")
        return try await expectRefusal(
            ["import", path], now: now, mentioning: fragments, sourceLocation: sourceLocation)
    }
}

/// A login role of the sandbox's PostgreSQL server, other than the tester.
struct LoginRole {
    /// The role's name.
    let role: String
    /// Its password.
    let password: String
    /// The sandbox's database.
    let database: String

    /// The variables that make a command connect to the sandbox's store as this role.
    var environment: [String: String] {
        ["CHRONICLE_STORE": PostgresServer.storeURI(database: database, role: role), "PGPASSWORD": password]
    }
}
