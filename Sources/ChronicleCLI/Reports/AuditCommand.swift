import ArgumentParser

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit who held each role.",
        discussion: """
            Example:
              chronicle audit succession --collaborative east-sussex
            """,
        subcommands: [AuditSuccessionCommand.self])
}
