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
            data = try chronicle.readableData(of: target, keys: try chronicle.personalDataKeys()).data
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

/// Finds an event by id or by a unique prefix of at least 8 hex digits.
func resolveEvent(_ text: String, in log: any EventStore) throws -> RecordedEvent {
    let wanted = text.lowercased()
    if let id = UUID(canonicalText: wanted), let event = try log.read({ try $0.event(id: id) }) { return event }
    guard wanted.count >= 8, wanted.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
        throw CLIError.invalidData("event id \(text.debugDescription): give the id or at least its first 8 hex digits")
    }
    var found: [RecordedEvent] = []
    try log.events().forEach { event in
        if event.id.uuidString.lowercased().hasPrefix(wanted) { found.append(event) }
    }
    guard found.count == 1, let event = found.first else {
        throw CLIError.invalidData(
            found.isEmpty
                ? "no event with id \(text)" : "id prefix \(text) matches \(found.count) events; give more digits")
    }
    return event
}

/// The retraction of `target`, dated `on` or today.
func makeRetraction(of target: RecordedEvent, reason: String, on: String?, chronicle: Chronicle, by: String) throws
    -> Draft
{
    let occurredAt: OccurredAt
    do {
        occurredAt = try on.map(OccurredAt.parse) ?? .day(chronicle.today)
    } catch {
        throw CLIError.invalidData("--on: \(error)")
    }
    let data: JSONValue = .object(["event": .string(target.id.uuidString.lowercased()), "reason": .string(reason)])
    let line = InterchangeLine(
        id: UUID(), type: "EventRetracted", schemaVersion: DomainEvent.latestSchemaVersion, occurredAt: occurredAt,
        recordedBy: by, data: data)
    do {
        return try Draft(line: line, defaultRecordedBy: by)
    } catch {
        throw CLIError.invalidData(FlagNames.describe(error))
    }
}

/// Appends a batch of drafts and prints what was stored.
func appendAndReport(_ chronicle: Chronicle, _ drafts: [Draft], dryRun: Bool, json: Bool) throws {
    let result: AppendResult
    do {
        result = try chronicle.append(drafts, dryRun: dryRun)
    } catch let violation as RuleViolation {
        throw CLIError.invalidData(violation.description)
    }
    if json {
        let keys = try chronicle.personalDataKeys()
        printJSON(
            .object([
                "appended": .array(result.appended.map { $0.json(chronicle, keys: keys) }),
                "duplicates": .array(result.duplicates.map { $0.json(chronicle, keys: keys) }),
                "dryRun": .bool(dryRun), "head": result.head.json,
            ]))
        return
    }
    for event in result.appended {
        printLine(
            "\(dryRun ? "would record" : "recorded") seq \(event.seq)  \(event.type)  id \(event.id.uuidString.lowercased())"
        )
    }
}
