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
        var names = EnvelopeNames(slots: 0)
        return try decode(record: record, expectedSeq: expectedSeq, names: &names)
    }

    /// ``decode(record:expectedSeq:)``, giving a type, stream or author name that `names` holds as that
    /// `String` (a scan decodes many records with the same few names).
    static func decode(
        record: UnsafeRawBufferPointer, expectedSeq: UInt64, names: inout EnvelopeNames
    ) throws(EventLogError) -> RecordedEvent {
        guard record.count > hashLength else {
            throw .corruptRecord(seq: expectedSeq, reason: "record of \(record.count) bytes is too short")
        }
        let body = UnsafeRawBufferPointer(rebasing: record[0..<(record.count - hashLength)])
        var reader = ByteReader(body)
        guard let version = reader.u8(), version == Self.version,
            let seq = reader.u64(), let id = reader.uuid(), let streamVersion = reader.u64(),
            let recordedAt = reader.u64(), let kind = reader.u8(), let occurred = reader.u64(),
            let schemaVersion = reader.u16(), let type = reader.string16(&names),
            let stream = reader.string16(&names), let recordedBy = reader.string16(&names),
            let payloadLength = reader.u32(),
            let payload = reader.bytes(Int(payloadLength)), reader.isAtEnd, kind <= 1
        else {
            throw .corruptRecord(seq: expectedSeq, reason: "body does not decode as envelope encoding v1")
        }
        let occurredAt = try storedTimes(kind: kind, occurred: occurred, recordedAt: recordedAt, seq: expectedSeq)
        return RecordedEvent(
            seq: seq, id: id, stream: stream, streamVersion: streamVersion, type: type,
            schemaVersion: Int(schemaVersion), occurredAt: occurredAt,
            recordedAt: Timestamp(microsecondsSinceEpoch: Int64(bitPattern: recordedAt)), recordedBy: recordedBy,
            payload: payload, hash: EventHash(unchecked: Array(record[(record.count - hashLength)...])))
    }

    /// A stored event's valid time from its kind (0: a day, 1: an instant) and number, once both it and its
    /// `recordedAt` are checked in range: stored numbers are untrusted, and one out of range would make a
    /// reader's arithmetic overflow.
    static func storedTimes(kind: UInt8, occurred: UInt64, recordedAt: UInt64, seq: UInt64) throws(EventLogError)
        -> ValidTime
    {
        let occurredNumber = Int64(bitPattern: occurred)
        guard (kind == 0 ? ValidTime.dayRange : ValidTime.instantRange).contains(occurredNumber) else {
            throw .corruptRecord(seq: seq, reason: "occurredAt \(occurredNumber) out of range")
        }
        guard ValidTime.instantRange.contains(Int64(bitPattern: recordedAt)) else {
            throw .corruptRecord(seq: seq, reason: "recordedAt \(Int64(bitPattern: recordedAt)) out of range")
        }
        return kind == 0 ? .day(occurredNumber) : .instant(Timestamp(microsecondsSinceEpoch: occurredNumber))
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
        var names = EnvelopeNames(slots: 0)
        return string16(&names)
    }

    /// A length-prefixed string: the one `names` holds with these bytes, else made (and then held).
    mutating func string16(_ names: inout EnvelopeNames) -> String? {
        guard let length = u16(), let raw = slice(Int(length)) else { return nil }
        if let held = names.name(raw) { return held }
        let text: String
        // Type, stream and author names are nearly always ASCII, which is valid UTF-8 as it stands.
        if raw.allSatisfy({ $0 < 0x80 }) {
            text = String(decoding: raw, as: UTF8.self)
        } else {
            guard let valid = String(validating: raw, as: UTF8.self) else { return nil }
            text = valid
        }
        names.hold(text, for: raw)
        return text
    }
}

/// The names a scan's envelopes repeat (17 types, a few authors, one stream per collaborative for most
/// events), held so that a name read again is the `String` made the first time: making each anew, with its
/// allocation when longer than 15 bytes and its release, was a fifth of decoding an envelope.
///
/// A small table indexed by a hash of the name's bytes; a name found there has the same bytes as the one
/// read, so the result is exactly the `String` decoding would make.
struct EnvelopeNames {
    private var held: [String?]

    /// A table of `slots` names (a power of two; 0: none held).
    init(slots: Int = 256) { held = Array(repeating: nil, count: slots) }

    /// The held name whose UTF-8 is `raw`, if any.
    mutating func name(_ raw: UnsafeRawBufferPointer) -> String? {
        guard let slot = slot(raw), var name = held[slot], name.utf8.count == raw.count else { return nil }
        let same = name.withUTF8 { bytes in
            guard let held = bytes.baseAddress, let read = raw.baseAddress else { return raw.isEmpty }
            return memcmp(held, read, raw.count) == 0
        }
        return same ? name : nil
    }

    /// Holds `name`, read as `raw`, in place of the name that shared its slot.
    mutating func hold(_ name: String, for raw: UnsafeRawBufferPointer) {
        guard let slot = slot(raw) else { return }
        held[slot] = name
    }

    private func slot(_ raw: UnsafeRawBufferPointer) -> Int? {
        guard !held.isEmpty else { return nil }
        // Names of a kind share their start (`collaborative-`, `subgroup-`): the length and the last bytes
        // tell them apart.
        var hash = UInt(raw.count)
        for index in max(0, raw.count - 4)..<raw.count { hash = hash &* 31 &+ UInt(raw[index]) }
        return Int(hash & UInt(held.count - 1))
    }
}

extension UUID {
    /// The 16 bytes of the UUID, in order.
    var byteArray: [UInt8] { withUnsafeBytes(of: uuid) { Array($0) } }
}
