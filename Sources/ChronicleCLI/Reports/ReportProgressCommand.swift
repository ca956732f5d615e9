import ArgumentParser

// Stub: being written (issue 4). Replaced by the real command.
struct ReportProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "progress", abstract: "(in progress)")

    func run() throws { throw CLIError.usage("progress is not available yet") }
}
