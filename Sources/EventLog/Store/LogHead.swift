/// The end of the log: the last event's position, hash and transaction time.
public struct LogHead: Hashable, Sendable {
    /// The last `seq` (0 when the log is empty).
    public let seq: UInt64
    /// The last event's hash (``EventHash/genesis`` when empty).
    public let hash: EventHash
    /// The last event's `recordedAt` (`nil` when empty).
    public let recordedAt: Timestamp?

    /// The head of an empty log.
    public static let empty = LogHead(seq: 0, hash: .genesis, recordedAt: nil)

    /// Creates a head.
    public init(seq: UInt64, hash: EventHash, recordedAt: Timestamp?) {
        self.seq = seq
        self.hash = hash
        self.recordedAt = recordedAt
    }

    /// The head whose last event is `event`.
    package init(of event: RecordedEvent) {
        self.init(seq: event.seq, hash: event.hash, recordedAt: event.recordedAt)
    }
}

/// A projection's saved position and state, kept by the store beside the log.
public struct Checkpoint: Hashable, Sendable {
    /// The projection's name.
    public let name: String
    /// The last `seq` the state includes.
    public let position: UInt64
    /// The projection's state, opaque to the log.
    public let state: [UInt8]

    /// Creates a checkpoint.
    public init(name: String, position: UInt64, state: [UInt8]) {
        self.name = name
        self.position = position
        self.state = state
    }

    /// A checkpoint whose state, `size` bytes, `write` fills: gathered in memory, for a backend that cannot
    /// write a value in place.
    package init(
        name: String, position: UInt64, size: Int, _ write: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        guard size >= 0 else { throw EventLogError.storage("a checkpoint of \(size) bytes") }
        var state = [UInt8](repeating: 0, count: size)
        try state.withUnsafeMutableBytes { try write($0) }
        self.init(name: name, position: position, state: state)
    }
}

/// What an append did.
public struct AppendResult: Hashable, Sendable {
    /// The events written, in order (empty when every event was an idempotent retry).
    public let appended: [RecordedEvent]
    /// The already-stored events that matched offered ones (idempotent retries), in batch order.
    public let duplicates: [RecordedEvent]
    /// The head after the append.
    public let head: LogHead
    /// Whether this was a dry run: then ``appended`` and ``head`` say what would have been written, and
    /// nothing was.
    public let isDryRun: Bool

    /// Creates a result.
    public init(appended: [RecordedEvent], duplicates: [RecordedEvent], head: LogHead, isDryRun: Bool = false) {
        self.appended = appended
        self.duplicates = duplicates
        self.head = head
        self.isDryRun = isDryRun
    }
}

/// Direction of a read.
public enum ReadDirection: Sendable {
    /// Oldest first.
    case forward
    /// Newest first.
    case backward
}
