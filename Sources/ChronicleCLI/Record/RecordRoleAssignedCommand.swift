import ArgumentParser
import Collaboratives

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
    @Option(name: .customLong("role"), help: CatalogChoice<Role>.help("The role", valueName: "role"))
    var role: CatalogChoice<Role>
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
        name: .customLong("appointment"),
        help: CatalogChoice<Appointment>.help("How the holder was appointed", valueName: "appointment"))
    var appointment: CatalogChoice<Appointment>
    @Option(
        name: .customLong("succeeds"), help: ArgumentHelp("The member this holder succeeds.", valueName: "slug"),
        completion: .memberSlugs)
    var succeeds: String?

    func run() throws {
        try options.record { () throws(DomainError) in
            .roleAssigned(
                RoleAssigned(
                    collaborative: try FlagValue.slug(collaborative, "collaborative"), role: try role.value("role"),
                    subgroup: try FlagValue.optionalSlug(subgroup, "subgroup"),
                    member: try FlagValue.slug(member, "member"), appointment: try appointment.value("appointment"),
                    succeeds: try FlagValue.optionalSlug(succeeds, "succeeds")))
        }
    }
}
