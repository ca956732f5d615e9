import ArgumentParser
import Collaboratives

struct RecordMemberJoinedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member-joined",
        abstract: "A member joins a collaborative.",
        discussion: """
            Example:
              chronicle record member-joined --collaborative oldham --member ol-17 --sector secondary-school --on 2021-11-15

            Records a `MemberJoined` event after checking its fields and every rule of EVENTS.md.
            """)

    @OptionGroup var options: RecordOptions
    @Option(
        name: .customLong("collaborative"), help: ArgumentHelp("The collaborative's slug.", valueName: "slug"),
        completion: .collaborativeSlugs)
    var collaborative: String
    @Option(
        name: .customLong("member"), help: ArgumentHelp("The member's slug.", valueName: "slug"),
        completion: .memberSlugs)
    var member: String
    @Option(name: .customLong("name"), help: ArgumentHelp("The member's name.", valueName: "text"))
    var name: String?
    @Option(name: .customLong("sector"), help: CatalogChoice<Sector>.help("The member's sector", valueName: "sector"))
    var sector: CatalogChoice<Sector>
    @Option(name: .customLong("organisation"), help: ArgumentHelp("The member's organisation.", valueName: "text"))
    var organisation: String?

    func run() throws {
        try options.record { () throws(DomainError) in
            .memberJoined(
                MemberJoined(
                    collaborative: try FlagValue.slug(collaborative, "collaborative"),
                    member: try FlagValue.slug(member, "member"), name: name.map(PersonalText.plain),
                    sector: try sector.value("sector"), organisation: organisation.map(PersonalText.plain)))
        }
    }
}
