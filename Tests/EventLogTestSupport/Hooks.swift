public import EventLog

/// Append hooks made of closures, so that a test states what each step does where it appends (shared by the
/// EventLog, contract and PostgreSQL test targets).
///
/// `@unchecked Sendable`: the store calls `onPrepare` and `onCheckpoints` on the appending thread only;
/// `onValidate`, which may run on another thread, is `@Sendable`.
public struct Hooks: AppendHooks, @unchecked Sendable {
    public var onPrepare: ((any SubjectKeyWriter, [NewEvent]) throws -> [NewEvent])? = nil
    public var onValidate: (@Sendable (any LogView, [NewEvent]) throws -> Void)? = nil
    public var onCheckpoints: ((any LogView, [RecordedEvent]) throws -> [Checkpoint])? = nil

    /// Hooks that run the closures given (each step left out does nothing).
    public init(
        onPrepare: ((any SubjectKeyWriter, [NewEvent]) throws -> [NewEvent])? = nil,
        onValidate: (@Sendable (any LogView, [NewEvent]) throws -> Void)? = nil,
        onCheckpoints: ((any LogView, [RecordedEvent]) throws -> [Checkpoint])? = nil
    ) {
        self.onPrepare = onPrepare
        self.onValidate = onValidate
        self.onCheckpoints = onCheckpoints
    }

    public func prepare(_ batch: [NewEvent], keys: any SubjectKeyWriter) throws -> [NewEvent] {
        try onPrepare?(keys, batch) ?? batch
    }

    public func validate(_ offered: [NewEvent], against log: any LogView) throws {
        try onValidate?(log, offered)
    }

    public func checkpoints(for appended: [RecordedEvent], in log: any LogView) throws -> [Checkpoint] {
        try onCheckpoints?(log, appended) ?? []
    }
}
