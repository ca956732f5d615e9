/// What a caller adds to an append, inside its write transaction: rewrite the batch with the subject keys
/// it needs, judge the batch against the log as it was, and store checkpoints with the events. Each step
/// has a default that does nothing, so a caller implements only what it needs (as GRDB's
/// `TransactionObserver`). Given to ``EventStore/append(_:expecting:hooks:dryRun:)``.
///
/// The steps run in this order: ``prepare(_:keys:)``, then ``validate(_:against:)`` (which for a large
/// batch may run on another thread while the batch is written: hence `Sendable`), then, once the events
/// are written and unless the append is a dry run, ``storeCheckpoints(for:in:put:)`` (by default
/// ``checkpoints(for:in:)``). Anything a step throws aborts the append: nothing is written.
///
/// ```swift
/// struct RefuseEmptyPayloads: AppendHooks {
///     func validate(_ offered: [NewEvent], against log: any LogView) throws {
///         if let index = offered.firstIndex(where: \.payload.isEmpty) {
///             throw EventLogError.invalidEnvelope(index: index, field: "payload", reason: "empty")
///         }
///     }
/// }
/// try store.append(batch, expecting: [:], hooks: RefuseEmptyPayloads(), dryRun: false)
/// ```
public protocol AppendHooks: Sendable {
    /// Runs first inside the write transaction, after the idempotency look-up, and may rewrite the
    /// payloads (e.g. seal fields with subject keys it creates or reads through `keys`). It must return the
    /// same events, ids and streams in the same order: the store refuses anything else. Its key changes
    /// commit or roll back with the batch. It sees every event offered, retries included: an event already
    /// stored is a retry only if it is the same after this step.
    ///
    /// By default the batch is returned as it is.
    func prepare(_ batch: [NewEvent], keys: any SubjectKeyWriter) throws -> [NewEvent]

    /// Judges the events about to be written, `offered` as they were given (before ``prepare(_:keys:)``, and
    /// without the idempotent retries), against `log` as it was before the batch; throwing aborts the
    /// append. The events are written in that order right after the head `log` shows.
    ///
    /// For a large batch it may run on another thread, on a snapshot taken inside the write transaction (so
    /// nothing can be appended in between), while the batch is written; the batch commits only once it has
    /// returned. Its error wins over any error of the writing, not over those of ``prepare(_:keys:)``,
    /// idempotency or the expected versions, which come first. A snapshot does not show the subject keys
    /// ``prepare(_:keys:)`` writes: it judges the log's events.
    ///
    /// By default every batch is accepted.
    func validate(_ offered: [NewEvent], against log: any LogView) throws

    /// Runs after the events are written, in the same transaction (`log` shows them), and returns
    /// checkpoints to store with them. Not called in a dry run, nor when every event was a retry.
    ///
    /// By default there are none.
    func checkpoints(for appended: [RecordedEvent], in log: any LogView) throws -> [Checkpoint]

    /// Runs in place of ``checkpoints(for:in:)`` (which its default calls), and stores each checkpoint
    /// through `put`, whose `write` fills the state in place, so that a state of megabytes written
    /// elsewhere first (a file, say) need not be gathered in memory to be returned. The store calls this
    /// one; a hook that has its checkpoints in memory implements ``checkpoints(for:in:)`` alone.
    func storeCheckpoints(for appended: [RecordedEvent], in log: any LogView, put: CheckpointPut) throws
}

/// Stores a checkpoint named `name` at `position` whose state, `stateSize` bytes, `write` fills (see
/// ``EventStore/saveCheckpoint(name:position:stateSize:write:)``), in the append's transaction.
public typealias CheckpointPut = (
    _ name: String, _ position: UInt64, _ stateSize: Int, _ write: (UnsafeMutableRawBufferPointer) throws -> Void
) throws -> Void

extension AppendHooks {
    /// Returns `batch` as it is.
    public func prepare(_ batch: [NewEvent], keys: any SubjectKeyWriter) throws -> [NewEvent] { batch }

    /// Accepts every batch.
    public func validate(_ offered: [NewEvent], against log: any LogView) throws {}

    /// Stores no checkpoint.
    public func checkpoints(for appended: [RecordedEvent], in log: any LogView) throws -> [Checkpoint] { [] }

    /// Stores the checkpoints ``checkpoints(for:in:)`` gives, each copied from its state.
    public func storeCheckpoints(for appended: [RecordedEvent], in log: any LogView, put: CheckpointPut) throws {
        for checkpoint in try checkpoints(for: appended, in: log) {
            try put(checkpoint.name, checkpoint.position, checkpoint.state.count) {
                $0.copyBytes(from: checkpoint.state)
            }
        }
    }
}

/// The hooks of a plain append: nothing prepared, nothing refused, no checkpoint.
public struct NoAppendHooks: AppendHooks {
    /// Creates the hooks.
    public init() {}
}
