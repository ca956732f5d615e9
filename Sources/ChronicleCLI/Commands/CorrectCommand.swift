import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct CorrectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Replace a recorded event: its retraction and the corrected event, in one atomic batch.",
        discussion: """
            Examples:
              chronicle correct 3f1c2a9b --reason "register misread" --remove attendee=ol-03 --add attendee=ol-13
              chronicle correct 3f1c2a9b --reason "wrong date" --on 2023-10-13
              chronicle correct 3f1c2a9b --reason "wrong sector" --set sector=health

            The corrected event starts as a copy of the original's data and date, changed by --set
            field=value, --unset field, --add/--remove list-field=value, --on, or replaced whole by
            --with '{…data…}'. Field names are as in EVENTS.md (camelCase or kebab-case; attendee and
            collaborative name the lists).
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var recorderOptions: RecorderOptions
    @OptionGroup var clockOptions: ClockOptions
    @Argument(help: ArgumentHelp("The event's id or unique id prefix.", valueName: "event-id")) var eventID: String
    @Option(name: .long, help: ArgumentHelp("Why it is corrected.", valueName: "text")) var reason: String
    @Option(name: .long, help: ArgumentHelp("The corrected date (default: the original's).", valueName: "date"))
    var on: String?
    @Option(name: .long, help: ArgumentHelp("Set a field.", valueName: "field=value")) var set: [String] = []
    @Option(name: .long, help: ArgumentHelp("Remove an optional field.", valueName: "field")) var unset: [String] = []
    @Option(name: .long, help: ArgumentHelp("Add a value to a list field.", valueName: "field=value")) var add:
        [String] = []
    @Option(name: .long, help: ArgumentHelp("Remove a value from a list field.", valueName: "field=value"))
    var remove: [String] = []
    @Option(name: .long, help: ArgumentHelp("The corrected data object, whole, as JSON.", valueName: "json")) var with:
        String?
    @Flag(name: .long, help: "Check everything and write nothing.") var dryRun = false
    @Flag(name: .long, help: "Print the stored events as JSON.") var json = false

    func run() throws {
        let recordedBy = try recorderOptions.checkedRecordedBy(storeOptions.selection)
        let chronicle = try storeOptions.openChronicleForAppending(clockOptions)
        let target = try resolveEvent(eventID, in: chronicle.log)
        let retraction = try makeRetraction(
            of: target, reason: reason, on: nil, chronicle: chronicle, by: recordedBy)
        var data: JSONValue
        if let with {
            do {
                data = try JSONValue(parsing: Array(with.utf8), field: "--with")
            } catch {
                throw CLIError.invalidData(error.description)
            }
        } else {
            // Personal fields in clear; those of an erased member are left out (they cannot be read back).
            data = try chronicle.reader.readableData(of: target, keys: try chronicle.reader.personalDataKeys()).data
        }
        data = try DataEdits(set: set, unset: unset, add: add, remove: remove).apply(to: data)
        let occurredText = on ?? OccurredAt(target.occurredAt).canonicalText
        let occurredAt: OccurredAt
        do {
            occurredAt = try OccurredAt.parse(occurredText)
        } catch {
            throw CLIError.invalidData("--on: \(error)")
        }
        let line = InterchangeLine(
            id: UUID(), type: target.type, schemaVersion: target.schemaVersion, occurredAt: occurredAt,
            recordedBy: recordedBy, data: data)
        let replacement: Draft
        do {
            replacement = try Draft(
                line: line, defaultRecordedBy: recordedBy, upcasters: chronicle.upcasters)
        } catch {
            throw CLIError.invalidData("corrected event: \(error)")
        }
        try appendAndReport(chronicle, [retraction, replacement], dryRun: dryRun, json: json)
    }
}
