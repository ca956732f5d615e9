public import Foundation

/// An event as stored: the full envelope, its place in the log and its link in the hash chain.
public struct RecordedEvent: Hashable, Sendable {
    /// Global position: 1, 2, 3 … with no gaps.
    public let seq: UInt64
    /// Unique id.
    public let id: UUID
    /// The stream it belongs to.
    public let stream: String
    /// Its version in the stream: 1, 2, 3 … with no gaps per stream.
    public let streamVersion: UInt64
    /// The type name.
    public let type: String
    /// The payload's schema version.
    public let schemaVersion: Int
    /// When it happened (valid time).
    public let occurredAt: ValidTime
    /// When it was written down (transaction time); never decreases along `seq`.
    public let recordedAt: Timestamp
    /// Who entered it.
    public let recordedBy: String
    /// The payload bytes.
    public let payload: [UInt8]
    /// SHA-256 of the previous event's hash followed by this event's canonical encoding.
    public let hash: EventHash

    /// Creates a stored event (used when restoring an export and by stores reading their records).
    public init(
        seq: UInt64, id: UUID, stream: String, streamVersion: UInt64, type: String, schemaVersion: Int,
        occurredAt: ValidTime, recordedAt: Timestamp, recordedBy: String, payload: [UInt8], hash: EventHash
    ) {
        self.seq = seq
        self.id = id
        self.stream = stream
        self.streamVersion = streamVersion
        self.type = type
        self.schemaVersion = schemaVersion
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
        self.payload = payload
        self.hash = hash
    }

    /// The hash this event's envelope and payload give after `previous` in the chain: equal to ``hash``
    /// when the event is intact (a restore checks every event so; a caller can too, before it).
    public func chainHash(after previous: EventHash) -> EventHash {
        EventEncoding.chain(previous: previous, body: EventEncoding.body(of: self))
    }
}

/// A 32-byte SHA-256 link of the hash chain, shown as 64 lower-case hex digits.
public struct EventHash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// The hash before the first event: 32 zero bytes.
    public static let genesis = EventHash(unchecked: [UInt8](repeating: 0, count: 32))

    init(unchecked bytes: [UInt8]) { self.bytes = bytes }

    /// Wraps 32 bytes; `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Parses 64 hex digits (either case); `nil` otherwise.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }

    /// 64 lower-case hex digits.
    public var description: String {
        let alphabet = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(alphabet[Int(byte >> 4)])
            text.append(alphabet[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

private func hexValue(_ digit: UInt8) -> UInt8? {
    switch digit {
    case 48...57: digit - 48
    case 97...102: digit - 87
    case 65...70: digit - 55
    default: nil
    }
}
