import ArgumentParser
import Collaboratives

struct RecordSubgroupFormedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subgroup-formed",
        abstract: "A sub-group (workstream) is formed.",
        discussion: """
            Example:
              chronicle record subgroup-formed --collaborative oldham --subgroup ol-transitions --title "Transitions pilot" --aim "Smooth Year 6 to 7 transitions" --on 2022-01-20

            Records a `SubGroupFormed` event after checking its fields and every rule of EVENTS.md.
            """)

    @OptionGroup var options: RecordOptions
    @Option(
        name: .customLong("collaborative"), help: ArgumentHelp("The collaborative's slug.", valueName: "slug"),
        completion: .collaborativeSlugs)
    var collaborative: String
    @Option(name: .customLong("subgroup"), help: ArgumentHelp("The sub-group's slug.", valueName: "slug"))
    var subgroup: String
    @Option(name: .customLong("title"), help: ArgumentHelp("Its title.", valueName: "text"))
    var title: String
    @Option(name: .customLong("aim"), help: ArgumentHelp("Its aim.", valueName: "text"))
    var aim: String

    func run() throws {
        try options.record { () throws(DomainError) in
            .subGroupFormed(
                SubGroupFormed(
                    collaborative: try FlagValue.slug(collaborative, "collaborative"),
                    subgroup: try FlagValue.slug(subgroup, "subgroup"), title: title, aim: aim))
        }
    }
}
