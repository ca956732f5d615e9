import Foundation
import Testing

/// Validates one JSON document against `Schemas/<schema>.schema.json` with the independent Python
/// validator (what `python3 scripts/validate_json.py SCHEMA -` would answer, from one server process for
/// the whole run: see `ValidatorServer`); the test fails when the validator does not exit 0.
///
///     try await validateJSON(result.stdout, schema: "output/record.v1")
func validateJSON(
    _ output: String, schema: String, sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    try await runValidator(output, schema: schema, ndjson: false, sourceLocation: sourceLocation)
}

/// Validates every line of an NDJSON text against `Schemas/<schema>.schema.json` (`--ndjson`).
func validateNDJSON(
    _ output: String, schema: String = "envelope/line-export.v1",
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    try await runValidator(output, schema: schema, ndjson: true, sourceLocation: sourceLocation)
}

private func runValidator(
    _ output: String, schema: String, ndjson: Bool, sourceLocation: SourceLocation
) async throws {
    let schemaURL = Locations.schema(schema)
    #expect(
        FileManager.default.fileExists(atPath: schemaURL.path), "no schema \(schemaURL.path)",
        sourceLocation: sourceLocation)
    let result = try await Validations.shared.result(schema: schemaURL, ndjson: ndjson, document: output)
    #expect(
        result.status == 0,
        "output does not match \(schema): \(result.stdout)\(result.stderr)\ndocument: \(output.prefix(2000))",
        sourceLocation: sourceLocation)
}

/// Runs the validator once per distinct (schema, document): the same output (the head of the base
/// history, the report of its import) comes back in many tests, often at the same moment, and
/// need not be checked again.
private actor Validations {
    static let shared = Validations()

    private var runs: [String: Task<CommandResult, any Error>] = [:]
    private var server: Task<ValidatorServer, any Error>?

    func result(schema: URL, ndjson: Bool, document: String) async throws -> CommandResult {
        let key = "\(schema.path)|\(ndjson)|\(document)"
        if let run = runs[key] { return try await run.value }
        let server = startedServer()
        let run = Task {
            try await server.value.validate(schema: schema, ndjson: ndjson, document: Data(document.utf8))
        }
        runs[key] = run
        return try await run.value
    }

    private func startedServer() -> Task<ValidatorServer, any Error> {
        if let server { return server }
        let started = Task { try await ValidatorServer.start() }
        server = started
        return started
    }
}

/// One `validate_json.py --serve` process for the whole test run: the same validator as its command line
/// (it answers with what the command line would print and its exit status), but Python starts and reads
/// every schema once rather than for each of the thousands of documents the suite checks, which cost more
/// CPU than the commands under test. Requests go one at a time, on a queue of its own, so that waiting for
/// an answer never holds one of the few threads that run the tests.
///
/// `@unchecked Sendable`: the pipes and `pending` are only touched on `queue`, which is serial.
private final class ValidatorServer: @unchecked Sendable {
    private let process: Process
    private let requests: FileHandle
    private let answers: FileHandle
    private let queue = DispatchQueue(label: "validate_json.py --serve")
    /// Bytes read past the last answer's newline (none while the server keeps to its protocol).
    private var pending = Data()

    private init(process: Process, requests: FileHandle, answers: FileHandle) {
        self.process = process
        self.requests = requests
        self.answers = answers
    }

    /// Starts the server with the Python interpreter itself (`sys.executable`), so that a version manager's
    /// shim does not stand between; `/usr/bin/env python3` if that cannot be found.
    static func start() async throws -> ValidatorServer {
        let fallback = ["/usr/bin/env", "python3"]
        let found = try await CommandRunner.run(
            URL(fileURLWithPath: fallback[0]), ["python3", "-c", "import sys; print(sys.executable)"],
            environment: CommandRunner.cleanEnvironment, workDirectory: FileManager.default.temporaryDirectory)
        let path = found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let python = found.status == 0 && FileManager.default.isExecutableFile(atPath: path) ? [path] : fallback
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python[0])
        process.arguments = Array(python.dropFirst()) + [Locations.validator.path, "--serve"]
        process.environment = CommandRunner.cleanEnvironment
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        return ValidatorServer(
            process: process, requests: input.fileHandleForWriting, answers: output.fileHandleForReading)
    }

    /// What `validate_json.py [--ndjson] SCHEMA -` prints and its exit status for `document` on stdin.
    func validate(schema: URL, ndjson: Bool, document: Data) async throws -> CommandResult {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(
                    with: Result { try self.exchange(schema: schema, ndjson: ndjson, document: document) })
            }
        }
    }

    private struct Header: Encodable {
        let schema: String
        let ndjson: Bool
        let bytes: Int
    }

    private struct Answer: Decodable {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    private func exchange(schema: URL, ndjson: Bool, document: Data) throws -> CommandResult {
        guard process.isRunning else {
            throw ValidatorServerError(
                message: "validate_json.py --serve has stopped (status \(process.terminationStatus))")
        }
        let header = try JSONEncoder().encode(Header(schema: schema.path, ndjson: ndjson, bytes: document.count))
        try requests.write(contentsOf: header + Data("\n".utf8) + document)
        while !pending.contains(UInt8(ascii: "\n")) {
            let chunk = answers.availableData
            guard !chunk.isEmpty else {
                throw ValidatorServerError(
                    message: "validate_json.py --serve ended without answering for \(schema.path)")
            }
            pending.append(chunk)
        }
        let end = pending.firstIndex(of: UInt8(ascii: "\n")) ?? pending.endIndex
        let line = pending[pending.startIndex..<end]
        pending = Data(pending[pending.index(after: end)...])
        let answer = try JSONDecoder().decode(Answer.self, from: line)
        return CommandResult(
            commandLine: "validate_json.py\(ndjson ? " --ndjson" : "") \(schema.lastPathComponent) -",
            status: answer.status, terminatedBySignal: false, stdoutData: Data(answer.stdout.utf8),
            stderr: answer.stderr)
    }
}

/// The validator server failed (not a document: the validator itself).
struct ValidatorServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
