import ArgumentParser
import Collaboratives

struct RecordSurveyWaveClosedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey-wave-closed",
        abstract: "A member survey wave closes.",
        discussion: """
            Example:
              chronicle record survey-wave-closed --collaborative oldham --wave 2023 --invited 12 --responded 9 --on 2023-07-14

            Records a `SurveyWaveClosed` event after checking its fields and every rule of EVENTS.md.
            """)

    @OptionGroup var options: RecordOptions
    @Option(
        name: .customLong("collaborative"), help: ArgumentHelp("The collaborative's slug.", valueName: "slug"),
        completion: .collaborativeSlugs)
    var collaborative: String
    @Option(name: .customLong("wave"), help: ArgumentHelp("The wave (e.g. 2023).", valueName: "text"))
    var wave: String
    // Unconditional: a "-1" after the flag is its value (refused as negative), not an unknown flag.
    @Option(
        name: .customLong("invited"), parsing: .unconditional, help: ArgumentHelp("Members invited.", valueName: "n"))
    var invited: Int
    @Option(
        name: .customLong("responded"), parsing: .unconditional,
        help: ArgumentHelp("Members who responded.", valueName: "n"))
    var responded: Int

    func run() throws {
        try options.record { () throws(DomainError) in
            .surveyWaveClosed(
                SurveyWaveClosed(
                    collaborative: try FlagValue.slug(collaborative, "collaborative"), wave: wave, invited: invited,
                    responded: responded))
        }
    }
}
