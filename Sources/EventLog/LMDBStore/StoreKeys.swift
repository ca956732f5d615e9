internal import Foundation

/// Key encodings of the LMDB store (see the README's on-disk layout table).
enum StoreKeys {
    static func seq(_ seq: UInt64) -> [UInt8] { bigEndian(seq) }

    static func id(_ id: UUID) -> [UInt8] { id.byteArray }

    /// `stream UTF-8 ‖ 0x00 ‖ version (u64 BE)`.
    static func stream(_ stream: String, version: UInt64) -> [UInt8] { named(Array(stream.utf8), version) }

    /// `type UTF-8 ‖ 0x00 ‖ seq (u64 BE)`.
    static func type(_ type: String, seq: UInt64) -> [UInt8] { named(Array(type.utf8), seq) }

    /// `name bytes ‖ 0x00 ‖ number (u64 BE)`: a stream's or a type's key (names hold no NUL, so a name's
    /// keys sort together, and before those of any longer name it begins).
    static func named(_ name: [UInt8], _ number: UInt64) -> [UInt8] { name + [0] + bigEndian(number) }

    /// `sortKey (i64 BE with the sign bit flipped, so negative keys sort first) ‖ seq (u64 BE)`.
    static func occurred(_ position: OccurredPosition) -> [UInt8] {
        bigEndian(UInt64(bitPattern: position.sortKey) ^ (1 << 63)) + bigEndian(position.seq)
    }

    static func occurredPosition(_ key: UnsafeRawBufferPointer) -> OccurredPosition? {
        guard key.count == 16 else { return nil }
        return OccurredPosition(
            sortKey: Int64(bitPattern: readBigEndian(key, at: 0) ^ (1 << 63)), seq: readBigEndian(key, at: 8))
    }

    static let formatKey = Array("format".utf8)
    static let headKey = Array("head".utf8)
    /// The position (u64 BE) through which the `tags` index is complete; absent means 0.
    static let tagsKey = Array("tags".utf8)
    /// The scheme (UTF-8) the `tags` index was written with.
    static let tagSchemeKey = Array("tagScheme".utf8)

    static func bigEndian(_ value: UInt64) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    static func readBigEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in offset..<(offset + 8) { value = value << 8 | UInt64(bytes[index]) }
        return value
    }

    /// `seq ‖ hash ‖ recordedAt` (8 + 32 + 8 bytes).
    static func encodeHead(_ head: LogHead) -> [UInt8] {
        bigEndian(head.seq) + head.hash.bytes
            + bigEndian(UInt64(bitPattern: head.recordedAt?.microsecondsSinceEpoch ?? 0))
    }

    static func decodeHead(_ bytes: UnsafeRawBufferPointer) -> LogHead? {
        guard bytes.count == 48, let hash = EventHash(bytes: Array(bytes[8..<40])) else { return nil }
        let seq = readBigEndian(bytes, at: 0)
        let recordedAt = Int64(bitPattern: readBigEndian(bytes, at: 40))
        return LogHead(
            seq: seq, hash: hash, recordedAt: seq == 0 ? nil : Timestamp(microsecondsSinceEpoch: recordedAt))
    }
}

extension StoreKeys {
    /// A key of the `keys` database: the subject's UTF-8.
    static func subject(_ subject: String) -> [UInt8] { Array(subject.utf8) }
}
