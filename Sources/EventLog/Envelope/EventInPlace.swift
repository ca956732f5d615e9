public import Foundation

/// One stored event as a fold of the whole log reads it (``LogView/scanInPlace(from:_:)``), or a reader that
/// judges most events on their envelope (``LogView/eventsInPlace(at:_:)``): the fields a projection needs,
/// with the payload left where the store keeps it.
///
/// Why: a rebuild reads every event once and needs neither its stream nor its author, nor the payload
/// beyond decoding it. Making those two names as `String`s (a `workshop-…` stream is a new one for nearly
/// every event) and copying the payload out into an array, then freeing all three, was about a fifth of
/// decoding an event. The names are still checked as `EventEncoding.decode(record:expectedSeq:names:)`
/// checks them, so a damaged envelope is refused with the same error.
///
/// `payload` is valid only inside the call that hands the value over: do not keep it (or the value).
public struct EventInPlace {
    /// Its position in the log.
    public let seq: UInt64
    /// Its id.
    public let id: UUID
    /// Its type's name.
    public let type: String
    /// The schema version of its payload.
    public let schemaVersion: Int
    /// When it happened.
    public let occurredAt: ValidTime
    /// When it was recorded.
    public let recordedAt: Timestamp
    /// The stored payload, in place: valid only during the call.
    public let payload: UnsafeRawBufferPointer
    /// Its hash.
    public let hash: EventHash

    /// The fields of `event`, its payload being `payload` (its bytes, lent for the call).
    public init(_ event: RecordedEvent, payload: UnsafeRawBufferPointer) {
        self.seq = event.seq
        self.id = event.id
        self.type = event.type
        self.schemaVersion = event.schemaVersion
        self.occurredAt = event.occurredAt
        self.recordedAt = event.recordedAt
        self.payload = payload
        self.hash = event.hash
    }

    init(
        seq: UInt64, id: UUID, type: String, schemaVersion: Int, occurredAt: ValidTime, recordedAt: Timestamp,
        payload: UnsafeRawBufferPointer, hash: EventHash
    ) {
        self.seq = seq
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.payload = payload
        self.hash = hash
    }
}

extension EventEncoding {
    /// A stored record (`body ‖ hash`) read in place (``EventInPlace``): every check of
    /// ``decode(record:expectedSeq:names:)``, with the same errors, but the stream and author names only
    /// checked (valid UTF-8, as making them would require) and the payload not copied.
    static func decodeInPlace(
        record: UnsafeRawBufferPointer, expectedSeq: UInt64, names: inout EnvelopeNames
    ) throws(EventLogError) -> EventInPlace {
        guard record.count > hashLength else {
            throw .corruptRecord(seq: expectedSeq, reason: "record of \(record.count) bytes is too short")
        }
        let body = UnsafeRawBufferPointer(rebasing: record[0..<(record.count - hashLength)])
        var reader = ByteReader(body)
        guard let version = reader.u8(), version == Self.version,
            let seq = reader.u64(), let id = reader.uuid(), reader.u64() != nil,
            let recordedAt = reader.u64(), let kind = reader.u8(), let occurred = reader.u64(),
            let schemaVersion = reader.u16(), let type = reader.string16(&names),
            reader.skipString16(), reader.skipString16(), let payloadLength = reader.u32(),
            let payload = reader.slice(Int(payloadLength)), reader.isAtEnd, kind <= 1
        else {
            throw .corruptRecord(seq: expectedSeq, reason: "body does not decode as envelope encoding v1")
        }
        let occurredAt = try storedTimes(kind: kind, occurred: occurred, recordedAt: recordedAt, seq: expectedSeq)
        return EventInPlace(
            seq: seq, id: id, type: type, schemaVersion: Int(schemaVersion), occurredAt: occurredAt,
            recordedAt: Timestamp(microsecondsSinceEpoch: Int64(bitPattern: recordedAt)), payload: payload,
            hash: EventHash(unchecked: Array(UnsafeRawBufferPointer(rebasing: record[(record.count - hashLength)...]))))
    }
}

extension ByteReader {
    /// Reads past a length-prefixed string, `false` when it is cut short or not UTF-8 (as ``string16(_:)``
    /// would return `nil`), without making it.
    mutating func skipString16() -> Bool {
        guard let length = u16(), let raw = slice(Int(length)) else { return false }
        if Self.isASCII(raw) { return true }
        return String(validating: raw, as: UTF8.self) != nil
    }

    /// Whether no byte of `raw` has its top bit set (ASCII, valid UTF-8 as it stands), read eight bytes at a
    /// time: byte by byte, the check of a stream and author name took about 260 instructions an event.
    static func isASCII(_ raw: UnsafeRawBufferPointer) -> Bool {
        var bits: UInt64 = 0
        var offset = 0
        while raw.count - offset >= 8 {
            bits |= raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            offset += 8
        }
        while offset < raw.count {
            bits |= UInt64(raw[offset])
            offset += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }
}
