import Foundation
import Testing

/// Runs `chronicle` the way a person at a terminal does: with standard output and standard error on a
/// pseudo-terminal made by util-linux `script -qec "<command>" /dev/null`, whose own standard output is
/// everything the terminal showed (both streams, `\r\n` line ends). `scripts/setup` installs `script`
/// (Debian's `bsdutils`) when it is missing.
extension Sandbox {
    /// The escape that starts every colour or style (ANSI CSI).
    static let escape = "\u{1B}["

    /// The sandbox's environment as a person's terminal has it: no `NO_COLOR`, a capable `TERM`, and the
    /// sandbox's store, clock and user; `extra` adds or replaces variables.
    func personEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = CommandRunner.cleanEnvironment.merging(storeEnvironment) { $1 }
        environment["CHRONICLE_NOW"] = Sandbox.defaultNow
        environment["CHRONICLE_USER"] = "tester"
        environment["TERM"] = "xterm-256color"
        environment["COLUMNS"] = "100"
        return environment.merging(extra) { $1 }
    }

    /// Runs `chronicle arguments` on a pseudo-terminal; the result's stdout is what the terminal showed.
    func runOnTerminal(_ arguments: [String], environment extra: [String: String] = [:]) async throws
        -> CommandResult
    {
        let command = ([try Locations.chronicleBinary().path] + arguments).map(Self.shellQuoted).joined(separator: " ")
        return try await CommandRunner.run(
            try Self.scriptBinary(), ["-qec", command, "/dev/null"], environment: personEnvironment(extra),
            workDirectory: root)
    }

    /// Runs `chronicle arguments` with its output going to files (not a terminal), in a person's
    /// environment otherwise (no `NO_COLOR`).
    func runPiped(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> CommandResult {
        try await CommandRunner.run(
            try Locations.chronicleBinary(), arguments, environment: personEnvironment(extra), workDirectory: root)
    }

    /// `script` from `$PATH` or the usual places.
    static func scriptBinary() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin"]
        for directory in directories {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent("script")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw LocationError(message: "no `script` (util-linux, Debian bsdutils): run scripts/setup")
    }

    /// `text` as one word for `sh -c`.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
