import ArgumentParser

struct RecordSubgroupStatusChangedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subgroup-status-changed",
        abstract: "A sub-group's status changes.",
        discussion: """
            Example:
              chronicle record subgroup-status-changed --subgroup ol-transitions --status delivered --on 2023-07-01

            Records a `SubGroupStatusChanged` event after checking its fields and every rule of EVENTS.md.
            """)

    @OptionGroup var options: RecordOptions
    @Option(
        name: .customLong("subgroup"), help: ArgumentHelp("The sub-group's slug.", valueName: "slug"),
        completion: .subgroupSlugs)
    var subgroup: String
    @Option(
        name: .customLong("status"),
        help: ArgumentHelp(
            "planned, in-progress, delivered, embedded, extended, paused, stalled or closed.", valueName: "text"))
    var status: String
    @Option(name: .customLong("note"), help: ArgumentHelp("A note.", valueName: "text"))
    var note: String?

    func run() throws {
        var data = DataBuilder()
        data.set("subgroup", subgroup)
        data.set("status", status)
        data.set("note", note)
        try options.record(type: "SubGroupStatusChanged", data: data.fields)
    }
}
