import ArgumentParser
import Collaboratives

struct RecordCoachingSessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coaching-session",
        abstract: "A coaching session is held (or offered and nobody came).",
        discussion: """
            Example:
              chronicle record coaching-session --collaborative oldham --kind group --advisor staff-01 --attendee ol-17 --minutes 60 --on 2022-03-02

            Records a `CoachingSessionHeld` event after checking its fields and every rule of EVENTS.md.
            """)

    @OptionGroup var options: RecordOptions
    @Option(
        name: .customLong("collaborative"), help: ArgumentHelp("The collaborative's slug.", valueName: "slug"),
        completion: .collaborativeSlugs)
    var collaborative: String
    @Option(
        name: .customLong("subgroup"), help: ArgumentHelp("The sub-group it served.", valueName: "slug"),
        completion: .subgroupSlugs)
    var subgroup: String?
    @Option(name: .customLong("kind"), help: CatalogChoice<CoachingKind>.help("The kind of session", valueName: "kind"))
    var kind: CatalogChoice<CoachingKind>
    @Option(
        name: .customLong("advisor"),
        help: ArgumentHelp("The advisor (programme staff or advisor role).", valueName: "slug"),
        completion: .memberSlugs)
    var advisor: String
    @Option(
        name: .customLong("attendee"),
        help: ArgumentHelp("A member who attended (repeat; none = offered, nobody came).", valueName: "slug"),
        completion: .memberSlugs)
    var attendees: [String] = []
    // Unconditional: a "-1" after the flag is its value (refused as negative), not an unknown flag.
    @Option(
        name: .customLong("minutes"), parsing: .unconditional, help: ArgumentHelp("Length in minutes.", valueName: "n"))
    var minutes: Int?

    func run() throws {
        try options.record { () throws(DomainError) in
            .coachingSessionHeld(
                CoachingSessionHeld(
                    collaborative: try FlagValue.slug(collaborative, "collaborative"),
                    subgroup: try FlagValue.optionalSlug(subgroup, "subgroup"), kind: try kind.value("kind"),
                    advisor: try FlagValue.slug(advisor, "advisor"),
                    attendees: try FlagValue.slugs(attendees, "attendees"), minutes: minutes))
        }
    }
}
