import ArgumentParser
import Collaboratives

struct RecordMilestoneReachedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "milestone-reached",
        abstract: "A sub-group reaches a milestone.",
        discussion: """
            Example:
              chronicle record milestone-reached --subgroup ol-transitions --kind pilot-started --title "Pilot in 4 schools" --on 2022-09-05

            Records a `MilestoneReached` event after checking its fields and every rule of EVENTS.md.
            """)

    @OptionGroup var options: RecordOptions
    @Option(
        name: .customLong("subgroup"), help: ArgumentHelp("The sub-group's slug.", valueName: "slug"),
        completion: .subgroupSlugs)
    var subgroup: String
    @Option(
        name: .customLong("kind"), help: CatalogChoice<MilestoneKind>.help("The kind of milestone", valueName: "kind"))
    var kind: CatalogChoice<MilestoneKind>
    @Option(name: .customLong("title"), help: ArgumentHelp("What was reached.", valueName: "text"))
    var title: String
    @Option(name: .customLong("note"), help: ArgumentHelp("A note.", valueName: "text"))
    var note: String?

    func run() throws {
        try options.record { () throws(DomainError) in
            .milestoneReached(
                MilestoneReached(
                    subgroup: try FlagValue.slug(subgroup, "subgroup"), kind: try kind.value("kind"), title: title,
                    note: note))
        }
    }
}
