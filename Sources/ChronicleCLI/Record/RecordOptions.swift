import ArgumentParser
import Collaboratives
import EventLog
import Foundation

/// Options shared by every `chronicle record` subcommand.
///
/// It declares ``StoreOptions``' and ``TerminalOptions``' options itself, in their order and with their help,
/// rather than nesting them as option groups: argument-parser reflects every group type again and again
/// while parsing, and each new type costs run-time conformance look-ups (scans of every conformance record).
/// `record` is the command whose start-up time counts (README, "Performance").
struct RecordOptions: ParsableArguments {
    @Option(name: .long, help: StoreOptions.storeHelp, completion: .directory)
    var store: String?

    @Option(name: .customLong("recorded-by"), help: StoreOptions.recordedByHelp)
    var recordedBy: String?

    /// `--recorded-by`'s deprecated spelling (see ``RecorderOptions``).
    @Option(name: .customLong("by"), help: .hidden)
    var deprecatedBy: String?

    /// Read from the command line by ``Terminal`` (see ``TerminalOptions``).
    @Flag(name: .customLong("no-color"), help: TerminalOptions.noColorHelp)
    var noColor = false

    @Option(
        name: .long, help: ArgumentHelp("When it happened: YYYY-MM-DD or an RFC 3339 timestamp.", valueName: "date"))
    var on: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The event id (default: a new UUID). Re-running with the same id is a no-op.", valueName: "uuid"))
    var id: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Refuse (exit 73) unless the event's stream is at this version; 0 means the stream must not exist yet.",
            valueName: "n"))
    var expectVersion: UInt64?

    @Flag(name: .long, help: "Check everything and write nothing.") var dryRun = false
    @Flag(name: .long, help: ClockOptions.allowClockBehindHelp) var allowClockBehind = false
    @Flag(name: .long, help: "Print the stored event as JSON.") var json = false

    func validate() throws {
        try RecorderOptions.checked(recordedBy: recordedBy, deprecatedBy: deprecatedBy)
    }

    /// The store and recorder that `--store` and `--recorded-by` select.
    var storeSelection: StoreSelection { StoreSelection(store: store, by: recordedBy ?? deprecatedBy) }

    /// Builds, checks and appends one event of `type` with `data`, then prints what was stored.
    func record(type: String, data: [String: JSONValue]) throws {
        let recordedBy = try storeSelection.checkedRecordedBy()
        let occurredAt: OccurredAt
        do throws(DomainError) {
            occurredAt = try OccurredAt.parse(on)
        } catch {
            throw CLIError.invalidData("--on: \(error.message)")
        }
        var eventID = UUID()
        if let id {
            guard let parsed = UUID(canonicalText: id) else {
                throw CLIError.usage("--id: \(id.debugDescription) is not a UUID")
            }
            eventID = parsed
        }
        let line = InterchangeLine(
            id: eventID, type: type, schemaVersion: DomainEvent.latestSchemaVersion, occurredAt: occurredAt,
            recordedBy: recordedBy, data: .object(data), restored: .init())
        let draft: Draft
        do throws(DomainError) {
            draft = try Draft(line: line, defaultRecordedBy: recordedBy)
        } catch {
            throw CLIError.invalidData(FlagNames.describe(error))
        }
        var expecting: [String: ExpectedVersion] = [:]
        if let expectVersion { expecting[draft.event.stream] = expectVersion == 0 ? .noStream : .exact(expectVersion) }
        let chronicle = try storeSelection.openChronicleForAppending(allowingClockBehind: allowClockBehind)
        let result: AppendResult
        do {
            result = try chronicle.append([draft], expecting: expecting, dryRun: dryRun)
        } catch let violation as RuleViolation {
            throw CLIError.invalidData(violation.description)
        }
        try report(result, chronicle: chronicle)
    }

    func report(_ result: AppendResult, chronicle: Chronicle) throws {
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
            let verb = dryRun ? "would record" : "recorded"
            printLine(
                "\(verb) seq \(event.seq)  \(event.type)  \(event.stream) v\(event.streamVersion)  "
                    + "id \(event.id.uuidString.lowercased())")
        }
        for event in result.duplicates {
            printLine("already recorded (seq \(event.seq), id \(event.id.uuidString.lowercased())): nothing written")
        }
    }
}

/// Translates the codec's field paths (`data.attendees[1]`) into the flags that set them (`--attendee`).
enum FlagNames {
    static let listFlags = ["attendees": "attendee", "collaboratives": "collaborative"]

    static func describe(_ error: DomainError) -> String {
        guard let field = error.field, field.hasPrefix("data.") else { return error.description }
        var name = String(field.dropFirst(5))
        var suffix = ""
        if let bracket = name.firstIndex(of: "[") {
            suffix = " (value \(name[bracket...]))"
            name = String(name[..<bracket])
        }
        name = listFlags[name] ?? name
        return "--\(kebab(name))\(suffix): \(error.message)"
    }

    static func kebab(_ camel: String) -> String {
        var result = ""
        for character in camel {
            if character.isUppercase {
                result += "-" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}

/// Builds a `data` object from flag values, leaving out absent optional ones.
struct DataBuilder {
    private(set) var fields: [String: JSONValue] = [:]

    mutating func set(_ key: String, _ value: String?) {
        if let value { fields[key] = .string(value) }
    }

    mutating func set(_ key: String, _ values: [String]) {
        fields[key] = .array(values.map { .string($0) })
    }

    mutating func set(_ key: String, _ value: Int?) {
        if let value { fields[key] = .integer(Int64(value)) }
    }
}
