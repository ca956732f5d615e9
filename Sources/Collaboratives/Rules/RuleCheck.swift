public import Foundation

/// Decides whether a batch of events may be appended to the log, all or nothing.
///
/// Validity is judged on the whole timeline ordered by `occurredAt` (see ``Timeline``),
/// with day-interval semantics: the stored events, less the retracted ones, plus the
/// batch, less the events the batch retracts. A batch that is valid itself but makes
/// a stored, later-dated event invalid is refused naming that stored event; a stored event that broke the
/// same rule before the batch (written past the rules) is not the batch's to answer for.
///
/// ```swift
/// do {
///     try RuleCheck.validate(stored: storedEntries, batch: newEntries, today: .londonToday())
/// } catch {
///     print(error)   // rule member-active: refused because stored event 3f1c… (WorkshopHeld, …
/// }
/// ```
public enum RuleCheck {
    /// Validates `batch` against `stored`; throws the first rule it breaks.
    ///
    /// Checks run in two phases, and the first failure is thrown:
    /// 1. Each batch event on its own, in batch order: not dated after `today`, no
    ///    duplicate in `attendees` / `collaboratives`, at least one collaborative, a
    ///    sub-group for `subgroup-lead`; a retraction names an event stored or earlier
    ///    in the batch, which is neither a retraction nor retracted already.
    /// 2. Every remaining event, stored or new, in timeline order: its references exist
    ///    on its day, the people it names are active where it says, and it is a valid
    ///    next step (join only while not active, a role ended by its holder, unique slugs…).
    ///    Retracting an event therefore also checks that the log without it stays valid.
    ///
    /// - Parameters:
    ///   - stored: the stored events that are not retracted, including the stored
    ///     `EventRetracted` events (retracted events may be passed too: the targets of the
    ///     stored retractions are left out here). `seq` orders same-instant events.
    ///   - batch: the new events, in order, not yet stored (`seq` is ignored); already
    ///     stored ids (idempotent re-appends) must be removed by the caller.
    ///   - today: the current date in Europe/London (``Day/londonToday(now:)``).
    ///   - retractedIDs: ids of stored events known to be retracted, if the caller left
    ///     their retractions out of `stored`.
    ///   - memberScope: when `stored` holds only some members' complete states (and the entities the batch
    ///     names, see ``RuleScope``), those members; rules about other members' states are then not judged.
    /// - Returns: the timeline with the batch applied, for callers that want to query it.
    /// - Throws: ``RuleViolation`` naming the rule and the batch index or stored event at fault.
    /// - Complexity: O(n log n) in the number of events.
    @discardableResult
    public static func validate(
        stored: [TimelineEntry], batch: [TimelineEntry], today: Day, retractedIDs: Set<UUID> = [],
        memberScope: Set<Slug>? = nil
    ) throws(RuleViolation) -> Timeline {
        var retractions = RetractionLedger(stored: stored, retractedIDs: retractedIDs)
        let storedRetractions = retractions
        for (index, entry) in batch.enumerated() {
            if let failure = BatchChecks.failure(of: entry, today: today)
                ?? retractions.admit(entry, batchIndex: index)
            {
                throw violation(failure, entry: entry, subject: .batch(index: index, id: entry.id))
            }
        }
        var entries = stored.filter { !retractions.isRetracted($0.id) }
        let storedCount = entries.count
        let keptBatchIndices = batch.indices.filter { !retractions.isRetracted(batch[$0].id) }
        entries += keptBatchIndices.map { batch[$0] }

        let timeline = Timeline(entries: entries, memberScope: memberScope)
        // The rules each stored entry already broke without the batch, found only once a stored entry fails.
        var brokenBefore: [UUID: Rule]?
        for (position, entry) in timeline.entries.enumerated() {
            guard let failure = failure(at: position, of: entry, in: timeline) else { continue }
            let input = timeline.inputIndices[position]
            if input < storedCount {
                let before =
                    brokenBefore
                    ?? failures(of: stored.filter { !storedRetractions.isRetracted($0.id) }, memberScope: memberScope)
                brokenBefore = before
                // A stored event that broke this rule before the batch (only a writer past the rules leaves one:
                // README, Security) is not the batch's doing: `verify --rules` names it; the batch is judged
                // on what it changes, as a streamed import's walk judges it.
                if before[entry.id] == failure.rule { continue }
            }
            let subject: RuleViolation.Subject =
                input < storedCount
                ? .stored(id: entry.id) : .batch(index: keptBatchIndices[input - storedCount], id: entry.id)
            throw violation(failure, entry: entry, subject: subject)
        }
        return timeline
    }

    /// The rule each of `entries` breaks on their own timeline, by id (the first found, as ``validate`` finds it).
    private static func failures(of entries: [TimelineEntry], memberScope: Set<Slug>?) -> [UUID: Rule] {
        let timeline = Timeline(entries: entries, memberScope: memberScope)
        var found: [UUID: Rule] = [:]
        for (position, entry) in timeline.entries.enumerated() {
            if let failure = failure(at: position, of: entry, in: timeline) { found[entry.id] = failure.rule }
        }
        return found
    }

    /// The rule `entry`, at `position` of `timeline`, breaks there: a reference missing on its day, else what
    /// its replay found.
    private static func failure(at position: Int, of entry: TimelineEntry, in timeline: Timeline) -> RuleFailure? {
        timeline.referenceFailure(of: entry, on: timeline.localDays[position]) ?? timeline.issues[position]
    }

    /// The violation of `failure` by `entry`. A suggestion ("did you mean") is kept only for an event of
    /// the batch: a stored event's reference was valid when it was written, so it is not a typo.
    private static func violation(
        _ failure: RuleFailure, entry: TimelineEntry, subject: RuleViolation.Subject
    ) -> RuleViolation {
        var suggestion: Slug?
        if case .batch = subject { suggestion = failure.suggestion }
        return RuleViolation(
            rule: failure.rule, message: failure.message, subject: subject, eventType: entry.event.typeName,
            occurredAt: entry.occurredAt, suggestion: suggestion)
    }
}
