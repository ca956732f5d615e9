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
    private var streams: [NameKey: [(version: UInt64, seq: UInt64)]] = [:]
    private var types: [NameKey: [UInt64]] = [:]
    private var occurred: [OccurredPosition] = []
    // Tags: each distinct one numbered once, and one (number, seq) entry per tagged event in the order added
    // (a large batch has ten tags an event over a hundred thousand names: appending to a flat array costs
    // less than growing a list per name, and the entries are put in key order once, at the flush).
    private var tagNumbers = NameNumbers()
    private var tagEntries: [(tag: UInt32, seq: UInt64)] = []

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
        streams[NameKey(event.stream), default: []].append((event.streamVersion, event.seq))
        types[NameKey(event.type), default: []].append(event.seq)
        occurred.append(OccurredPosition(sortKey: event.occurredAt.sortKey, seq: event.seq))
    }

    /// Adds the tag entries of the event at `seq` (each tag once), which must come after every event added
    /// before it.
    mutating func addTags(_ eventTags: [String], seq: UInt64) {
        let eventStart = tagEntries.endIndex
        for name in eventTags {
            let (number, isNew) = tagNumbers.number(of: NameKey(name))
            guard isNew || !tagEntries[eventStart...].contains(where: { $0.tag == number }) else { continue }
            tagEntries.append((number, seq))
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
            // Each tag's `seq`s in one call: its values are fixed-size (`MDB_DUPFIXED`).
            try view.txn.withCursor(database) { cursor in
                var values: [UInt8] = []
                for (tag, seqs) in tagsInKeyOrder() {
                    values.removeAll(keepingCapacity: true)
                    for seq in seqs { withUnsafeBytes(of: seq.bigEndian) { values.append(contentsOf: $0) } }
                    try cursor.putDuplicates(key: tag, values: values, size: 8)
                }
            }
        }
        self = IndexBatch(capacity: 0)
    }

    /// Each tag's bytes with the `seq`s of its entries, in key order: the names sorted by their bytes, and
    /// the entries placed by a counting sort on their name's rank, which keeps them in `seq` order.
    private func tagsInKeyOrder() -> [([UInt8], ArraySlice<UInt64>)] {
        let names = tagNumbers.names.map { Array($0.utf8) }
        let order = names.indices.sorted { Self.precedes(names[$0], names[$1]) }
        var rank = [Int](repeating: 0, count: names.count)
        for (position, number) in order.enumerated() { rank[number] = position }
        var starts = [Int](repeating: 0, count: names.count + 1)
        for entry in tagEntries { starts[rank[Int(entry.tag)] + 1] += 1 }
        for position in names.indices { starts[position + 1] += starts[position] }
        var next = starts
        var seqs = [UInt64](repeating: 0, count: tagEntries.count)
        for entry in tagEntries {
            let position = rank[Int(entry.tag)]
            seqs[next[position]] = entry.seq
            next[position] += 1
        }
        return order.enumerated().map { position, number in
            (names[number], seqs[starts[position]..<starts[position + 1]])
        }
    }

    /// The entries of `groups` with their names' bytes, in byte order (the order of their keys' prefixes:
    /// names hold no NUL, so a shorter name's key sorts before a longer one that it begins).
    private static func inKeyOrder<Value>(_ groups: [NameKey: Value]) -> [([UInt8], Value)] {
        groups.map { (Array($0.key.name.utf8), $0.value) }.sorted { precedes($0.0, $1.0) }
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

/// Numbers the distinct names of a batch in the order first seen: an open-addressing table of (byte hash,
/// number) slots, so that a look-up reads one small slot per probe and a name's bytes only when the hashes
/// match (a `Dictionary` reads a bitmap, a key and a value, and hashes the hash again).
private struct NameNumbers {
    private struct Slot {
        var hash = 0
        /// The name's number + 1; 0 for an empty slot.
        var numberPlusOne: UInt32 = 0
    }

    private var slots = [Slot](repeating: Slot(), count: 16)  // grows with the batch's names
    /// Each name, at its number.
    private(set) var names: [String] = []

    /// The number of `key`'s name, and whether it was given just now.
    mutating func number(of key: NameKey) -> (number: UInt32, isNew: Bool) {
        let mask = slots.count - 1
        var index = key.byteHash & mask
        while slots[index].numberPlusOne != 0 {
            let number = slots[index].numberPlusOne - 1
            if slots[index].hash == key.byteHash, NameKey.sameBytes(names[Int(number)], key.name) {
                return (number, false)
            }
            index = (index + 1) & mask
        }
        let number = UInt32(names.count)
        names.append(key.name)
        slots[index] = Slot(hash: key.byteHash, numberPlusOne: number + 1)
        if names.count * 2 > slots.count { grow() }
        return (number, true)
    }

    /// Doubles the slots (kept at most half full), placing each name again.
    private mutating func grow() {
        var larger = [Slot](repeating: Slot(), count: slots.count * 2)
        let mask = larger.count - 1
        for slot in slots where slot.numberPlusOne != 0 {
            var index = slot.hash & mask
            while larger[index].numberPlusOne != 0 { index = (index + 1) & mask }
            larger[index] = slot
        }
        slots = larger
    }
}

/// A name as the UTF-8 bytes of its keys: hashed and compared as bytes, its hash computed once and compared
/// first, so that a dictionary probing past other names (a large batch has a hundred thousand tags) reads
/// none of their bytes.
private struct NameKey: Hashable {
    let name: String
    let byteHash: Int

    init(_ name: String) {
        var name = name
        self.byteHash = name.withUTF8 { bytes in
            var hasher = Hasher()
            hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
            return hasher.finalize()
        }
        self.name = name
    }

    static func == (left: NameKey, right: NameKey) -> Bool {
        left.byteHash == right.byteHash && sameBytes(left.name, right.name)
    }

    /// Whether two names have the same UTF-8 bytes (not merely canonically equivalent).
    static func sameBytes(_ left: String, _ right: String) -> Bool {
        guard left.utf8.count == right.utf8.count else { return false }
        var (left, right) = (left, right)
        return left.withUTF8 { left in
            right.withUTF8 { right in
                // Of equal lengths, so both empty when either has no bytes.
                guard let leftBytes = left.baseAddress, let rightBytes = right.baseAddress else { return true }
                return memcmp(leftBytes, rightBytes, left.count) == 0
            }
        }
    }

    func hash(into hasher: inout Hasher) { hasher.combine(byteHash) }
}
