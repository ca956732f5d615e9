import ArgumentParser

// Stub: being written (issue 4). Replaced by the real command.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "replay", abstract: "(in progress)")

    func run() throws { throw CLIError.usage("replay is not available yet") }
}
