import ArgumentParser

// Stub: being written (issue 4). Replaced by the real command.
struct ReportAttendanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attendance", abstract: "(in progress)")

    func run() throws { throw CLIError.usage("attendance is not available yet") }
}
