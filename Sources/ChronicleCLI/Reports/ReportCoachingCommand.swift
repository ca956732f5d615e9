import ArgumentParser

// Stub: being written (issue 4). Replaced by the real command.
struct ReportCoachingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "coaching", abstract: "(in progress)")

    func run() throws { throw CLIError.usage("coaching is not available yet") }
}
