/// What a caller adds to an append, inside its write transaction: rewrite the batch with the subject keys
/// it needs, judge the batch against the log as it was, and store checkpoints with the events. Each step
/// has a default that does nothing, so a caller implements only what it needs (as GRDB's
/// `TransactionObserver`). Given to ``EventStore/append(_:expecting:hooks:dryRun:)``.
///
/// The steps run in this order: ``prepare(_:keys:)``, then ``validate(_:against:)`` (which for a large
/// batch may run on another thread while the batch is written: hence `Sendable`), then, once the events
/// are written and unless the append is a dry run, ``checkpoints(for:in:)``. Anything a step throws aborts
/// the append: nothing is written.
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
}

extension AppendHooks {
    /// Returns `batch` as it is.
    public func prepare(_ batch: [NewEvent], keys: any SubjectKeyWriter) throws -> [NewEvent] { batch }

    /// Accepts every batch.
    public func validate(_ offered: [NewEvent], against log: any LogView) throws {}

    /// Stores no checkpoint.
    public func checkpoints(for appended: [RecordedEvent], in log: any LogView) throws -> [Checkpoint] { [] }
}

/// The hooks of a plain append: nothing prepared, nothing refused, no checkpoint.
public struct NoAppendHooks: AppendHooks {
    /// Creates the hooks.
    public init() {}
}
