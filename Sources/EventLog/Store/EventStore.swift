/// An append-only, hash-chained event log. ``LMDBEventStore`` is the embedded implementation,
/// ``InMemoryEventStore`` one for tests and embedding; the API names no storage engine, so that another
/// backend (PostgreSQL, in its own module) stands behind it. Every requirement can be honoured by any
/// backend: what only some can do better (writing a checkpoint in place, releasing memory read) has a
/// default in terms of the others, and a backend does better where it can.
///
/// @Snippet(path: "Chronicle/Snippets/EventStoreTour")
///
/// That example is `Snippets/EventStoreTour.swift`, which `swift build` compiles and the end-to-end tests run;
/// <doc:StoreConcepts> explains what it relies on.
public protocol EventStore: AnyObject, Sendable {
    /// Runs `body` on one consistent snapshot of the log.
    func read<R>(_ body: (any LogView) throws -> R) throws -> R

    /// Appends `batch` atomically: all of it is written, or nothing. Its steps, in order (each error comes
    /// from the first step that fails; see `AppendSteps` and each store's `append`):
    ///
    /// - every envelope is checked, and an id twice in the batch refused;
    /// - each event whose `id` is already stored with the same content (after ``AppendHooks/prepare(_:keys:)``)
    ///   is an idempotent retry and is skipped; the same id with other content throws
    ///   ``EventLogError/duplicateIDWithDifferentContent(id:storedSeq:)``;
    /// - `hooks` prepare the batch (see ``AppendHooks``);
    /// - `expecting` gives, per stream, the version it must be at before the batch; a mismatch throws
    ///   ``EventLogError/wrongExpectedVersion(stream:expected:actual:)``;
    /// - `recordedAt` comes from the store's clock and never goes below the previous event's: a clock up to
    ///   ``ClockTolerance/behindHead`` behind it is raised to it; one further behind throws
    ///   ``EventLogError/clockBehindHead(clock:head:)`` (after the idempotency check: a retry still succeeds)
    ///   unless the store allows it;
    /// - `hooks` validate the batch against the log before it (a large batch possibly on another thread
    ///   while it is written); the events are written and indexed; `hooks` give checkpoints to store with them.
    ///
    /// With `dryRun`, every step runs inside the transaction (the events are even written, so that the
    /// write itself is tried) except the checkpoints, and then the transaction is rolled back: nothing is
    /// written, subject keys the prepare step made included, and the result says what would have been
    /// appended (``AppendResult/isDryRun``). Otherwise durable when it returns.
    @discardableResult
    func append(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion], hooks: any AppendHooks, dryRun: Bool
    ) throws -> AppendResult

    /// Runs `body` with an ``AppendSession``: one write transaction in which `body` appends or restores
    /// several batches, committed (durably) when `body` returns and rolled back when it throws or, with
    /// `dryRun`, once it has returned. Writers of other processes wait meanwhile, as for one append.
    ///
    /// A backend may bound what one transaction can hold; past that bound the session throws
    /// ``EventLogError/transactionTooLarge(limit:)`` (the LMDB store: ``LMDBEventStore/Options/largestTransaction``).
    /// `room` says what the caller expects the session to add, and whether `body` may be run again from its
    /// start in a new transaction (a backend that sets room aside before the session, as LMDB's map, then
    /// sets aside what is expected and, should the session outgrow it, more, and runs `body` again).
    @discardableResult
    func withAppendSession<R: Sendable>(
        dryRun: Bool, room: AppendSessionRoom, _ body: (any AppendSession) throws -> R
    ) throws -> R

    /// Appends stored events from an export: each must continue the log exactly (next `seq`, next stream
    /// version, `recordedAt` not decreasing) and its hash must verify against the chain. All or nothing.
    /// With `dryRun`, everything is checked inside the transaction and then nothing is written.
    /// `tags`, when given, holds each event's tags (as ``NewEvent/tags``), indexed in the same transaction
    /// if the tag index was current; without them the index is left behind for ``catchUpTags(scheme:_:)``.
    /// `keys` are the subject keys that travel with the export; they are stored in the same transaction
    /// (a subject that already has another key is a mismatch).
    @discardableResult
    func restore(_ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey], dryRun: Bool) throws
        -> LogHead

    /// Brings the tag index up to the head: calls `tagger` for each event after
    /// ``LogView/tagIndexPosition()`` and indexes what it returns, in one write transaction. Appends keep
    /// an up-to-date index current themselves; this fills in what a restore or an earlier build left out.
    ///
    /// - Returns: how many events were tagged (0 when the index was current).
    ///
    /// `scheme` names the tagger's version: when it differs from the one the index was written with, the
    /// index is emptied first and every event tagged again (a new build that tags differently must not
    /// trust entries an older one wrote).
    @discardableResult
    func catchUpTags(scheme: String, _ tagger: (RecordedEvent) throws -> [String]) throws -> Int

    /// A hint that the events read so far need not stay in this process's memory (a long scan calls it
    /// now and then, so that its footprint is what it keeps, not what it read): the LMDB store releases the
    /// pages it mapped; by default it does nothing. Never fails.
    func releaseReadMemory()

    /// Stores a projection checkpoint on its own.
    func saveCheckpoint(_ checkpoint: Checkpoint) throws

    /// Stores on its own a projection checkpoint whose state, `stateSize` bytes, `write` fills, so that a
    /// store that can write a value in place (LMDB) need not first gather a state of megabytes made
    /// elsewhere (a file, say) in memory; by default the bytes are gathered and stored with
    /// ``saveCheckpoint(_:)``. `write` gets exactly `stateSize` bytes and must fill them all; it may be
    /// called again should the store retry. When it throws, nothing is stored and its error is rethrown.
    func saveCheckpoint(
        name: String, position: UInt64, stateSize: Int, write: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws

    /// Walks the whole log and every index once and reports the first inconsistency.
    func verify() throws -> VerificationReport

    /// Writes a consistent copy of the store, as a new LMDB store, into `directory` (which must not exist or
    /// be empty; it is created with mode 0700). The LMDB store copies its file as is (compacted); by default
    /// the events are copied from one snapshot with their subject keys (``copy(to:chunkSize:progress:)``)
    /// and the copy is verified; a copy that fails is removed, with the directory when this call made it.
    func backup(to directory: String) throws
}

extension EventStore {
    /// Does nothing: a backend with nothing mapped keeps no memory a hint could release.
    public func releaseReadMemory() {}

    /// Gathers the state in memory and stores it with ``saveCheckpoint(_:)``: for a backend that cannot
    /// write a value in place.
    public func saveCheckpoint(
        name: String, position: UInt64, stateSize: Int, write: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        try saveCheckpoint(Checkpoint(name: name, position: position, size: stateSize, write))
    }

    /// Appends for real with no hooks (see the full form).
    @discardableResult
    public func append(_ batch: [NewEvent], expecting: [String: ExpectedVersion] = [:]) throws -> AppendResult {
        try append(batch, expecting: expecting, hooks: NoAppendHooks(), dryRun: false)
    }

    /// Appends for real with `hooks` (see the full form).
    @discardableResult
    public func append(_ batch: [NewEvent], expecting: [String: ExpectedVersion] = [:], hooks: any AppendHooks)
        throws -> AppendResult
    {
        try append(batch, expecting: expecting, hooks: hooks, dryRun: false)
    }

    /// Restores `events` for real (see the full form).
    @discardableResult
    public func restore(_ events: [RecordedEvent]) throws -> LogHead {
        try restore(events, tags: nil, keys: [:], dryRun: false)
    }

    /// Restores `events` without tags or subject keys (see the full form).
    @discardableResult
    public func restore(_ events: [RecordedEvent], dryRun: Bool) throws -> LogHead {
        try restore(events, tags: nil, keys: [:], dryRun: dryRun)
    }

    /// Restores `events` with their tags and no subject keys (see the full form).
    @discardableResult
    public func restore(_ events: [RecordedEvent], tags: [[String]]?, dryRun: Bool) throws -> LogHead {
        try restore(events, tags: tags, keys: [:], dryRun: dryRun)
    }

    /// The current head.
    public func head() throws -> LogHead { try read { try $0.head() } }

    /// Events by `seq`, lazily, from `seq` (inclusive; by default from the first event forward, from the
    /// head backward).
    public func events(from seq: UInt64? = nil, direction: ReadDirection = .forward) -> EventSequence {
        EventSequence(
            store: self, query: .global(from: seq ?? (direction == .forward ? 1 : .max)), direction: direction)
    }

    /// Events newest first, from the head.
    public func eventsBackward() -> EventSequence {
        EventSequence(store: self, query: .global(from: .max), direction: .backward)
    }

    /// A stream's events, lazily, from `version` (inclusive; by default from version 1 forward, from the
    /// stream's last version backward).
    public func events(inStream stream: String, from version: UInt64? = nil, direction: ReadDirection = .forward)
        -> EventSequence
    {
        let start = version ?? (direction == .forward ? 1 : .max)
        return EventSequence(store: self, query: .stream(stream, from: start), direction: direction)
    }

    /// Events of one type, lazily.
    public func events(ofType type: String, direction: ReadDirection = .forward) -> EventSequence {
        EventSequence(store: self, query: .type(type, from: direction == .forward ? 1 : .max), direction: direction)
    }

    /// Events whose valid time lies in `[from, through]` (by ``ValidTime/sortKey``), lazily.
    public func events(
        occurredFrom lower: Int64 = .min, through upper: Int64 = .max, direction: ReadDirection = .forward
    )
        -> EventSequence
    {
        EventSequence(
            store: self, query: .occurred(from: .start(of: lower), through: .end(of: upper)), direction: direction)
    }
}

extension EventStore {
    /// ``withAppendSession(dryRun:room:_:)`` with nothing known of the session's size and `body` run once.
    @discardableResult
    public func withAppendSession<R: Sendable>(dryRun: Bool, _ body: (any AppendSession) throws -> R) throws -> R {
        try withAppendSession(dryRun: dryRun, room: .unknown, body)
    }
}
