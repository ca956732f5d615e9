import ArgumentParser

struct RecordRoleAssignedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role-assigned",
        abstract: "A member takes a role.",
        discussion: """
            Example:
              chronicle record role-assigned --collaborative oldham --role anchor --member ol-02 --appointment formal --on 2021-09-01

            Records a `RoleAssigned` event after checking its fields and every rule of EVENTS.md.
            """)

    @OptionGroup var options: RecordOptions
    @Option(
        name: .customLong("collaborative"), help: ArgumentHelp("The collaborative's slug.", valueName: "slug"),
        completion: .collaborativeSlugs)
    var collaborative: String
    @Option(
        name: .customLong("role"),
        help: ArgumentHelp("anchor, advisor, subgroup-lead or pcf-representative.", valueName: "text"))
    var role: String
    @Option(
        name: .customLong("subgroup"),
        help: ArgumentHelp("The sub-group (required for subgroup-lead).", valueName: "slug"), completion: .subgroupSlugs
    )
    var subgroup: String?
    @Option(
        name: .customLong("member"), help: ArgumentHelp("The holder's slug.", valueName: "slug"),
        completion: .memberSlugs)
    var member: String
    @Option(
        name: .customLong("appointment"), help: ArgumentHelp("formal, self-appointed or interim.", valueName: "text"))
    var appointment: String
    @Option(
        name: .customLong("succeeds"), help: ArgumentHelp("The member this holder succeeds.", valueName: "slug"),
        completion: .memberSlugs)
    var succeeds: String?

    func run() throws {
        var data = DataBuilder()
        data.set("collaborative", collaborative)
        data.set("role", role)
        data.set("subgroup", subgroup)
        data.set("member", member)
        data.set("appointment", appointment)
        data.set("succeeds", succeeds)
        try options.record(type: "RoleAssigned", data: data.fields)
    }
}
