/// One write transaction in which a caller appends (or restores) several batches one after another: an input
/// too long to hold in memory is written a stretch at a time and is still all or nothing. Given by
/// ``EventStore/withAppendSession(dryRun:_:)`` and valid only inside its closure.
///
/// Each call runs the steps of ``EventStore/append(_:expecting:hooks:dryRun:)`` (or
/// ``EventStore/restore(_:tags:keys:dryRun:)``) on the log as this transaction sees it, earlier batches of
/// the session included, with these differences, which make the session one batch in all but memory:
///
/// - an id that an earlier batch of the session wrote is refused with
///   ``EventLogError/duplicateIDInBatch(id:)`` (an id twice in the input), not skipped as an idempotent retry;
///   an id stored before the session began is a retry as usual;
/// - every event of the session is recorded at one `recordedAt`, the transaction's, read from the clock by
///   the first batch that writes;
/// - the hooks validate each batch on the calling thread, against the transaction's own view (a snapshot of
///   another thread could not see the session's earlier batches);
/// - checkpoints the hooks return are stored only when the session is not a dry run.
///
/// A call that throws ends the session: every later call throws too, and the closure must let the error
/// out so that the whole transaction is rolled back.
public protocol AppendSession: AnyObject {
    /// The head of the log when the session began.
    var headBefore: LogHead { get }

    /// Appends `batch` after what the session wrote so far (see the type's description).
    @discardableResult
    func append(_ batch: [NewEvent], expecting: [String: ExpectedVersion], hooks: any AppendHooks) throws
        -> AppendResult

    /// Restores `events` (an export's, continuing the log exactly) after what the session wrote so far, with
    /// their tags and the subject keys they need, as ``EventStore/restore(_:tags:keys:dryRun:)`` does.
    @discardableResult
    func restore(_ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey]) throws -> LogHead

    /// Runs `body` on the log as this transaction sees it (the session's batches included).
    func read<R>(_ body: (any LogView) throws -> R) throws -> R

    /// Stores `checkpoint` in the session's transaction (not in a dry run, where it does nothing).
    func saveCheckpoint(_ checkpoint: Checkpoint) throws

    /// Stores a checkpoint named `name` at `position` whose state, `stateSize` bytes, `write` fills in place
    /// (a state written to a file first need not be gathered in memory), as ``saveCheckpoint(_:)`` does.
    func saveCheckpoint(
        name: String, position: UInt64, stateSize: Int, write: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws
}

/// What the caller of ``EventStore/withAppendSession(dryRun:room:_:)`` tells the store of the session's size.
public struct AppendSessionRoom: Sendable, Equatable {
    /// The bytes the caller expects the session to add to the store, or `nil` when it cannot tell.
    public var expectedBytes: Int?
    /// Whether the session's body may be run again from its start, in a new transaction, when the room set
    /// aside for it proves too small (its input can be read again).
    public var rerunnable: Bool

    /// Room for a session expected to add `expectedBytes` (`nil`: unknown), whose body may be run again
    /// when `rerunnable`.
    public init(expectedBytes: Int?, rerunnable: Bool) {
        self.expectedBytes = expectedBytes
        self.rerunnable = rerunnable
    }

    /// Nothing known, and the body run once: the store sets aside all it allows one transaction.
    public static let unknown = AppendSessionRoom(expectedBytes: nil, rerunnable: false)
}

extension AppendSteps {
    /// What every backend's ``AppendSession`` keeps from batch to batch: where the session began, the
    /// transaction's `recordedAt` once read, and whether a call failed.
    package struct SessionState {
        /// The head when the session began.
        package let start: LogHead
        /// Whether the session rolls back at its end.
        package let dryRun: Bool
        /// The `recordedAt` of every event the session writes, read by its first batch that writes.
        package private(set) var recordedAt: Timestamp?
        /// Set once a call failed: the transaction may hold part of that call's work.
        package private(set) var failed = false

        /// A session starting at `start`.
        package init(start: LogHead, dryRun: Bool) {
            self.start = start
            self.dryRun = dryRun
        }

        /// Runs one call of the session: refused once an earlier one failed, and marking the session failed
        /// when this one throws.
        package mutating func call<R>(_ body: (inout Self) throws -> R) throws -> R {
            guard !failed else {
                throw EventLogError.storage("an earlier append of this session failed: it must be rolled back")
            }
            do {
                return try body(&self)
            } catch {
                failed = true
                throw error
            }
        }

        /// Refuses a retry whose stored copy this session wrote: its id came earlier in the same input.
        package func checkRetries(_ retries: Retries) throws {
            if let repeated = retries.stored.first(where: { $0.event.seq > start.seq }) {
                throw EventLogError.duplicateIDInBatch(id: repeated.event.id)
            }
        }

        /// The session's `recordedAt`: the first batch's (``AppendSteps/recordedAt(_:after:allowsClockBehind:)``
        /// after `head`, the log as the session has it), then the same for every batch, unless events the
        /// session restored meanwhile were recorded later.
        package mutating func recordedAt(_ now: () -> Timestamp, after head: LogHead, allowsClockBehind: Bool) throws
            -> Timestamp
        {
            if let recordedAt, head.recordedAt.map({ $0 <= recordedAt }) ?? true { return recordedAt }
            let first = try AppendSteps.recordedAt(now(), after: head, allowsClockBehind: allowsClockBehind)
            recordedAt = first
            return first
        }
    }
}

/// A backend's ``AppendSession``: its own append and restore steps, run one batch after another in the
/// session's transaction, with what the session keeps between them (``AppendSteps/SessionState``). Every
/// backend's session is this one, given its steps: they differ only in those.
package final class SteppedAppendSession: AppendSession {
    /// A backend's append steps for one batch of the session (the envelopes already checked).
    package typealias AppendBatch = (
        _ batch: [NewEvent], _ expecting: [String: ExpectedVersion], _ hooks: any AppendHooks,
        _ session: inout AppendSteps.SessionState?
    ) throws -> AppendResult
    /// A backend's restore steps for one batch of the session (the envelopes already checked).
    package typealias RestoreBatch = (_ events: [RecordedEvent], _ tags: [[String]]?, _ keys: [String: SubjectKey])
        throws -> LogHead

    private var state: AppendSteps.SessionState
    private let view: any LogView
    private let appendBatch: AppendBatch
    private let restoreBatch: RestoreBatch
    private let put: CheckpointPut

    /// A session starting at `start`, reading `view` (the transaction's), appending, restoring and storing
    /// checkpoints with the backend's steps.
    package init(
        start: LogHead, dryRun: Bool, view: any LogView, append: @escaping AppendBatch,
        restore: @escaping RestoreBatch, put: @escaping CheckpointPut
    ) {
        state = AppendSteps.SessionState(start: start, dryRun: dryRun)
        self.view = view
        appendBatch = append
        restoreBatch = restore
        self.put = put
    }

    package var headBefore: LogHead { state.start }

    package func append(_ batch: [NewEvent], expecting: [String: ExpectedVersion], hooks: any AppendHooks) throws
        -> AppendResult
    {
        let appendBatch = appendBatch
        return try state.call { state in
            try AppendSteps.checkEnvelopes(batch)
            var session: AppendSteps.SessionState? = state
            defer { if let session { state = session } }
            return try appendBatch(batch, expecting, hooks, &session)
        }
    }

    package func restore(_ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey]) throws -> LogHead {
        let restoreBatch = restoreBatch
        return try state.call { _ in
            try AppendSteps.checkRestored(events, tags: tags)
            return try restoreBatch(events, tags, keys)
        }
    }

    package func read<R>(_ body: (any LogView) throws -> R) throws -> R { try body(view) }

    package func saveCheckpoint(_ checkpoint: Checkpoint) throws {
        try saveCheckpoint(name: checkpoint.name, position: checkpoint.position, stateSize: checkpoint.state.count) {
            $0.copyBytes(from: checkpoint.state)
        }
    }

    package func saveCheckpoint(
        name: String, position: UInt64, stateSize: Int, write: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        let put = put
        try state.call { state in
            if !state.dryRun { try put(name, position, stateSize, write) }
        }
    }
}
