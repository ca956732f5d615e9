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

    /// Checks and appends the event `makeEvent` builds from the flags, then prints what was stored.
    ///
    /// The event is judged as `import` judges the same event given as a line
    /// (``Collaboratives/DomainEvent/checkedAsInput()``), and errors name the flag at fault.
    func record(_ makeEvent: () throws(DomainError) -> DomainEvent) throws {
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
        let draft: Draft
        do throws(DomainError) {
            draft = Draft(
                id: eventID, occurredAt: occurredAt, recordedBy: recordedBy, event: try makeEvent().checkedAsInput())
        } catch {
            throw CLIError.invalidData(FlagNames.describe(error))
        }
        var expecting: [String: ExpectedVersion] = [:]
        if let expectVersion { expecting[draft.event.stream] = expectVersion == 0 ? .noStream : .exact(expectVersion) }
        let chronicle = try storeSelection.openChronicleForAppending(allowingClockBehind: allowClockBehind)
        try appendAndReport(
            chronicle, [draft], expecting: expecting, dryRun: dryRun, json: json, namingStreams: true)
    }
}
