internal import Foundation
internal import Synchronization

/// An event store held in this process's memory: the whole ``EventStore`` contract (idempotency, expected
/// versions, the `prepare` step and subject keys, validation against the log before the batch, checkpoints,
/// the clock's tolerance, the tag index and its catch-up, restore with its checks, `verify` over its own
/// hash chain), with the same hashes as the LMDB store, and nothing persisted.
///
/// For tests (the store contract runs against it beside the real backends) and for embedding where the
/// history is loaded from elsewhere (``EventStore/copy(to:chunkSize:progress:)``) and written back the
/// same way. Thread-safe: appends and restores are serialised; each read sees one consistent snapshot
/// (a copy of copy-on-write arrays), so a long read never blocks a writer.
///
/// ```swift
/// let store = InMemoryEventStore(clock: FixedClock(.init(microsecondsSinceEpoch: 0)))
/// try store.append([NewEvent(stream: "s", type: "T", occurredAt: .day(1), recordedBy: "me", payload: [])])
/// ```
public final class InMemoryEventStore: EventStore {
    /// The committed state; replaced whole when a write commits.
    private let state = Mutex(MemoryLogState())
    /// Held for the whole of an append, restore, catch-up or checkpoint, so that writers run one at a time
    /// while readers go on with their snapshots (the state's lock is taken only to copy or to commit).
    private let writer = NSLock()
    private let clock: any TransactionClock
    private let allowsClockBehind: Bool

    /// Creates an empty store. `allowsClockBehind`: as ``LMDBEventStore/Options/allowsClockBehind``.
    public init(clock: any TransactionClock = SystemClock(), allowsClockBehind: Bool = false) {
        self.clock = clock
        self.allowsClockBehind = allowsClockBehind
    }

    /// The committed state, as of now.
    private func snapshot() -> MemoryLogState { state.withLock { $0 } }

    /// Runs a write: `body` gets a view of the current state and returns whether to commit what it changed.
    private func writing<R>(_ body: (MemoryLogView) throws -> (result: R, commit: Bool)) throws -> R {
        writer.lock()
        defer { writer.unlock() }
        let view = MemoryLogView(snapshot())
        let (result, commit) = try body(view)
        if commit {
            let written = view.state
            state.withLock { $0 = written }
        }
        return result
    }

    public func read<R>(_ body: (any LogView) throws -> R) throws -> R {
        try body(MemoryLogView(snapshot()))
    }

    /// Appends in the steps of `AppendSteps`, in the LMDB store's order (idempotency first, then the
    /// prepare step, content, expectations, the clock, the validation), under the writers' lock; a dry run
    /// leaves the committed state as it was.
    @discardableResult
    public func append(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion], hooks: any AppendHooks, dryRun: Bool
    ) throws -> AppendResult {
        try AppendSteps.checkEnvelopes(batch)
        return try writing { view in
            var session: AppendSteps.SessionState?
            let result = try appendSteps(
                batch, expecting: expecting, hooks: hooks, dryRun: dryRun, in: view, session: &session)
            // Key changes of the prepare step commit even when every event was a retry, as on LMDB.
            return (result, !dryRun)
        }
    }

    /// Runs `body` with a session of one write, committed when it returns (unless `dryRun`); `room` is not
    /// needed (memory grows as it is used).
    @discardableResult
    public func withAppendSession<R: Sendable>(
        dryRun: Bool, room: AppendSessionRoom, _ body: (any AppendSession) throws -> R
    ) throws -> R {
        try writing { view in
            let session = SteppedAppendSession(
                start: view.state.head, dryRun: dryRun, view: view,
                append: { batch, expecting, hooks, session in
                    try self.appendSteps(
                        batch, expecting: expecting, hooks: hooks, dryRun: dryRun, in: view, session: &session)
                },
                restore: { events, tags, keys in try self.restoreSteps(events, tags: tags, keys: keys, in: view) },
                put: { name, position, size, write in
                    view.state.checkpoints[Name(name)] = try Checkpoint(
                        name: name, position: position, size: size, write)
                })
            return (try body(session), !dryRun)
        }
    }

    /// The steps of one append in `view` (outside a session, or one batch of `session`).
    private func appendSteps(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion], hooks: any AppendHooks, dryRun: Bool,
        in view: MemoryLogView, session: inout AppendSteps.SessionState?
    ) throws -> AppendResult {
        let before = view.state
        let retries = try AppendSteps.Retries(of: batch) { try view.event(id: $0) }
        try session?.checkRetries(retries)
        let (fresh, duplicates) = try retries.prepare(batch, with: hooks, keys: view)
        if fresh.isEmpty {
            return AppendResult(appended: [], duplicates: duplicates, head: before.head, isDryRun: dryRun)
        }
        try AppendSteps.checkExpectations(expecting) { try view.streamVersion($0) }
        let recordedAt: Timestamp
        if var state = session {
            recordedAt = try state.recordedAt(
                { clock.now() }, after: before.head, allowsClockBehind: allowsClockBehind)
            session = state
        } else {
            recordedAt = try AppendSteps.recordedAt(
                clock.now(), after: before.head, allowsClockBehind: allowsClockBehind)
        }
        // The log as it was before the batch (without the keys the prepare step wrote: a validation
        // judges events).
        try hooks.validate(retries.offered, against: MemoryLogView(before))
        let appended = write(fresh, at: recordedAt, tagging: before.tagPosition == before.head.seq, in: view)
        if !dryRun {
            try hooks.storeCheckpoints(for: appended, in: view) { name, position, size, write in
                view.state.checkpoints[Name(name)] = try Checkpoint(name: name, position: position, size: size, write)
            }
        }
        return AppendResult(appended: appended, duplicates: duplicates, head: view.state.head, isDryRun: dryRun)
    }

    /// The write and index steps: records each of `fresh` after the head of `view` and indexes it (its tags
    /// too while the tag index is current).
    private func write(_ fresh: [NewEvent], at recordedAt: Timestamp, tagging: Bool, in view: MemoryLogView)
        -> [RecordedEvent]
    {
        var appended: [RecordedEvent] = []
        appended.reserveCapacity(fresh.count)
        var versions: [Name: UInt64] = [:]
        for event in fresh {
            let stream = Name(event.stream)
            let version = (versions[stream] ?? view.state.streams[stream].map { UInt64($0.count) } ?? 0) + 1
            versions[stream] = version
            let head = view.state.head
            let (recorded, _) = AppendSteps.record(
                event, seq: head.seq + 1, streamVersion: version, recordedAt: recordedAt, after: head.hash)
            view.state.insert(recorded)
            if tagging { view.state.tag(recorded.seq, with: event.tags) }
            appended.append(recorded)
        }
        if tagging { view.state.tagPosition = view.state.head.seq }
        return appended
    }

    @discardableResult
    public func restore(_ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey], dryRun: Bool) throws
        -> LogHead
    {
        try AppendSteps.checkRestored(events, tags: tags)
        return try writing { view in (try restoreSteps(events, tags: tags, keys: keys, in: view), !dryRun) }
    }

    /// The steps of a restore in `view`.
    private func restoreSteps(
        _ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey], in view: MemoryLogView
    ) throws -> LogHead {
        for (subject, key) in keys.sorted(by: { $0.key < $1.key }) { try view.store(key, for: subject) }
        var continuity = AppendSteps.RestoreContinuity(after: view.state.head)
        let tagging = tags != nil && view.state.tagPosition == continuity.head.seq
        for (index, event) in events.enumerated() {
            try continuity.admit(
                event, expectedVersion: { UInt64(view.state.streams[Name(event.stream)]?.count ?? 0) + 1 },
                storedSeq: { view.state.ids[event.id] })
            view.state.insert(event)
            if tagging, let tags { view.state.tag(event.seq, with: tags[index]) }
        }
        let head = view.state.head
        if tagging { view.state.tagPosition = head.seq }
        return head
    }

    @discardableResult
    public func catchUpTags(scheme: String, _ tagger: (RecordedEvent) throws -> [String]) throws -> Int {
        try writing { view in
            if view.state.tagScheme != scheme {
                view.state.tags = [:]
                view.state.tagPosition = 0
                view.state.tagScheme = scheme
            }
            var count = 0
            let head = view.state.head.seq
            var seq = view.state.tagPosition + 1
            while seq <= head, let event = view.state.event(at: seq) {
                let tags = try tagger(event)
                for tag in tags { try EnvelopeChecks.checkName(tag, field: "tags", index: count) }
                view.state.tag(seq, with: tags)
                count += 1
                seq += 1
            }
            view.state.tagPosition = head
            return (count, true)
        }
    }

    public func saveCheckpoint(_ checkpoint: Checkpoint) throws {
        try writing { view in
            view.state.checkpoints[Name(checkpoint.name)] = checkpoint
            return ((), true)
        }
    }

    /// Walks the log once and checks what the LMDB store's `verify` checks of its own: seq gapless from 1,
    /// every hash equal to SHA-256(previous hash ‖ body), `recordedAt` never decreasing, every index entry
    /// present and none extra, stream versions following each other, the head matching the last event, and
    /// the tag index naming nothing beyond its position.
    public func verify() throws -> VerificationReport {
        let state = snapshot()
        let fault = Self.firstFault(in: state)
        return VerificationReport(
            eventCount: fault?.seq.map { $0 - 1 } ?? UInt64(state.events.count), head: state.head, fault: fault)
    }

    private static func firstFault(in state: MemoryLogState) -> VerificationFault? {
        var previous = LogHead.empty
        var versions: [Name: UInt64] = [:]
        for (index, event) in state.events.enumerated() {
            let seq = UInt64(index + 1)
            if event.seq != seq { return .init(seq: seq, problem: "record says seq \(event.seq)") }
            let computed = event.chainHash(after: previous.hash)
            if computed != event.hash {
                return .init(seq: seq, problem: "hash mismatch: stored \(event.hash), computed \(computed)")
            }
            if let last = previous.recordedAt, event.recordedAt < last {
                return .init(seq: seq, problem: "recordedAt \(event.recordedAt) is before the previous event's \(last)")
            }
            let version = (versions[Name(event.stream)] ?? 0) + 1
            versions[Name(event.stream)] = version
            if event.streamVersion != version || state.streams[Name(event.stream)]?[Int(version - 1)] != seq {
                return .init(seq: seq, problem: "streams index does not map \(event.stream) to this event")
            }
            if state.ids[event.id] != seq { return .init(seq: seq, problem: "ids index does not map \(event.id)") }
            previous = LogHead(seq: seq, hash: event.hash, recordedAt: event.recordedAt)
        }
        if state.head != previous {
            return .init(
                seq: nil, problem: "stored head says seq \(state.head.seq) but the log ends at \(previous.seq)")
        }
        let count = state.events.count
        let sizes = [
            ("ids", state.ids.count), ("streams", state.streams.values.reduce(0) { $0 + $1.count }),
            ("types", state.types.values.reduce(0) { $0 + $1.count }), ("occurred", state.occurred.count),
        ]
        for (name, size) in sizes where size != count {
            return .init(seq: nil, problem: "\(name) index holds \(size) entries for \(count) events")
        }
        if state.tagPosition > UInt64(count) {
            return .init(seq: nil, problem: "tag index claims position \(state.tagPosition) beyond \(count) events")
        }
        for (tag, seqs) in state.tags.sorted(by: { $0.key < $1.key }) {
            if let seq = seqs.first(where: { $0 == 0 || $0 > state.tagPosition }) {
                return .init(
                    seq: seq,
                    problem: "tags index entry \(tag.text.debugDescription) names an event beyond its position")
            }
        }
        return nil
    }
}
