import ArgumentParser

// Stub: being written (issue 4). Replaced by the real command.
struct ReportAttritionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attrition", abstract: "(in progress)")

    func run() throws { throw CLIError.usage("attrition is not available yet") }
}
