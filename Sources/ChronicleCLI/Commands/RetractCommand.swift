import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct RetractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retract",
        abstract: "Retract a recorded event (it stays in the history, marked).",
        discussion: """
            Example:
              chronicle retract 3f1c2a9b --reason "entered twice"

            EVENT-ID is the id or a unique prefix of it (8 or more hex digits, as `log` shows). From the
            moment the retraction is recorded the event no longer counts for rules or reports; both stay in
            the log and in `export`. Refused if the log without the event would break a rule.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var recorderOptions: RecorderOptions
    @OptionGroup var clockOptions: ClockOptions
    @Argument(help: ArgumentHelp("The event's id or unique id prefix.", valueName: "event-id")) var eventID: String
    @Option(name: .long, help: ArgumentHelp("Why it is retracted.", valueName: "text")) var reason: String
    @Option(name: .long, help: ArgumentHelp("When the retraction happened (default: today).", valueName: "date"))
    var on: String?
    @Flag(name: .long, help: "Check everything and write nothing.") var dryRun = false
    @Flag(name: .long, help: "Print the stored events as JSON.") var json = false

    func run() throws {
        let recordedBy = try recorderOptions.checkedRecordedBy(storeOptions.selection)
        let chronicle = try storeOptions.openChronicleForAppending(clockOptions)
        let target = try resolveEvent(eventID, in: chronicle.log)
        let retraction = try makeRetraction(
            of: target, reason: reason, on: on, chronicle: chronicle, by: recordedBy)
        try appendAndReport(chronicle, [retraction], dryRun: dryRun, json: json)
    }
}
