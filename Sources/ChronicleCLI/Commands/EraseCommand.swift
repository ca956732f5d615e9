import ArgumentParser
import Collaboratives
import EventLog

struct EraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase personal data (right to erasure).",
        discussion: """
            Example:
              chronicle erase member ol-17 --reason "erasure request 2024-031"
            """,
        subcommands: [EraseMemberCommand.self])
}
