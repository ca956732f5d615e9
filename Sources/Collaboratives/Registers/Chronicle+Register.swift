public import EventLog
internal import Foundation

/// What a register import did (or, in a dry run, would do).
public struct RegisterImportSummary: Sendable {
    /// One event of the register and what became of it.
    public struct Event: Sendable {
        /// The event as planned.
        public let planned: RegisterPlan.Event
        /// Whether it was (or would be) written; `false` when it was already stored with the same content.
        public let appended: Bool
    }

    /// Data rows read (blank rows are not counted).
    public let rows: Int
    /// The events, by date.
    public let events: [Event]
    /// The log's head afterwards (in a dry run: as it would be).
    public let head: LogHead
    /// Whether nothing was written.
    public let dryRun: Bool

    /// Events written (or that would be).
    public var appended: Int { events.filter(\.appended).count }
    /// Events already stored with the same content (idempotent re-import), skipped.
    public var duplicates: Int { events.count - appended }
}

extension Chronicle {
    /// Imports an attendance register as one all-or-nothing batch, through ``append(_:expecting:dryRun:)``
    /// like every other import.
    ///
    /// The register is read against the stored history (retracted events left out); every bad row is
    /// reported at once. Event ids are derived from the register's content (``RegisterEventID``), so importing
    /// the same register again appends nothing.
    ///
    /// - Throws: ``RegisterErrors`` naming the rows at fault, also when a rule refuses the batch (the row
    ///   of the attendee at fault, else the first row of the event); ``EventLogError`` for store faults.
    @discardableResult
    public func importRegister(
        _ table: RegisterTable, mapping: RegisterMapping, recordedBy: String, dryRun: Bool = false
    ) throws -> RegisterImportSummary {
        let (timeline, keys) = try log.read { view in
            (Timeline(entries: try Self.visible(storedTimeline(in: view))), try PersonalDataKeys(view: view))
        }
        let plan = try RegisterImport.plan(
            table, mapping: mapping, timeline: timeline, recordedBy: recordedBy, keys: keys)
        let result: AppendResult
        do {
            result = try append(plan.drafts, dryRun: dryRun)
        } catch let violation as RuleViolation {
            throw RegisterErrors([Self.located(violation, in: plan)])
        } catch EventLogError.duplicateIDWithDifferentContent(let id, let seq) {
            guard let event = plan.events.first(where: { $0.draft.id == id }) else {
                throw EventLogError.duplicateIDWithDifferentContent(id: id, storedSeq: seq)
            }
            throw RegisterErrors([
                InputError(
                    line: event.lines.first,
                    message: "\(event.label) is already stored (seq \(seq), id \(id.lowercased)) with different "
                        + "content: the register changed since it was imported; correct the stored event "
                        + "(chronicle correct) instead")
            ])
        }
        let written = Set(result.appended.map(\.id))
        return RegisterImportSummary(
            rows: plan.rows,
            events: plan.events.map { .init(planned: $0, appended: written.contains($0.draft.id)) },
            head: result.head, dryRun: dryRun)
    }

    /// The entries that count: not retracted, and not the retractions themselves.
    private static func visible(_ entries: [TimelineEntry]) -> [TimelineEntry] {
        var retracted = Set<UUID>()
        for entry in entries {
            if case .eventRetracted(let retraction) = entry.event { retracted.insert(retraction.event) }
        }
        return entries.filter { entry in
            if case .eventRetracted = entry.event { return false }
            return !retracted.contains(entry.id)
        }
    }

    /// A violation as an error on the register's line: the attendee's row when the rule is about an
    /// attendee, else the event's first row.
    static func located(_ violation: RuleViolation, in plan: RegisterPlan) -> InputError {
        let rule = "rule \(violation.rule.rawValue): \(violation.message)"
        guard case .batch(_, let id) = violation.subject, let event = plan.events.first(where: { $0.draft.id == id })
        else {
            return InputError(line: nil, message: violation.description)
        }
        for (member, source) in event.attendeeSources.sorted(by: { $0.value.line < $1.value.line })
        where violation.message.contains("attendee \(member) ") {
            return InputError(line: source.line, message: "\(source.column): \(rule) (\(event.label))")
        }
        let lines = event.lines.count == 1 ? "" : " (lines \(event.lineRanges))"
        return InputError(line: event.lines.first, message: "\(event.label)\(lines): \(rule)")
    }
}
