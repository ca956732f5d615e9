import Foundation
import Testing

/// What a finished process printed and how it exited.
struct CommandResult: Sendable, CustomStringConvertible {
    /// The command line, for messages.
    let commandLine: String
    /// The exit status (or the signal number when `terminatedBySignal`).
    let status: Int32
    /// Whether the process was killed by a signal rather than exiting.
    let terminatedBySignal: Bool
    /// Everything written to stdout.
    let stdoutData: Data
    /// Everything written to stderr, decoded as UTF-8.
    let stderr: String

    /// Everything written to stdout, decoded as UTF-8.
    var stdout: String { String(decoding: stdoutData, as: UTF8.self) }

    /// The non-empty lines written to stderr.
    var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: true) }

    var description: String {
        "$ \(commandLine)\nexit \(status)\n--- stdout\n\(stdout.prefix(4000))\n--- stderr\n\(stderr.prefix(4000))"
    }
}

/// Runs executables with Foundation `Process`, through files rather than pipes so that large inputs
/// and outputs can never deadlock.
enum CommandRunner {
    /// Runs `executable` with `arguments` and `environment`, feeding `input` on stdin, inside `workDirectory`
    /// (which also holds the temporary stdin/stdout/stderr files).
    static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String], input: Data? = nil,
        workDirectory: URL
    ) async throws -> CommandResult {
        await ProcessSlots.shared.acquire()
        do {
            let result = try await runNow(
                executable, arguments, environment: environment, input: input, workDirectory: workDirectory)
            await ProcessSlots.shared.release()
            return result
        } catch {
            await ProcessSlots.shared.release()
            throw error
        }
    }

    private static func runNow(
        _ executable: URL, _ arguments: [String], environment: [String: String], input: Data?,
        workDirectory: URL
    ) async throws -> CommandResult {
        let manager = FileManager.default
        let ioDirectory = workDirectory.appendingPathComponent("io-\(UUID().uuidString.lowercased())")
        try manager.createDirectory(at: ioDirectory, withIntermediateDirectories: true)
        defer { try? manager.removeItem(at: ioDirectory) }
        let stdinURL = ioDirectory.appendingPathComponent("stdin")
        let stdoutURL = ioDirectory.appendingPathComponent("stdout")
        let stderrURL = ioDirectory.appendingPathComponent("stderr")
        try (input ?? Data()).write(to: stdinURL)
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        let stdin = try FileHandle(forReadingFrom: stdinURL)
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? stdin.close()
            try? stdout.close()
            try? stderr.close()
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = workDirectory
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let commandLine = ([executable.lastPathComponent] + arguments).map(quoted).joined(separator: " ")
        return CommandResult(
            commandLine: commandLine, status: process.terminationStatus,
            terminatedBySignal: process.terminationReason == .uncaughtSignal,
            stdoutData: try Data(contentsOf: stdoutURL),
            stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
    }

    /// The environment of this process without any `CHRONICLE_*` or XDG data setting, so that a
    /// developer's own store can never be touched.
    static var cleanEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("CHRONICLE_") && key != "XDG_DATA_HOME" && key != "NO_COLOR"
        }
    }

    private static func quoted(_ argument: String) -> String {
        let shown = argument.count > 80 ? String(argument.prefix(77)) + "…" : argument
        return shown.contains(" ") || shown.isEmpty ? "'\(shown)'" : shown
    }
}

/// Bounds how many child processes the suite runs at once: Swift Testing starts every test
/// together, and a few hundred Python validators at once only thrash a small machine.
actor ProcessSlots {
    static let shared = ProcessSlots(limit: max(2, ProcessInfo.processInfo.activeProcessorCount * 2))

    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        available = limit
    }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            available += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
