import ArgumentParser
import Collaboratives

struct RecordSubgroupStatusChangedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subgroup-status-changed",
        abstract: "A sub-group's status changes.",
        discussion: """
            Example:
              chronicle record subgroup-status-changed --subgroup ol-transitions --status delivered --on 2023-07-01

            Records a `SubGroupStatusChanged` event after checking its fields and every rule of EVENTS.md.
            """)

    @OptionGroup var options: RecordOptions
    @Option(
        name: .customLong("subgroup"), help: ArgumentHelp("The sub-group's slug.", valueName: "slug"),
        completion: .subgroupSlugs)
    var subgroup: String
    @Option(
        name: .customLong("status"),
        help: CatalogChoice<SubGroupStatus>.help("Where the sub-group stands", valueName: "status"))
    var status: CatalogChoice<SubGroupStatus>
    @Option(name: .customLong("note"), help: ArgumentHelp("A note.", valueName: "text"))
    var note: String?

    func run() throws {
        try options.record { () throws(DomainError) in
            .subGroupStatusChanged(
                SubGroupStatusChanged(
                    subgroup: try FlagValue.slug(subgroup, "subgroup"), status: try status.value("status"), note: note))
        }
    }
}
