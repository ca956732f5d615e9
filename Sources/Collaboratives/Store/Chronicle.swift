public import EventLog
internal import Foundation
internal import Synchronization

/// The Collaboratives' history: an ``EventStore`` whose appends must pass the rules of EVENTS.md.
///
/// Rules are checked while the append holds the log's write transaction, against the log as it is at that
/// moment (for a large batch, in a snapshot of it on a second thread while the batch is written), so two
/// writers cannot both pass a check that only one of them may pass.
///
/// It is the write facade: reading (decoding, the history views, the present view, the audits) needs only
/// its ``reader``, which a read-only caller makes itself (``HistoryReader``).
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
    /// The read side of the same log: decoding, projections, the present view.
    public let reader: HistoryReader
    /// How far (in events) the present-view checkpoint may trail the head before an append stores it again.
    public let checkpointInterval: UInt64
    /// Where a long import's present-view fold spills, and how much it holds before it does.
    let checkpointSpill: CheckpointSpill
    /// How the last checkpoint this instance stored was written (what a test checks to know that it was
    /// not folded whole).
    let lastCheckpointWrite = LastCheckpointWrite()
    /// How a long import gives freed heap back to the system between its phases (``HeapTrim``).
    let heapTrim: HeapTrim

    /// The default ``checkpointInterval``: an append stores the checkpoint once every 1,000 events, and a
    /// reader of the present view folds at most that many events after it.
    public static let defaultCheckpointInterval: UInt64 = 1_000

    /// Wraps `log`.
    public convenience init(
        log: any EventStore, today: Day, upcasters: UpcasterChain = .empty,
        checkpointInterval: UInt64 = Chronicle.defaultCheckpointInterval
    ) {
        self.init(
            log: log, today: today, upcasters: upcasters, checkpointInterval: checkpointInterval,
            checkpointSpill: .standard)
    }

    /// Wraps `log`, a long import's present-view fold spilling as `checkpointSpill` says (a test's spills
    /// more often).
    init(
        log: any EventStore, today: Day, upcasters: UpcasterChain, checkpointInterval: UInt64,
        checkpointSpill: CheckpointSpill, heapTrim: HeapTrim = .system
    ) {
        self.log = log
        self.today = today
        self.reader = HistoryReader(log: log, upcasters: upcasters)
        self.checkpointInterval = max(checkpointInterval, 1)
        self.checkpointSpill = checkpointSpill
        self.heapTrim = heapTrim
    }

    /// Readers of older schema versions (the ``reader``'s).
    public var upcasters: UpcasterChain { reader.decoder.upcasters }

    /// Appends `drafts` as one atomic batch after checking every rule; with `dryRun`, checks everything,
    /// including the write itself, and then writes nothing.
    ///
    /// The ``PresentView`` checkpoint is updated in the same transaction when it is due
    /// (``checkpointInterval``).
    ///
    /// - Throws: ``RuleViolation`` (its batch index is the draft's position), ``EventLogError``.
    @discardableResult
    public func append(
        _ drafts: [Draft], expecting: [String: ExpectedVersion] = [:], dryRun: Bool = false
    ) throws -> AppendResult {
        try append(drafts, events: nil, expecting: expecting, dryRun: dryRun)
    }

    /// ``append(_:expecting:dryRun:)`` given, when already made, each draft's ``Draft/newEvent`` (an import
    /// makes them on the threads that draft its lines).
    func append(
        _ drafts: [Draft], events: [NewEvent]?, expecting: [String: ExpectedVersion] = [:], dryRun: Bool
    ) throws -> AppendResult {
        do {
            return try appendOnce(
                drafts, events: events ?? drafts.map(\.newEvent), expecting: expecting, dryRun: dryRun)
        } catch let error as EventLogError {
            // The stored event may be this very one, kept in layout 1 by an earlier build: retry with its bytes.
            guard case .duplicateIDWithDifferentContent = error else { throw error }
            var adopted = drafts
            guard try adoptLayout1Copies(&adopted) else { throw error }
            return try appendOnce(adopted, events: adopted.map(\.newEvent), expecting: expecting, dryRun: dryRun)
        }
    }

    private func appendOnce(
        _ drafts: [Draft], events: [NewEvent], expecting: [String: ExpectedVersion], dryRun: Bool
    ) throws -> AppendResult {
        try catchUpTags()
        return try log.append(
            events, expecting: expecting, hooks: RuleCheckedAppend(chronicle: self, drafts: drafts, dryRun: dryRun),
            dryRun: dryRun)
    }

    /// Checks the rules for `batch` (not yet stored) against the log in `view`: first on the events in its
    /// ``RuleScope``, and only when that fails, or there is no scope, on the whole log.
    ///
    /// - Returns: which check decided (for tests and diagnostics).
    /// - Throws: ``RuleViolation`` from the check on the whole log.
    @discardableResult
    func checkRules(_ batch: [TimelineEntry], in view: any LogView) throws -> RuleCheckPath {
        if let scope = try RuleScope.load(for: batch, in: view, decoder: reader.decoder) {
            do throws(RuleViolation) {
                try RuleCheck.validate(stored: scope.entries, batch: batch, today: today, memberScope: scope.members)
                return .scoped(events: scope.entries.count)
            } catch {
                // The whole log decides, and names the rule with its full context.
            }
        }
        try RuleCheck.validate(stored: try reader.decoder.storedTimeline(in: view), batch: batch, today: today)
        return .wholeLog
    }

    /// Brings the log's tag index (``EventTag``) up to its head: after a restore, or for a store written by
    /// an earlier build. Appends do this first; it costs nothing when the index is current.
    ///
    /// - Returns: how many events were tagged.
    @discardableResult
    public func catchUpTags() throws -> Int {
        try log.catchUpTags(scheme: EventTag.scheme) { event in EventTag.tags(of: try reader.decoder.decode(event)) }
    }

    /// Whether an append should store the present-view checkpoint: none is stored, its header shows it
    /// cannot be used (another encoding version, another position, or not this log's event at that
    /// position), or the events after it (the batch included) reach ``checkpointInterval``. Only the header
    /// is read, so the check costs nothing that grows with the state.
    func checkpointIsDue(in view: any LogView) throws -> Bool {
        let header = try view.checkpointPrefix(named: PresentView.checkpointName, length: PresentView.headerLength)
        guard let (position, prefix) = header else { return true }
        let head = try view.head().seq
        guard position <= head, let stated = PresentView.header(of: prefix), stated.lastSeq == position else {
            return true
        }
        let hash = try position == 0 ? EventHash.genesis : view.event(at: position)?.hash
        return hash != stated.lastHash || head - position >= checkpointInterval
    }

    /// A violation's batch index counts only the events not already stored; turn it back into the
    /// position in `drafts`.
    static func renumber(_ violation: RuleViolation, fresh: [NewEvent], drafts: [Draft]) -> RuleViolation {
        guard case .batch(let index, let id) = violation.subject,
            let position = drafts.firstIndex(where: { $0.id == id }), position != index
        else { return violation }
        return RuleViolation(
            rule: violation.rule, message: violation.message, subject: .batch(index: position, id: id),
            eventType: violation.eventType, occurredAt: violation.occurredAt)
    }
}

/// Finds the drafts of events an append wrote or is about to write: those events are the batch's, in its
/// order, less its duplicates, so one walk along the drafts finds them all without a dictionary of a whole
/// import's drafts. An id out of that order is looked up in a dictionary built then.
struct DraftWalk {
    private let drafts: [Draft]
    private var next = 0
    private var byID: [UUID: Int]?

    init(_ drafts: [Draft]) { self.drafts = drafts }

    /// The draft with `id`, or `nil` when no draft has it.
    mutating func draft(_ id: UUID) -> Draft? {
        while next < drafts.count {
            defer { next += 1 }
            if drafts[next].id == id { return drafts[next] }
        }
        if byID == nil {
            byID = Dictionary(drafts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
        return byID?[id].map { drafts[$0] }
    }

    /// The drafts of `ids`, each of which must have one (else the draft is missing and this throws, naming
    /// the event's place among `ids`).
    mutating func drafts(of ids: [UUID]) throws -> [Draft] {
        try ids.enumerated().map { index, id in
            guard let draft = draft(id) else {
                throw EventLogError.invalidEnvelope(
                    index: index, field: "id", reason: "\(id.uuidString.lowercased()) has no draft in the batch")
            }
            return draft
        }
    }
}

/// Which check decided an append's rules.
enum RuleCheckPath: Equatable {
    /// The events of the batch's ``RuleScope`` (how many).
    case scoped(events: Int)
    /// The whole log.
    case wholeLog
}

/// The entries a fold takes from the drafts of events just written, rather than decoding them again: each
/// event's entry, with the entry a retraction among them retracts (from the drafts when it is one of theirs,
/// else from the log).
struct DraftedEntries {
    /// Only the entries that a retraction among the drafts names need remembering.
    private let targets: Set<UUID>
    private var entries: [UUID: TimelineEntry] = [:]

    init(_ drafts: [Draft]) {
        targets = Set(drafts.compactMap { if case .eventRetracted(let r) = $0.event { r.event } else { nil } })
    }

    /// The recorded entry of the event at `seq` with `hash`, written from `draft`.
    mutating func entry(seq: UInt64, hash: EventHash, draft: Draft, in view: any LogView, decoder: EventDecoder)
        throws -> RecordedEntry
    {
        let entry = TimelineEntry(id: draft.id, seq: seq, occurredAt: draft.occurredAt, event: draft.event)
        if targets.contains(draft.id) { entries[draft.id] = entry }
        var target: TimelineEntry?
        if case .eventRetracted(let retraction) = draft.event {
            if let drafted = entries[retraction.event] {
                target = drafted
            } else if let stored = try view.event(id: retraction.event) {
                target = try decoder.entry(of: stored)
            }
        }
        return RecordedEntry(seq: seq, hash: hash, entry: entry, retracted: target)
    }
}

/// One event of a batch as a fold of the batch needs it: its place in the log, its id and its hash.
struct BatchPosition: Sendable {
    let seq: UInt64
    let id: UUID
    let hash: EventHash
}

/// The present view after a batch, folded during the batch's validation (before the batch was written, so
/// before its hashes were known), for the append's checkpoint to use.
final class FoldedBatch: Sendable {
    private let folded = Mutex<(state: [UInt8], firstSeq: UInt64, lastSeq: UInt64, ids: [UUID])?>(nil)

    /// Keeps `present`, folded with the events `ids` at `firstSeq` onwards, encoded: the encoding is made
    /// here too, on the validation's thread while the batch is written, and the view let go there.
    func keep(_ present: PresentView, firstSeq: UInt64, ids: [UUID]) {
        let state = present.encoded()
        folded.withLock { $0 = (state, firstSeq, present.lastSeq, ids) }
    }

    /// Forgets what was kept (a validation run again starts afresh).
    func forget() { folded.withLock { $0 = nil } }

    /// The checkpoint of the view folded for `appended` (the batch as written: the same events at the
    /// places the fold gave them), stating the hash of its last event; `nil` when none was folded for these
    /// events.
    /// Whether a view was folded for events at the places `appended` has (``take(for:)`` checks the ids too).
    func holds(_ appended: [RecordedEvent]) -> Bool {
        folded.withLock { kept in
            guard let kept, let first = appended.first, let last = appended.last else { return false }
            return kept.firstSeq == first.seq && kept.lastSeq == last.seq
        }
    }

    func take(for appended: [RecordedEvent]) -> Checkpoint? {
        guard var kept = folded.withLock({ $0.take() }), let first = appended.first, let last = appended.last,
            kept.firstSeq == first.seq, kept.lastSeq == last.seq, kept.ids.elementsEqual(appended.lazy.map(\.id))
        else { return nil }
        PresentView.setLastHash(last.hash, in: &kept.state)  // the only part of the fold the hashes change
        return Checkpoint(name: PresentView.checkpointName, position: last.seq, state: kept.state)
    }
}

/// How the last present-view checkpoint was written: the footprint of a merge (``MergedCheckpoint``), or
/// `nil` when the view was folded whole (or rebuilt).
final class LastCheckpointWrite: Sendable {
    private let footprint = Mutex<PresentViewFootprint??>(nil)

    /// `nil` until a checkpoint is stored; then `.some(nil)` when it was folded whole.
    var value: PresentViewFootprint?? { footprint.withLock { $0 } }

    func set(_ value: PresentViewFootprint?) { footprint.withLock { $0 = .some(value) } }
}
