import ArgumentParser
import Collaboratives

struct RecordMemberLeftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member-left",
        abstract: "A member leaves a collaborative.",
        discussion: """
            Example:
              chronicle record member-left --collaborative oldham --member ol-17 --reason role-change --on 2023-07-20

            Records a `MemberLeft` event after checking its fields and every rule of EVENTS.md.
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
    @Option(
        name: .customLong("reason"), help: CatalogChoice<LeaveReason>.help("Why the member left", valueName: "reason"))
    var reason: CatalogChoice<LeaveReason>
    @Option(name: .customLong("note"), help: ArgumentHelp("A note.", valueName: "text"))
    var note: String?

    func run() throws {
        try options.record { () throws(DomainError) in
            .memberLeft(
                MemberLeft(
                    collaborative: try FlagValue.slug(collaborative, "collaborative"),
                    member: try FlagValue.slug(member, "member"), reason: try reason.value("reason"),
                    note: note.map(PersonalText.plain)))
        }
    }
}
