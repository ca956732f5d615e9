import ArgumentParser
import Collaboratives
import EventLog
import FileSystem
import Foundation

/// `chronicle import register FILE.csv`: a spreadsheet's attendance register, through its mapping.
struct ImportRegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Append the workshops or coaching sessions of an attendance register (CSV), all or nothing.",
        discussion: """
            Examples:
              chronicle import register Examples/registers/oldham-summer-2024.csv --dry-run
              chronicle import register registers/term1.csv --mapping registers/workshops.mapping.json
              chronicle import register coaching.csv --json
              chronicle import register term1.csv --apply-corrections --reason "register fixed by the officer"

            One row per person: a date, a workshop (or coaching session), a member
            slug or name, and whether they attended. A mapping file kept beside the
            CSV (FILE.mapping.json for FILE.csv, or --mapping) says which columns hold
            these, how dates are written (DD/MM/YYYY, YYYY-MM-DD, D MMM YYYY …), which
            values mean attended, and the event's fixed fields (README, "Registers
            from spreadsheets"). Rows are grouped by date and workshop (or session)
            into one WorkshopHeld (or CoachingSessionHeld) each, whose attendees are
            the members marked attended; names are resolved against the members
            active that day where it was held.

            Every bad row is reported on stderr, one line each naming the line and the
            column (at most 50), and nothing is written (exit 65). Event ids are
            derived from the register (the workshop and date; for coaching, the
            collaborative, advisor, session and date, and a one-to-one row is its own
            session), so importing it again writes nothing, nor does importing a sheet
            fixed the way the store was corrected. A row that changes a stored event
            is listed with what differs and the `chronicle correct` command that
            records it, and nothing is written (exit 65); --apply-corrections --reason
            TEXT records those corrections in the import's batch instead. An event
            retracted since it was imported is skipped, and said to be.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var recorderOptions: RecorderOptions
    @OptionGroup var clockOptions: ClockOptions
    @Option(
        name: .long,
        help: ArgumentHelp("The mapping file (default: FILE.mapping.json beside FILE.csv).", valueName: "file"))
    var mapping: String?
    @Flag(
        name: .long,
        help: "Correct the stored events the register changes (each retracted and replaced), in the same batch.")
    var applyCorrections = false
    @Option(name: .long, help: ArgumentHelp("Why, with --apply-corrections.", valueName: "text")) var reason: String?
    @Flag(name: .long, help: "Check everything and write nothing.") var dryRun = false
    @Flag(name: .long, help: "Print the result as JSON.") var json = false
    @Argument(help: ArgumentHelp("The register, as CSV (- for stdin, with --mapping).", valueName: "file.csv"))
    var file: String

    func validate() throws {
        if file == "-" && mapping == nil {
            throw ValidationError("a register read from stdin needs --mapping")
        }
        if applyCorrections && (reason ?? "").allSatisfy(\.isWhitespace) {
            throw ValidationError("--apply-corrections needs --reason TEXT: why the stored events are corrected")
        }
        if reason != nil && !applyCorrections {
            throw ValidationError("--reason is only for --apply-corrections")
        }
    }

    /// The mapping's path: `--mapping`, else the register's path with `.csv` replaced by `.mapping.json`.
    var mappingPath: String {
        if let mapping { return mapping }
        let base = file.lowercased().hasSuffix(".csv") ? String(file.dropLast(4)) : file
        return base + ".mapping.json"
    }

    func run() throws {
        let recordedBy = try recorderOptions.checkedRecordedBy(storeOptions.selection)
        let mapping = try readMapping()
        let table = try readTable(delimiter: mapping.delimiter)
        let chronicle = try storeOptions.openChronicleForAppending(clockOptions)
        let summary: RegisterImportSummary
        do {
            summary = try chronicle.importRegister(
                table, mapping: mapping, recordedBy: recordedBy,
                corrections: applyCorrections ? .apply(reason: reason ?? "") : .refuse, dryRun: dryRun)
        } catch let changes as RegisterChanges {
            printChanges(changes)
            throw ExitCode(ExitStatus.invalidData.rawValue)
        } catch let errors as RegisterErrors {
            for error in errors.errors {
                printDiagnostic("error: \(error)")
            }
            if errors.omitted > 0 {
                printDiagnostic(
                    "error: and \(errors.omitted) more bad rows (the first \(RegisterErrors.limit) are shown)")
            }
            throw ExitCode(ExitStatus.invalidData.rawValue)
        }
        if json {
            printJSON(Self.json(summary))
        } else {
            printLine(Self.text(summary))
        }
    }

    private func readMapping() throws -> RegisterMapping {
        let path = mappingPath
        guard FileSystem.exists(path) else {
            throw CLIError.noInput(
                "no mapping file \(path): write one beside the register or give --mapping "
                    + "(see README, \"Registers from spreadsheets\")")
        }
        do {
            return try RegisterMapping(parsing: try readInput(path))
        } catch let error as DomainError {
            throw CLIError.invalidData("\(path): \(error)")
        }
    }

    private func readTable(delimiter: Character) throws -> RegisterTable {
        let bytes = try readInput(file)
        let name = file == "-" ? "stdin" : file
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CLIError.invalidData(
                "\(name) is not UTF-8 text: export the spreadsheet as \"CSV UTF-8\" (comma delimited)")
        }
        let table = try RegisterCSV.table(from: text, delimiter: delimiter)
        guard table.rows.contains(where: { !$0.cells.allSatisfy { $0.allSatisfy(\.isWhitespace) } }) else {
            throw CLIError.invalidData("\(name) holds no rows below its header (it is empty or blank)")
        }
        return table
    }

    // MARK: - Output

    private static func text(_ summary: RegisterImportSummary) -> String {
        var table = Table(["DATE", "EVENT", "ATTENDEES", "LINES", "STATUS"], rightAligned: [2])
        for event in summary.events {
            table.add([
                event.planned.draft.occurredAt.canonicalText, Self.name(of: event.planned),
                String(Self.attendees(of: event.planned).count), event.planned.lineRanges,
                Self.status(of: event, dryRun: summary.dryRun),
            ])
        }
        let verb = summary.dryRun ? "would import" : "imported"
        var text = "\(verb) \(summary.appended) events from \(summary.rows) rows"
        if !summary.changes.isEmpty {
            text += " (correcting \(summary.changes.count) stored event\(summary.changes.count == 1 ? "" : "s"))"
        }
        if summary.duplicates > 0 { text += ", \(summary.duplicates) already stored (skipped)" }
        if summary.retracted > 0 { text += ", \(summary.retracted) retracted since (skipped)" }
        text += "; head seq \(summary.head.seq) \(summary.head.hash)"
        if summary.dryRun { text += " (dry run: nothing written)" }
        return table.render() + "\n" + text
    }

    private static func status(of event: RegisterImportSummary.Event, dryRun: Bool) -> String {
        switch event.status {
        case .new: dryRun ? "new" : "added"
        case .stored: "already stored"
        case .corrected(let stored, _): "\(dryRun ? "would correct" : "corrected") seq \(stored.seq)"
        case .retracted(_, let retraction):
            "was retracted on \(retraction.occurredAt.canonicalText) (seq \(retraction.seq))"
        }
    }

    private static func json(_ summary: RegisterImportSummary) -> JSONValue {
        .object([
            "rows": .integer(Int64(summary.rows)), "appended": .integer(Int64(summary.appended)),
            "duplicates": .integer(Int64(summary.duplicates)), "corrected": .integer(Int64(summary.changes.count)),
            "retracted": .integer(Int64(summary.retracted)), "dryRun": .bool(summary.dryRun),
            "head": summary.head.json,
            "events": .array(
                summary.events.map { event in
                    let planned = event.planned
                    var fields: [String: JSONValue] = [
                        "id": .string(event.id.uuidString.lowercased()),
                        "type": .string(planned.draft.event.typeName),
                        "occurredAt": .string(planned.draft.occurredAt.canonicalText),
                        "label": .string(planned.label),
                        "attendees": .array(Self.attendees(of: planned).map { .string($0.rawValue) }),
                        "lines": .array(planned.lines.map { .integer(Int64($0)) }),
                        "appended": .bool(event.appended),
                    ]
                    fields.merge(Self.statusJSON(event.status)) { _, new in new }
                    return .object(fields)
                }),
        ])
    }

    private static func statusJSON(_ status: RegisterEventStatus) -> [String: JSONValue] {
        func stored(_ event: RegisterStoredEvent) -> JSONValue {
            .object(["id": .string(event.id.uuidString.lowercased()), "seq": .integer(Int64(event.seq))])
        }
        switch status {
        case .new:
            return ["status": .string("new")]
        case .stored:
            return ["status": .string("stored")]
        case .corrected(let event, let differences):
            return [
                "status": .string("corrected"), "corrects": stored(event),
                "differences": .array(
                    differences.map { difference in
                        var fields: [String: JSONValue] = [
                            "field": .string(difference.field),
                            "lines": .array(difference.lines.map { .integer(Int64($0)) }),
                        ]
                        if difference.isList {
                            fields["added"] = .array(difference.added.map(JSONValue.string))
                            fields["removed"] = .array(difference.removed.map(JSONValue.string))
                        } else {
                            fields["stored"] = difference.stored.map(JSONValue.string) ?? .null
                            fields["register"] = difference.register.map(JSONValue.string) ?? .null
                        }
                        return .object(fields)
                    }),
            ]
        case .retracted(_, let retraction):
            return [
                "status": .string("retracted"),
                "retraction": .object([
                    "id": .string(retraction.id.uuidString.lowercased()), "seq": .integer(Int64(retraction.seq)),
                    "occurredAt": .string(retraction.occurredAt.canonicalText), "reason": .string(retraction.reason),
                ]),
            ]
        }
    }

    private static func name(of event: RegisterPlan.Event) -> String {
        switch event.draft.event {
        case .workshopHeld(let workshop): "workshop \(workshop.workshop)"
        case .coachingSessionHeld(let session): "coaching \(session.kind.rawValue) in \(session.collaborative)"
        default: event.draft.event.typeName
        }
    }

    private static func attendees(of event: RegisterPlan.Event) -> [Slug] {
        switch event.draft.event {
        case .workshopHeld(let workshop): workshop.attendees
        case .coachingSessionHeld(let session): session.attendees
        default: []
        }
    }
}
