import ArgumentParser

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Answer the evaluators' questions: attendance, attrition, progress, coaching, surveys; charts in HTML.",
        discussion: """
            Examples:
              chronicle report attendance --collaborative oldham --by academic-year
              chronicle report attrition --by-sector --as-of 2024-08-31 --known-at 2024-03-01
              chronicle report progress --collaborative worcestershire --json
              chronicle report html --out report.html --as-of 2024-08-31

            Every report takes --as-of D (valid time, default today) and --known-at K (transaction
            time, default everything in the log) and states D, K, the last seq it saw and that
            event's hash.
            """,
        subcommands: [
            ReportAttendanceCommand.self, ReportAttritionCommand.self, ReportProgressCommand.self,
            ReportCoachingCommand.self, ReportSurveysCommand.self, ReportHTMLCommand.self,
        ])
}
