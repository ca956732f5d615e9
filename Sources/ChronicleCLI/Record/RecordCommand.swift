import ArgumentParser

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record one event (one subcommand per event type).",
        discussion: """
            Examples:
              chronicle record member-joined --collaborative oldham --member ol-17 --sector secondary-school --on 2021-11-15
              chronicle record workshop --workshop ol-ws-06 --collaborative oldham --kind collaborative \\
                --mode in-person --on 2023-10-12 --attendee ol-17 --attendee ol-03

            Every subcommand takes --on (when it happened), --id, --expect-version, --dry-run and --json.
            """,
        subcommands: [
            RecordCollaborativeFormedCommand.self,
            RecordMemberJoinedCommand.self,
            RecordMemberDetailsChangedCommand.self,
            RecordMemberLeftCommand.self,
            RecordRoleAssignedCommand.self,
            RecordRoleEndedCommand.self,
            RecordSubgroupFormedCommand.self,
            RecordSubgroupMemberJoinedCommand.self,
            RecordSubgroupMemberLeftCommand.self,
            RecordSubgroupRedefinedCommand.self,
            RecordSubgroupStatusChangedCommand.self,
            RecordMilestoneReachedCommand.self,
            RecordWorkshopCommand.self,
            RecordCoachingSessionCommand.self,
            RecordSurveyWaveClosedCommand.self,
        ])
}
