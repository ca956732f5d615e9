import EventLog

/// Append hooks made of closures, so that a test states what each step does where it appends.
///
/// `@unchecked Sendable`: the store calls `onPrepare` and `onCheckpoints` on the appending thread only;
/// `onValidate`, which may run on another thread, is `@Sendable`.
struct Hooks: AppendHooks, @unchecked Sendable {
    var onPrepare: ((any SubjectKeyWriter, [NewEvent]) throws -> [NewEvent])? = nil
    var onValidate: (@Sendable (any LogView, [NewEvent]) throws -> Void)? = nil
    var onCheckpoints: ((any LogView, [RecordedEvent]) throws -> [Checkpoint])? = nil

    func prepare(_ batch: [NewEvent], keys: any SubjectKeyWriter) throws -> [NewEvent] {
        try onPrepare?(keys, batch) ?? batch
    }

    func validate(_ offered: [NewEvent], against log: any LogView) throws {
        try onValidate?(log, offered)
    }

    func checkpoints(for appended: [RecordedEvent], in log: any LogView) throws -> [Checkpoint] {
        try onCheckpoints?(log, appended) ?? []
    }
}
