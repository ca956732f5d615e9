import ArgumentParser

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
        name: .customLong("reason"),
        help: ArgumentHelp(
            "capacity, relevance, role-change, left-organisation, programme-ended, other or unknown.", valueName: "text"
        ))
    var reason: String
    @Option(name: .customLong("note"), help: ArgumentHelp("A note.", valueName: "text"))
    var note: String?

    func run() throws {
        var data = DataBuilder()
        data.set("collaborative", collaborative)
        data.set("member", member)
        data.set("reason", reason)
        data.set("note", note)
        try options.record(type: "MemberLeft", data: data.fields)
    }
}
