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

    /// Appends `batch` atomically: all of it is written, or nothing.
    ///
    /// - `prepare` runs first inside the write transaction and may rewrite the payloads (e.g. seal fields
    ///   with subject keys it creates or reads; see ``SubjectKeyWriter``); it must return the same events
    ///   (ids, in order). Its key changes commit or roll back with the batch.
    /// - Each event whose `id` is already stored with the same content (after `prepare`) is an idempotent
    ///   retry and is skipped;
    ///   the same id with other content throws ``EventLogError/duplicateIDWithDifferentContent(id:storedSeq:)``.
    /// - `expecting` gives, per stream, the version it must be at before the batch; a mismatch throws
    ///   ``EventLogError/wrongExpectedVersion(stream:expected:actual:)`` and writes nothing.
    /// - `validate` sees the log as it was before the batch, with the events about to be written as they
    ///   were offered (before `prepare`); throwing aborts the append. For a large batch it may run on another
    ///   thread, on a snapshot taken inside the write transaction (so nothing can be appended in between),
    ///   while `prepare` runs and the batch is written. The batch commits only once it has returned; its
    ///   error wins over any error of the writing, not over those of `prepare`, idempotency or `expecting`,
    ///   which come first. It judges the log's events: a snapshot does not show the subject keys `prepare`
    ///   writes. The events it is given are written in that order right after the head it sees (and then
    ///   `checkpoints` gets them as written).
    /// - `checkpoints` runs after the events are written, in the same transaction, and returns checkpoints to
    ///   store with them.
    /// - `recordedAt` comes from the store's clock and never goes below the previous event's: a clock up to
    ///   ``ClockTolerance/behindHead`` behind it is raised to it; one further behind throws
    ///   ``EventLogError/clockBehindHead(clock:head:)`` (after the idempotency check: a retry still succeeds)
    ///   unless the store allows it.
    /// - Durable when it returns.
    @discardableResult
    func append(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion],
        prepare: ((any SubjectKeyWriter, [NewEvent]) throws -> [NewEvent])?,
        validate: (@Sendable (any LogView, [NewEvent]) throws -> Void)?,
        checkpoints: ((any LogView, [RecordedEvent]) throws -> [Checkpoint])?
    ) throws -> AppendResult

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
        guard stateSize >= 0 else { throw EventLogError.storage("a checkpoint of \(stateSize) bytes") }
        var state = [UInt8](repeating: 0, count: stateSize)
        try state.withUnsafeMutableBytes { try write($0) }
        try saveCheckpoint(Checkpoint(name: name, position: position, state: state))
    }

    /// Appends with no expectation, validation or checkpoint (see the full form).
    @discardableResult
    public func append(_ batch: [NewEvent], expecting: [String: ExpectedVersion] = [:]) throws -> AppendResult {
        try append(batch, expecting: expecting, prepare: nil, validate: nil, checkpoints: nil)
    }

    /// Appends with no `prepare` step (see the full form).
    @discardableResult
    public func append(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion],
        validate: (@Sendable (any LogView, [NewEvent]) throws -> Void)?,
        checkpoints: ((any LogView, [RecordedEvent]) throws -> [Checkpoint])?
    ) throws -> AppendResult {
        try append(batch, expecting: expecting, prepare: nil, validate: validate, checkpoints: checkpoints)
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
