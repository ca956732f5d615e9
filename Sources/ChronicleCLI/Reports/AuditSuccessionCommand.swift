import ArgumentParser

// Stub: being written (issue 4). Replaced by the real command.
struct AuditSuccessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "succession", abstract: "(in progress)")

    func run() throws { throw CLIError.usage("succession is not available yet") }
}
