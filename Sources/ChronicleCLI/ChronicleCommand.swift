public import ArgumentParser
import Collaboratives
import EventLog
import Foundation

/// The `chronicle` command: record, replay and audit the history of multi-agency Collaboratives.
public struct ChronicleCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "chronicle",
        abstract: "Keep the full, immutable history of multi-agency programmes.",
        discussion: """
            Examples:
              chronicle demo --store /tmp/demo
              chronicle init --store ./store
              chronicle record member-joined --collaborative oldham --member ol-17 --sector secondary-school --on 2021-11-15
              chronicle log --collaborative oldham --from 2023-09-01
              chronicle --generate-completion-script bash > chronicle.bash

            The store is --store DIR, else $CHRONICLE_STORE, else $XDG_DATA_HOME/chronicle
            (~/.local/share/chronicle). $CHRONICLE_NOW (RFC 3339) fixes the clock.
            Exit codes: 0 ok, 1 check failed, 64 usage, 65 invalid data, 66 store missing,
            73 conflict (expected version), 74 I/O or store fault, 77 permission denied.
            Colour and progress bars appear only on a terminal; a non-empty $NO_COLOR
            or --no-color (anywhere on the line) turns colour off. Shell completions
            (bash, zsh, fish) complete slugs from the store; the manual page is
            man/chronicle.1.
            """,
        version: chronicleVersion,
        subcommands: [
            InitCommand.self, DemoCommand.self, RecordCommand.self, ImportCommand.self, ExportCommand.self,
            LogCommand.self, MembersCommand.self, RetractCommand.self, CorrectCommand.self, VerifyCommand.self,
            ReplayCommand.self,
            ReportCommand.self, AuditCommand.self, DiffCommand.self, StatusCommand.self, RebuildCommand.self,
            GenerateCommand.self, BackupCommand.self, RestoreCommand.self, CopyCommand.self, EraseCommand.self,
            GrantCommand.self, RevokeCommand.self,
        ]
    )

    /// `--no-color` before the subcommand (`chronicle --no-color report attendance`); every command that
    /// touches a store also takes it after its name.
    @OptionGroup var terminalOptions: TerminalOptions

    public init() {}

    /// Parses the process arguments, runs the command and exits with its status; errors of the libraries
    /// become one line on stderr and the documented exit code.
    public static func runMain() -> Never {
        rejectArgumentsThatAreNotUTF8()
        do {
            var command = try RecordShortcut.parse(Array(CommandLine.arguments.dropFirst())) ?? parseAsRoot()
            try command.run()
            Foundation.exit(ExitStatus.ok.rawValue)
        } catch let error as ExitCode {
            exit(withError: error)
        } catch {
            if isLibraryError(error) {
                let cliError = CLIError.from(error)
                printDiagnostic("error: \(cliError.message)")
                Foundation.exit(cliError.status.rawValue)
            }
            if exitCode(for: error) == .validationFailure {
                if let message = SubcommandSuggestion.message(for: Array(CommandLine.arguments.dropFirst()), root: self)
                {
                    printDiagnostic("error: " + message)
                    Foundation.exit(ExitStatus.usage.rawValue)
                }
                // A usage error found by the parser: one line too, like every other error (--help has the usage).
                let lines = message(for: error).split(whereSeparator: \.isNewline).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                printDiagnostic("error: " + lines.joined(separator: "; "))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            if exitCode(for: error) == .success {
                // Help is laid out here, not by the parser: see HelpText.
                let text = fullMessage(for: error, columns: HelpText.unwrappedColumns)
                if HelpText.isHelp(text) {
                    printLine(HelpText.layout(text, width: HelpText.standardOutputWidth))
                    Foundation.exit(ExitStatus.ok.rawValue)
                }
            }
            exit(withError: error)
        }
    }

    /// Exits with a usage error when an argument is not valid UTF-8: Swift would otherwise turn the bad
    /// bytes into U+FFFD and store text that nobody typed.
    private static func rejectArgumentsThatAreNotUTF8() {
        for index in 1..<Int(CommandLine.argc) {
            guard let argument = CommandLine.unsafeArgv[index], String(validatingCString: argument) == nil else {
                continue
            }
            let repaired = String(cString: argument).debugDescription
            printDiagnostic("error: argument \(index) (\(repaired)) is not valid UTF-8")
            Foundation.exit(ExitStatus.usage.rawValue)
        }
    }

    private static func isLibraryError(_ error: any Error) -> Bool {
        error is CLIError || error is EventLogError || error is DomainError || error is RuleViolation
            || error is InputError || error is CocoaError
    }
}

/// The version printed by `--version`.
let chronicleVersion = "0.1.0"
