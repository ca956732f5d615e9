import ArgumentParser
import Collaboratives

struct RecordSubgroupRedefinedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subgroup-redefined",
        abstract: "A sub-group's aim (and title) is redefined.",
        discussion: """
            Example:
              chronicle record subgroup-redefined --subgroup ol-transitions --aim "Transitions for pupils with SEND" --reason "pilot findings" --on 2023-04-01

            Records a `SubGroupRedefined` event after checking its fields and every rule of EVENTS.md.
            """)

    @OptionGroup var options: RecordOptions
    @Option(
        name: .customLong("subgroup"), help: ArgumentHelp("The sub-group's slug.", valueName: "slug"),
        completion: .subgroupSlugs)
    var subgroup: String
    @Option(name: .customLong("title"), help: ArgumentHelp("The new title.", valueName: "text"))
    var title: String?
    @Option(name: .customLong("aim"), help: ArgumentHelp("The new aim.", valueName: "text"))
    var aim: String
    @Option(name: .customLong("reason"), help: ArgumentHelp("Why it changed.", valueName: "text"))
    var reason: String

    func run() throws {
        try options.record { () throws(DomainError) in
            .subGroupRedefined(
                SubGroupRedefined(
                    subgroup: try FlagValue.slug(subgroup, "subgroup"), title: title, aim: aim, reason: reason))
        }
    }
}
