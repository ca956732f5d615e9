internal import Foundation
internal import LMDB

extension LMDBLogView {
    /// Writes one event record, and nothing else: its index entries go through an ``IndexBatch``.
    ///
    /// The events database is keyed by seq and written with `MDB_APPEND`: a seq that does not sort after
    /// every stored one fails instead of overwriting, so the log cannot be rewritten through this path.
    func insertRecord(_ event: RecordedEvent, body: [UInt8]) throws {
        try txn.put(databases.events, key: StoreKeys.seq(event.seq), value: body + event.hash.bytes, flags: .append)
    }

    /// Stores the position through which the tag index is complete.
    func setTagIndexPosition(_ seq: UInt64) throws {
        try txn.put(databases.meta, key: StoreKeys.tagsKey, value: StoreKeys.bigEndian(seq))
    }

    /// Stores the new head.
    func setHead(_ head: LogHead) throws {
        try txn.put(databases.meta, key: StoreKeys.headKey, value: StoreKeys.encodeHead(head))
    }
}

/// Checks the envelope fields the encoding depends on, before any transaction starts.
package enum EnvelopeChecks {
    package static let maximumNameLength = 255

    package static func check(_ event: NewEvent, index: Int) throws(EventLogError) {
        try checkName(event.stream, field: "stream", index: index)
        try checkName(event.type, field: "type", index: index)
        for tag in event.tags { try checkName(tag, field: "tags", index: index) }
        guard event.recordedBy.utf8.count <= Int(UInt16.max) else {
            throw .invalidEnvelope(index: index, field: "recordedBy", reason: "longer than 65535 bytes")
        }
        switch event.occurredAt {
        case .day(let days) where !ValidTime.dayRange.contains(days):
            throw .invalidEnvelope(index: index, field: "occurredAt", reason: "day \(days) out of range")
        case .instant(let instant) where !ValidTime.instantRange.contains(instant.microsecondsSinceEpoch):
            throw .invalidEnvelope(index: index, field: "occurredAt", reason: "instant out of range")
        default: break
        }
        guard (0...Int(UInt16.max)).contains(event.schemaVersion) else {
            throw .invalidEnvelope(index: index, field: "schemaVersion", reason: "must be between 0 and 65535")
        }
        guard event.payload.count <= Int(UInt32.max) else {
            throw .invalidEnvelope(index: index, field: "payload", reason: "larger than 4 GiB")
        }
    }

    package static func checkName(_ name: String, field: String, index: Int) throws(EventLogError) {
        let bytes = name.utf8
        guard !bytes.isEmpty else { throw .invalidEnvelope(index: index, field: field, reason: "is empty") }
        guard bytes.count <= maximumNameLength else {
            throw .invalidEnvelope(index: index, field: field, reason: "longer than \(maximumNameLength) bytes")
        }
        // Native strings are contiguous UTF-8: memchr looks at ten tags of a million events in no time.
        let hasNUL =
            bytes.withContiguousStorageIfAvailable { buffer in
                buffer.baseAddress.map { memchr($0, 0, buffer.count) != nil } ?? false
            } ?? bytes.contains(0)
        guard !hasNUL else {
            throw .invalidEnvelope(index: index, field: field, reason: "contains a NUL character")
        }
    }
}
