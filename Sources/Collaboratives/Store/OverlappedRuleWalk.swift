internal import ChronicleSupport
internal import EventLog
internal import Foundation

/// The rules' walk of a streamed import into an empty store (``StreamedImport/judgeRules()``), run on its own
/// thread while the import writes: each stretch's events, as the writing decoded them (its drafts: never
/// read back from the store), are judged there while the next stretch is written.
///
/// **Why only into an empty store.** The walk's model is primed with the stored events before the import:
/// none there, so it can start with the first stretch. Into a store with events, the prime is the import's
/// scope (known only once every line is read) or the whole log (read through the session's transaction,
/// which only the writing thread may use), so that walk still runs after the writing.
///
/// **The same verdict.** The walk is the one ``StreamedImport/judgeRules()`` makes after the writing, fed the
/// same events in the same order: each with its `seq`, hash and `recordedAt` as written, its domain event
/// the draft's (what the store's payload decodes to, as the import's checkpoint fold takes it too), and a
/// retraction's target as the store gives it then (found by id in the session's transaction on the writing
/// thread; only a target recorded before the retraction counts, and that one is stored by then, as it is
/// after the writing). It stops at its first finding or at the first event it cannot place without a
/// rebuild, as it does after the writing; the writer learns it when it hands over the next stretch (a
/// finding then ends the writing: the input is to be judged as one batch), or at the end.
///
/// **Bounded.** At most one stretch is being judged while the next is written: handing over a stretch
/// waits for the walk of the one before. Whatever ends the import (an error of the writing, of the walk,
/// a finding), the walk under way is waited for before the session is left (``end()``), so no thread is left
/// running on it and nothing is committed before the walk is over.
final class OverlappedRuleWalk {
    /// How the walk ended.
    enum Outcome: Equatable {
        /// Every event was judged and none broke a rule.
        case holds
        /// An event broke a rule, or made another break one (the input is to be judged as one batch).
        case finding
        /// An event could not be placed without a rebuild: the final timeline is to be judged whole.
        case rebuildNeeded
    }

    /// Thrown by ``hand(_:)`` once the walk has found an event breaking a rule: the rules do not hold.
    struct Finding: Error {}

    /// The walk's audit and whether it has stopped, handed from one stretch's thread to the next.
    private final class Walk: @unchecked Sendable {
        // @unchecked: used by one thread at a time. Each stretch's work is started (``Background``) only
        // after the previous one's was waited for, whose semaphore orders its writes before the next reads.
        var audit: RuleAudit
        var stopped: Outcome?

        init(audit: RuleAudit) { self.audit = audit }

        /// Judges `events` in order, until the first finding or rebuild needed.
        func judge(_ events: [AuditedEvent]) throws {
            for event in events {
                guard stopped == nil else { return }
                do {
                    try audit.check(event)
                } catch is RuleAudit.RebuildNeeded {
                    stopped = .rebuildNeeded
                    return
                }
                if !audit.findings.isEmpty || audit.unlisted > 0 { stopped = .finding }
            }
        }
    }

    /// The walk of the stretches handed over so far; `nil` before the first and once ended.
    private var walking: Background<Walk>?
    /// The walk when no stretch is being judged.
    private var idle: Walk?

    /// A walk judging as of `today` (each event's recording day when `nil`), with no stored events before.
    convenience init(today: Day?) {
        self.init(
            audit: RuleAudit(limit: 1, today: today, rebuildsInWalk: false) { _, _ in
                throw RuleAudit.RebuildNeeded()
            })
    }

    /// A walk with `audit` (the tests give one whose rebuild fails, for a walk that fails).
    init(audit: RuleAudit) {
        idle = Walk(audit: audit)
    }

    /// Hands over the events of the stretch just written, once the walk of the one before is over.
    ///
    /// - Throws: the walk's error, or ``Finding`` when it found an event breaking a rule (the writing is then
    ///   to stop: one batch is to judge the input).
    func hand(_ events: [AuditedEvent]) throws {
        let walk = try waited()
        if walk.stopped == .finding { throw Finding() }
        guard walk.stopped == nil, !events.isEmpty else {
            idle = walk
            return
        }
        walking = Background {
            try walk.judge(events)
            return walk
        }
    }

    /// Waits for the walk to judge every stretch handed over, and says how it ended.
    func outcome() throws -> Outcome {
        try waited().stopped ?? .holds
    }

    /// Waits for the walk under way, if any, whatever it throws: called on every way out of the session.
    /// The walk is then over: handing it more, or asking its outcome, throws `CancellationError`.
    func end() {
        idle = nil
        if let walking {
            self.walking = nil
            _ = try? walking.value()
        }
    }

    /// Whether a stretch handed over may still be being judged (the tests check that none is after ``end()``).
    var isWalking: Bool { walking != nil }

    /// The walk once the stretch under way (if any) is judged.
    private func waited() throws -> Walk {
        if let walking {
            self.walking = nil
            let walk = try walking.takeValue()
            idle = walk
            return walk
        }
        guard let idle else { throw CancellationError() }
        return idle
    }

    /// The events of a stretch just written as the walk judges them: `written` in order, each with its draft
    /// among `drafts` (an event without one is decoded from the store, as the walk after the writing reads it)
    /// and a retraction's target found in `view` (the session's transaction) unless among `drafts`.
    static func events(
        _ written: [RecordedEvent], drafts: [Draft], in view: any LogView, decoder: EventDecoder
    ) throws -> [AuditedEvent] {
        var drafted = DraftedEntries(drafts)
        var walk = DraftWalk(drafts)
        var events: [AuditedEvent] = []
        events.reserveCapacity(written.count)
        for event in written {
            let recorded =
                if let draft = walk.draft(event.id) {
                    try drafted.entry(seq: event.seq, hash: event.hash, draft: draft, in: view, decoder: decoder)
                } else {
                    try decoder.recordedEntry(of: event, in: view)
                }
            events.append(AuditedEvent(recorded: recorded, recordedAt: event.recordedAt))
        }
        return events
    }
}
