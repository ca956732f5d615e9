import ArgumentParser
import Collaboratives

struct RecordWorkshopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workshop",
        abstract: "A workshop is held, with its register.",
        discussion: """
            Example:
              chronicle record workshop --workshop ol-ws-06 --collaborative oldham --kind collaborative --mode in-person --on 2023-10-12 --attendee ol-17 --attendee ol-03

            Records a `WorkshopHeld` event after checking its fields and every rule of EVENTS.md.
            """)

    @OptionGroup var options: RecordOptions
    @Option(name: .customLong("workshop"), help: ArgumentHelp("The workshop's slug.", valueName: "slug"))
    var workshop: String
    @Option(
        name: .customLong("collaborative"),
        help: ArgumentHelp(
            "A collaborative it was held for (repeat for a cross-locality workshop).", valueName: "slug"),
        completion: .collaborativeSlugs)
    var collaboratives: [String] = []
    @Option(
        name: .customLong("kind"), help: CatalogChoice<WorkshopKind>.help("The kind of workshop", valueName: "kind"))
    var kind: CatalogChoice<WorkshopKind>
    @Option(name: .customLong("mode"), help: CatalogChoice<WorkshopMode>.help("How it was held", valueName: "mode"))
    var mode: CatalogChoice<WorkshopMode>
    @Option(name: .customLong("title"), help: ArgumentHelp("Its title.", valueName: "text"))
    var title: String?
    @Option(
        name: .customLong("attendee"), help: ArgumentHelp("A member who attended (repeat).", valueName: "slug"),
        completion: .memberSlugs)
    var attendees: [String] = []
    // Unconditional: a "-1" after the flag is its value (refused as negative), not an unknown flag.
    @Option(
        name: .customLong("guests"), parsing: .unconditional,
        help: ArgumentHelp("How many non-members attended.", valueName: "n"))
    var guests: Int?

    func run() throws {
        try options.record { () throws(DomainError) in
            .workshopHeld(
                WorkshopHeld(
                    workshop: try FlagValue.slug(workshop, "workshop"),
                    collaboratives: try FlagValue.slugs(collaboratives, "collaboratives"),
                    kind: try kind.value("kind"), mode: try mode.value("mode"), title: title,
                    attendees: try FlagValue.slugs(attendees, "attendees"), guests: guests))
        }
    }
}
