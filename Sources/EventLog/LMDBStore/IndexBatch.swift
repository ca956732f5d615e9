internal import Foundation
internal import LMDB

/// The index entries of a batch of events (`ids`, `streams`, `types`, `occurred`, `tags`), gathered while
/// its records are written and then written in key order.
///
/// Written in event order, each entry of a random key (an id, a member's tag) lands on another leaf page,
/// and LMDB copies every page a transaction first touches: an import of a million events would copy a
/// page per index entry. In key order, consecutive entries fill the same page, which is copied once. The
/// order of writes inside one transaction is not observable, and the batch is flushed before anything
/// (a checkpoint, the head) reads the indexes back.
struct IndexBatch {
    private var ids: [(high: UInt64, low: UInt64, seq: UInt64)] = []
    // Names are grouped by their bytes, as LMDB compares keys: `String` equality would take two
    // canonically equivalent spellings with different bytes for one name.
    private var streams: [NameBytes: [(version: UInt64, seq: UInt64)]] = [:]
    private var types: [NameBytes: [UInt64]] = [:]
    private var occurred: [OccurredPosition] = []
    private var tags: [NameBytes: [UInt64]] = [:]

    init(capacity: Int) {
        ids.reserveCapacity(capacity)
        occurred.reserveCapacity(capacity)
    }

    /// Adds the four index entries of `event` (see ``LMDBLogView/insertRecord(_:body:)``).
    mutating func add(_ event: RecordedEvent) {
        let (high, low) = withUnsafeBytes(of: event.id.uuid) { bytes in
            (
                UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
                UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            )
        }
        ids.append((high, low, event.seq))
        streams[NameBytes(event.stream), default: []].append((event.streamVersion, event.seq))
        types[NameBytes(event.type), default: []].append(event.seq)
        occurred.append(OccurredPosition(sortKey: event.occurredAt.sortKey, seq: event.seq))
    }

    /// Adds the tag entries of the event at `seq` (each tag once).
    mutating func addTags(_ eventTags: [String], seq: UInt64) {
        let names = eventTags.map(NameBytes.init)
        for (index, name) in names.enumerated() where !names[..<index].contains(name) {
            tags[name, default: []].append(seq)
        }
    }

    /// Writes every entry gathered, each index in key order, and empties the batch.
    mutating func flush(into view: LMDBLogView) throws {
        let databases = view.databases
        ids.sort { ($0.high, $0.low) < ($1.high, $1.low) }
        for entry in ids {
            let key = StoreKeys.bigEndian(entry.high) + StoreKeys.bigEndian(entry.low)
            try view.txn.put(databases.ids, key: key, value: StoreKeys.seq(entry.seq), flags: .noOverwrite)
        }
        for (stream, entries) in Self.inKeyOrder(streams) {
            for entry in entries.sorted(by: { $0.version < $1.version }) {
                try view.txn.put(
                    databases.streams, key: stream + [0] + StoreKeys.bigEndian(entry.version),
                    value: StoreKeys.seq(entry.seq), flags: .noOverwrite)
            }
        }
        for (type, seqs) in Self.inKeyOrder(types) {
            for seq in seqs.sorted() {
                try view.txn.put(
                    databases.types, key: type + [0] + StoreKeys.bigEndian(seq), value: [], flags: .noOverwrite)
            }
        }
        occurred.sort()
        for position in occurred {
            try view.txn.put(databases.occurred, key: StoreKeys.occurred(position), value: [], flags: .noOverwrite)
        }
        if let database = databases.tags {
            for (tag, seqs) in Self.inKeyOrder(tags) {
                for seq in seqs.sorted() { try view.txn.put(database, key: tag, value: StoreKeys.seq(seq)) }
            }
        }
        self = IndexBatch(capacity: 0)
    }

    /// The entries of `groups` with their names' bytes, in byte order (the order of their keys' prefixes:
    /// names hold no NUL, so a shorter name's key sorts before a longer one that it begins).
    private static func inKeyOrder<Value>(_ groups: [NameBytes: Value]) -> [([UInt8], Value)] {
        groups.map { ($0.key.bytes, $0.value) }.sorted { precedes($0.0, $1.0) }
    }

    /// Whether `left` sorts before `right` byte by byte (as LMDB orders keys), a shorter prefix first.
    private static func precedes(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        left.withUnsafeBytes { left in
            right.withUnsafeBytes { right in
                let common = min(left.count, right.count)
                if common > 0, let a = left.baseAddress, let b = right.baseAddress {
                    let order = memcmp(a, b, common)
                    if order != 0 { return order < 0 }
                }
                return left.count < right.count
            }
        }
    }
}

/// A name as the UTF-8 bytes of its keys, hashed and compared as bytes.
private struct NameBytes: Hashable {
    let bytes: [UInt8]

    init(_ name: String) { bytes = Array(name.utf8) }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
