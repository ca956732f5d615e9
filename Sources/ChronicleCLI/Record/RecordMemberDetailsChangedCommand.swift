import ArgumentParser
import Collaboratives

struct RecordMemberDetailsChangedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member-details-changed",
        abstract: "A member's name, sector or organisation changes.",
        discussion: """
            Example:
              chronicle record member-details-changed --member ol-17 --organisation "Hathershaw College" --on 2023-01-09

            Records a `MemberDetailsChanged` event after checking its fields and every rule of EVENTS.md.
            """)

    @OptionGroup var options: RecordOptions
    @Option(
        name: .customLong("member"), help: ArgumentHelp("The member's slug.", valueName: "slug"),
        completion: .memberSlugs)
    var member: String
    @Option(name: .customLong("name"), help: ArgumentHelp("The new name.", valueName: "text"))
    var name: String?
    @Option(name: .customLong("sector"), help: CatalogChoice<Sector>.help("The new sector", valueName: "sector"))
    var sector: CatalogChoice<Sector>?
    @Option(name: .customLong("organisation"), help: ArgumentHelp("The new organisation.", valueName: "text"))
    var organisation: String?

    func run() throws {
        try options.record { () throws(DomainError) in
            .memberDetailsChanged(
                MemberDetailsChanged(
                    member: try FlagValue.slug(member, "member"), name: name.map(PersonalText.plain),
                    sector: try sector?.value("sector"), organisation: organisation.map(PersonalText.plain)))
        }
    }
}
