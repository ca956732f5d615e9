import Crypto
import Foundation

/// The canonical byte encoding of an envelope, which is both what the store keeps and what the hash
/// chain covers. Version 1, all integers big-endian:
///
/// | field | bytes |
/// |---|---|
/// | encoding version (= 1) | u8 |
/// | seq | u64 |
/// | id (UUID) | 16 |
/// | streamVersion | u64 |
/// | recordedAt, µs since epoch | i64 |
/// | occurredAt kind (0 day, 1 instant) | u8 |
/// | occurredAt value (days, or µs since epoch) | i64 |
/// | schemaVersion | u16 |
/// | type | u16 length + UTF-8 |
/// | stream | u16 length + UTF-8 |
/// | recordedBy | u16 length + UTF-8 |
/// | payload | u32 length + bytes |
///
/// `hash = SHA-256(previous hash ‖ body)`, with 32 zero bytes before the first event. A stored record is
/// `body ‖ hash`.
enum EventEncoding {
    static let version: UInt8 = 1
    static let hashLength = 32
    /// Offset of `recordedAt` inside a body, for binary search on transaction time.
    static let recordedAtOffset = 1 + 8 + 16 + 8

    static func body(
        seq: UInt64, id: UUID, streamVersion: UInt64, recordedAt: Timestamp, event: NewEvent
    ) -> [UInt8] {
        var writer = ByteWriter(capacity: 80 + event.type.utf8.count + event.stream.utf8.count + event.payload.count)
        writer.append(version)
        writer.append(seq)
        writer.append(id)
        writer.append(streamVersion)
        writer.append(UInt64(bitPattern: recordedAt.microsecondsSinceEpoch))
        switch event.occurredAt {
        case .day(let days):
            writer.append(UInt8(0))
            writer.append(UInt64(bitPattern: days))
        case .instant(let timestamp):
            writer.append(UInt8(1))
            writer.append(UInt64(bitPattern: timestamp.microsecondsSinceEpoch))
        }
        writer.append(UInt16(truncatingIfNeeded: event.schemaVersion))
        writer.appendString16(event.type)
        writer.appendString16(event.stream)
        writer.appendString16(event.recordedBy)
        writer.append(UInt32(truncatingIfNeeded: event.payload.count))
        writer.bytes.append(contentsOf: event.payload)
        return writer.bytes
    }

    static func chain(previous: EventHash, body: some ContiguousBytes) -> EventHash {
        var hasher = SHA256()
        hasher.update(data: previous.bytes)
        body.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        // Copied through its bytes: `Array(digest)` iterates the digest as a generic collection, whose first
        // use looks the conformance up at run time (a scan of every conformance record, on every `record`).
        return EventHash(unchecked: hasher.finalize().withUnsafeBytes { Array($0) })
    }

    /// Decodes a stored record (`body ‖ hash`); throws ``EventLogError/corruptRecord(seq:reason:)`` when malformed.
    static func decode(record: UnsafeRawBufferPointer, expectedSeq: UInt64) throws(EventLogError) -> RecordedEvent {
        guard record.count > hashLength else {
            throw .corruptRecord(seq: expectedSeq, reason: "record of \(record.count) bytes is too short")
        }
        let body = UnsafeRawBufferPointer(rebasing: record[0..<(record.count - hashLength)])
        var reader = ByteReader(body)
        guard let version = reader.u8(), version == Self.version,
            let seq = reader.u64(), let id = reader.uuid(), let streamVersion = reader.u64(),
            let recordedAt = reader.u64(), let kind = reader.u8(), let occurred = reader.u64(),
            let schemaVersion = reader.u16(), let type = reader.string16(), let stream = reader.string16(),
            let recordedBy = reader.string16(), let payloadLength = reader.u32(),
            let payload = reader.bytes(Int(payloadLength)), reader.isAtEnd, kind <= 1
        else {
            throw .corruptRecord(seq: expectedSeq, reason: "body does not decode as envelope encoding v1")
        }
        // Stored numbers are untrusted: one out of range would make a reader's arithmetic overflow.
        let occurredNumber = Int64(bitPattern: occurred)
        guard (kind == 0 ? ValidTime.dayRange : ValidTime.instantRange).contains(occurredNumber) else {
            throw .corruptRecord(seq: expectedSeq, reason: "occurredAt \(occurredNumber) out of range")
        }
        guard ValidTime.instantRange.contains(Int64(bitPattern: recordedAt)) else {
            throw .corruptRecord(seq: expectedSeq, reason: "recordedAt \(Int64(bitPattern: recordedAt)) out of range")
        }
        let occurredAt: ValidTime =
            kind == 0
            ? .day(Int64(bitPattern: occurred))
            : .instant(Timestamp(microsecondsSinceEpoch: Int64(bitPattern: occurred)))
        return RecordedEvent(
            seq: seq, id: id, stream: stream, streamVersion: streamVersion, type: type,
            schemaVersion: Int(schemaVersion), occurredAt: occurredAt,
            recordedAt: Timestamp(microsecondsSinceEpoch: Int64(bitPattern: recordedAt)), recordedBy: recordedBy,
            payload: payload, hash: EventHash(unchecked: Array(record[(record.count - hashLength)...])))
    }

    /// The body of a stored event, re-encoded from its fields (for verifying a restored event's hash).
    static func body(of event: RecordedEvent) -> [UInt8] {
        body(
            seq: event.seq, id: event.id, streamVersion: event.streamVersion, recordedAt: event.recordedAt,
            event: NewEvent(
                id: event.id, stream: event.stream, type: event.type, schemaVersion: event.schemaVersion,
                occurredAt: event.occurredAt, recordedBy: event.recordedBy, payload: event.payload))
    }
}

/// Appends big-endian integers and length-prefixed strings to a byte array.
struct ByteWriter {
    var bytes: [UInt8]

    init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func append(_ value: UInt8) { bytes.append(value) }
    mutating func append(_ value: UInt16) { appendBigEndian(value) }
    mutating func append(_ value: UInt32) { appendBigEndian(value) }
    mutating func append(_ value: UInt64) { appendBigEndian(value) }

    mutating func append(_ id: UUID) {
        withUnsafeBytes(of: id.uuid) { bytes.append(contentsOf: $0) }
    }

    mutating func appendString16(_ text: String) {
        let utf8 = Array(text.utf8)
        append(UInt16(truncatingIfNeeded: utf8.count))
        bytes.append(contentsOf: utf8)
    }

    private mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Reads what ``ByteWriter`` wrote, returning `nil` instead of reading past the end.
struct ByteReader {
    let buffer: UnsafeRawBufferPointer
    var offset = 0

    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    var isAtEnd: Bool { offset == buffer.count }

    mutating func u8() -> UInt8? {
        guard offset < buffer.count else { return nil }
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func u16() -> UInt16? { integer() }
    mutating func u32() -> UInt32? { integer() }
    mutating func u64() -> UInt64? { integer() }

    private mutating func integer<T: FixedWidthInteger>() -> T? {
        let size = MemoryLayout<T>.size
        guard offset + size <= buffer.count else { return nil }
        defer { offset += size }
        return T(bigEndian: buffer.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    mutating func uuid() -> UUID? {
        guard let raw = slice(16) else { return nil }
        return UUID(
            uuid: (
                raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7], raw[8], raw[9], raw[10], raw[11],
                raw[12], raw[13], raw[14], raw[15]
            ))
    }

    /// The next `count` bytes, in place.
    mutating func slice(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, count <= buffer.count - offset else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + count)])
    }

    mutating func bytes(_ count: Int) -> [UInt8]? {
        slice(count).map { Array($0) }
    }

    mutating func string16() -> String? {
        guard let length = u16(), let raw = slice(Int(length)) else { return nil }
        // Type, stream and author names are nearly always ASCII, which is valid UTF-8 as it stands.
        if raw.allSatisfy({ $0 < 0x80 }) { return String(decoding: raw, as: UTF8.self) }
        return String(validating: raw, as: UTF8.self)
    }
}

extension UUID {
    /// The 16 bytes of the UUID, in order.
    var byteArray: [UInt8] { withUnsafeBytes(of: uuid) { Array($0) } }
}
