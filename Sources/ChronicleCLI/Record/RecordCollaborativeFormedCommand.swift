import ArgumentParser
import Collaboratives

struct RecordCollaborativeFormedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collaborative-formed",
        abstract: "A collaborative is formed in a locality.",
        discussion: """
            Example:
              chronicle record collaborative-formed --collaborative oldham --name "Oldham Collaborative" --anchor-organisation "Oldham Council" --programme-start 2021-09-01 --on 2021-09-01

            Records a `CollaborativeFormed` event after checking its fields and every rule of EVENTS.md.
            """)

    @OptionGroup var options: RecordOptions
    @Option(name: .customLong("collaborative"), help: ArgumentHelp("The collaborative's slug.", valueName: "slug"))
    var collaborative: String
    @Option(name: .customLong("name"), help: ArgumentHelp("Its name.", valueName: "text"))
    var name: String
    @Option(name: .customLong("anchor-organisation"), help: ArgumentHelp("The anchor organisation.", valueName: "text"))
    var anchorOrganisation: String
    @Option(
        name: .customLong("programme-start"),
        help: ArgumentHelp("Programme start date (YYYY-MM-DD).", valueName: "date"))
    var programmeStart: String

    func run() throws {
        try options.record { () throws(DomainError) in
            .collaborativeFormed(
                CollaborativeFormed(
                    collaborative: try FlagValue.slug(collaborative, "collaborative"), name: name,
                    anchorOrganisation: anchorOrganisation,
                    programmeStart: try FlagValue.day(programmeStart, "programmeStart")))
        }
    }
}
