import ArgumentParser
import Collaboratives

struct RecordSubgroupMemberJoinedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subgroup-member-joined",
        abstract: "A member joins a sub-group.",
        discussion: """
            Example:
              chronicle record subgroup-member-joined --subgroup ol-transitions --member ol-17 --on 2022-02-01

            Records a `SubGroupMemberJoined` event after checking its fields and every rule of EVENTS.md.
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

    func run() throws {
        try options.record { () throws(DomainError) in
            .subGroupMemberJoined(
                SubGroupMemberJoined(
                    subgroup: try FlagValue.slug(subgroup, "subgroup"), member: try FlagValue.slug(member, "member")))
        }
    }
}
