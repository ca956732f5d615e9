import ArgumentParser
import Collaboratives

struct RecordSubgroupMemberLeftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subgroup-member-left",
        abstract: "A member leaves a sub-group.",
        discussion: """
            Example:
              chronicle record subgroup-member-left --subgroup ol-transitions --member ol-17 --on 2023-02-01

            Records a `SubGroupMemberLeft` event after checking its fields and every rule of EVENTS.md.
            """)

    @OptionGroup var options: RecordOptions
    @Option(
        name: .customLong("subgroup"), help: ArgumentHelp("The sub-group's slug.", valueName: "slug"),
        completion: .subgroupSlugs)
    var subgroup: String
    @Option(
        name: .customLong("member"), help: ArgumentHelp("The member's slug.", valueName: "slug"),
        completion: .memberSlugs)
    var member: String
    @Option(name: .customLong("reason"), help: ArgumentHelp("Why.", valueName: "text"))
    var reason: String?

    func run() throws {
        try options.record { () throws(DomainError) in
            .subGroupMemberLeft(
                SubGroupMemberLeft(
                    subgroup: try FlagValue.slug(subgroup, "subgroup"), member: try FlagValue.slug(member, "member"),
                    reason: reason.map(PersonalText.plain)))
        }
    }
}
