import Foundation
import Testing

/// Validates one JSON document against `Schemas/<schema>.schema.json` with the independent Python
/// validator (`python3 scripts/validate_json.py SCHEMA -`); the test fails when the validator does
/// not exit 0.
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
/// need not start Python again.
private actor Validations {
    static let shared = Validations()

    private var runs: [String: Task<CommandResult, any Error>] = [:]
    private var interpreter: Task<[String], any Error>?

    func result(schema: URL, ndjson: Bool, document: String) async throws -> CommandResult {
        let key = "\(schema.path)|\(ndjson)|\(document)"
        let python = try await pythonCommand()
        // Checked after the suspension above, so that concurrent callers share one run.
        if let run = runs[key] { return try await run.value }
        var arguments = Array(python.dropFirst()) + [Locations.validator.path, schema.path, "-"]
        if ndjson { arguments.append("--ndjson") }
        let executable = URL(fileURLWithPath: python[0])
        let run = Task {
            try await CommandRunner.run(
                executable, arguments, environment: CommandRunner.cleanEnvironment, input: Data(document.utf8),
                workDirectory: FileManager.default.temporaryDirectory)
        }
        runs[key] = run
        return try await run.value
    }

    /// The Python interpreter itself (`sys.executable`), so that a version manager's shim is not
    /// started for every document; `/usr/bin/env python3` if that cannot be found.
    private func pythonCommand() async throws -> [String] {
        if interpreter == nil {
            interpreter = Task {
                let fallback = ["/usr/bin/env", "python3"]
                let result = try await CommandRunner.run(
                    URL(fileURLWithPath: fallback[0]), ["python3", "-c", "import sys; print(sys.executable)"],
                    environment: CommandRunner.cleanEnvironment,
                    workDirectory: FileManager.default.temporaryDirectory)
                let path = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                guard result.status == 0, FileManager.default.isExecutableFile(atPath: path) else { return fallback }
                return [path]
            }
        }
        guard let interpreter else { return ["/usr/bin/env", "python3"] }
        return try await interpreter.value
    }
}
