public import Foundation

/// An event offered to ``EventStore/append(_:expecting:hooks:dryRun:)``: the envelope fields a
/// caller chooses. The store adds `seq`, `streamVersion`, `recordedAt` and `hash`.
public struct NewEvent: Hashable, Sendable {
    /// Unique id; appending an id that is already stored with the same content is an idempotent no-op.
    public var id: UUID
    /// The stream (aggregate) the event belongs to: non-empty UTF-8, no NUL, at most 255 bytes.
    public var stream: String
    /// The event type name: non-empty UTF-8, no NUL, at most 255 bytes.
    public var type: String
    /// Version of the type's payload schema.
    public var schemaVersion: Int
    /// When it happened (valid time).
    public var occurredAt: ValidTime
    /// Who entered it.
    public var recordedBy: String
    /// The payload, opaque to the log.
    public var payload: [UInt8]
    /// Names under which the store indexes the event (see ``LogView/taggedSeqs(_:through:)``): a derived
    /// index the caller computes from the payload, not part of the event's content or hash. Each is
    /// non-empty UTF-8 with no NUL, at most 255 bytes; repeats are ignored.
    public var tags: [String]

    /// Creates an event to append.
    public init(
        id: UUID = UUID(), stream: String, type: String, schemaVersion: Int = 1, occurredAt: ValidTime,
        recordedBy: String, payload: [UInt8], tags: [String] = []
    ) {
        self.id = id
        self.stream = stream
        self.type = type
        self.schemaVersion = schemaVersion
        self.occurredAt = occurredAt
        self.recordedBy = recordedBy
        self.payload = payload
        self.tags = tags
    }

    /// Whether `stored` is this same event (an idempotent retry): same id, stream, type, schema version,
    /// valid time and payload. `recordedBy`, the tags and the transaction-time fields may differ.
    public func isSameContent(as stored: RecordedEvent) -> Bool {
        id == stored.id && stream == stored.stream && type == stored.type && schemaVersion == stored.schemaVersion
            && occurredAt == stored.occurredAt && payload == stored.payload
    }
}
