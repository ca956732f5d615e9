import ArgumentParser

// Stub: being written (issue 4). Replaced by the real command.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "(in progress)")

    func run() throws { throw CLIError.usage("diff is not available yet") }
}
