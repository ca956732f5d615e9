import ArgumentParser
import Collaboratives

struct RecordRoleEndedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role-ended",
        abstract: "A member's tenure of a role ends.",
        discussion: """
            Example:
              chronicle record role-ended --collaborative oldham --role anchor --member ol-02 --on 2023-03-31

            Records a `RoleEnded` event after checking its fields and every rule of EVENTS.md.
            """)

    @OptionGroup var options: RecordOptions
    @Option(
        name: .customLong("collaborative"), help: ArgumentHelp("The collaborative's slug.", valueName: "slug"),
        completion: .collaborativeSlugs)
    var collaborative: String
    @Option(name: .customLong("role"), help: CatalogChoice<Role>.help("The role", valueName: "role"))
    var role: CatalogChoice<Role>
    @Option(
        name: .customLong("subgroup"), help: ArgumentHelp("The sub-group (for subgroup-lead).", valueName: "slug"),
        completion: .subgroupSlugs)
    var subgroup: String?
    @Option(
        name: .customLong("member"), help: ArgumentHelp("The holder's slug.", valueName: "slug"),
        completion: .memberSlugs)
    var member: String
    @Option(name: .customLong("reason"), help: ArgumentHelp("Why it ended.", valueName: "text"))
    var reason: String?

    func run() throws {
        try options.record { () throws(DomainError) in
            .roleEnded(
                RoleEnded(
                    collaborative: try FlagValue.slug(collaborative, "collaborative"), role: try role.value("role"),
                    subgroup: try FlagValue.optionalSlug(subgroup, "subgroup"),
                    member: try FlagValue.slug(member, "member"), reason: reason.map(PersonalText.plain)))
        }
    }
}
