import ArgumentParser

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
    @Option(name: .customLong("role"), help: ArgumentHelp("The role.", valueName: "text"))
    var role: String
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
        var data = DataBuilder()
        data.set("collaborative", collaborative)
        data.set("role", role)
        data.set("subgroup", subgroup)
        data.set("member", member)
        data.set("reason", reason)
        try options.record(type: "RoleEnded", data: data.fields)
    }
}
