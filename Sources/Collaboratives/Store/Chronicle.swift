public import EventLog
internal import Foundation

/// The Collaboratives' history: an ``EventStore`` whose appends must pass the rules of EVENTS.md.
///
/// Rules are checked inside the append's write transaction, against the log as it is at that moment, so
/// two writers cannot both pass a check that only one of them may pass.
///
/// ```swift
/// let chronicle = Chronicle(log: try LMDBEventStore(directory: path, create: false), today: .londonToday())
/// try chronicle.append([Draft(occurredAt: .day(day), recordedBy: "advisor", event: .memberJoined(joined))])
/// ```
public final class Chronicle: Sendable {
    /// The underlying log.
    public let log: any EventStore
    /// Today in Europe/London, for the future-date rule.
    public let today: Day
    /// Readers of older schema versions.
    public let upcasters: UpcasterChain

    /// Wraps `log`.
    public init(log: any EventStore, today: Day, upcasters: UpcasterChain = .empty) {
        self.log = log
        self.today = today
        self.upcasters = upcasters
    }

    /// Appends `drafts` as one atomic batch after checking every rule; with `dryRun`, checks everything,
    /// including the write itself, and then writes nothing.
    ///
    /// The ``PresentView`` checkpoint is updated in the same transaction.
    ///
    /// - Throws: ``RuleViolation`` (its batch index is the draft's position), ``EventLogError``.
    @discardableResult
    public func append(
        _ drafts: [Draft], expecting: [String: ExpectedVersion] = [:], dryRun: Bool = false
    ) throws -> AppendResult {
        var byID: [UUID: Draft] = [:]
        for draft in drafts { byID[draft.id] = draft }
        let events = drafts.map(\.newEvent)
        let today = self.today
        do {
            return try log.append(
                events, expecting: expecting,
                prepare: { writer, batch in try self.sealPersonalData(batch, drafts: drafts, in: writer) },
                validate: { view, fresh in
                    let stored = try self.storedTimeline(in: view)
                    let batch = fresh.compactMap { byID[$0.id]?.pendingEntry }
                    do throws(RuleViolation) {
                        try RuleCheck.validate(stored: stored, batch: batch, today: today)
                    } catch {
                        throw Self.renumber(error, fresh: fresh, drafts: drafts)
                    }
                },
                checkpoints: { view, appended in
                    if dryRun {
                        throw DryRun(result: AppendResult(appended: appended, duplicates: [], head: try view.head()))
                    }
                    // The present view moves with the log, in the same transaction; a checkpoint that is
                    // missing or behind (an older build, a restore) is caught up here rather than refused.
                    return [try self.presentView(in: view).present.checkpoint]
                })
        } catch let dry as DryRun {
            return dry.result
        }
    }

    /// Every stored event on the timeline (retracted ones and retractions included: the rules set them aside).
    public func storedTimeline(in view: any LogView) throws -> [TimelineEntry] {
        var entries: [TimelineEntry] = []
        try view.scan(from: 1, direction: .forward) { event in
            entries.append(try self.entry(of: event))
            return true
        }
        return entries
    }

    /// The timeline entry of a stored event.
    public func entry(of event: RecordedEvent) throws -> TimelineEntry {
        TimelineEntry(
            id: event.id, seq: event.seq, occurredAt: OccurredAt(event.occurredAt), event: try decode(event))
    }

    /// The domain event of a stored one, upcast to the latest version.
    public func decode(_ event: RecordedEvent) throws -> DomainEvent {
        do {
            return try EventCodec.decode(
                type: event.type, schemaVersion: event.schemaVersion, data: event.payload, upcasters: upcasters)
        } catch {
            throw EventLogError.corruptRecord(seq: event.seq, reason: "payload does not decode: \(error)")
        }
    }

    /// A violation's batch index counts only the events not already stored; turn it back into the
    /// position in `drafts`.
    private static func renumber(_ violation: RuleViolation, fresh: [NewEvent], drafts: [Draft]) -> RuleViolation {
        guard case .batch(let index, let id) = violation.subject,
            let position = drafts.firstIndex(where: { $0.id == id }), position != index
        else { return violation }
        return RuleViolation(
            rule: violation.rule, message: violation.message, subject: .batch(index: position, id: id),
            eventType: violation.eventType, occurredAt: violation.occurredAt)
    }
}

/// Thrown from inside the transaction to abort a dry run after everything was checked.
private struct DryRun: Error {
    let result: AppendResult
}
