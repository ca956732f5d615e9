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
    /// Each id with its bytes as two big-endian halves, to sort by.
    private var ids: [(high: UInt64, low: UInt64, id: UUID, seq: UInt64)] = []
    private var streams = NamedEntries<(version: UInt64, seq: UInt64)>()
    /// Each stream's last version so far, at its number in `streams`.
    private var streamVersions: [UInt64] = []
    private var types = NamedEntries<UInt64>()
    private var occurred: [OccurredPosition] = []
    private var tags = NamedEntries<UInt64>()

    init(capacity: Int) {
        ids.reserveCapacity(capacity)
        occurred.reserveCapacity(capacity)
    }

    /// The version the next event of `stream` takes, and the stream's number for ``add(_:stream:)``: one
    /// after the stream's last version in the batch, or, at its first event in the batch, one after
    /// `stored()` (its version in the log, `nil` for none). Streams are told apart by their bytes, as their
    /// keys are: `String` equality would take two canonically equivalent spellings for one stream.
    mutating func nextVersion(of stream: String, stored: () throws -> UInt64?) rethrows -> (
        stream: UInt32, version: UInt64
    ) {
        let (number, isNew) = streams.number(of: stream)
        if isNew { streamVersions.append(try stored() ?? 0) }
        streamVersions[Int(number)] += 1
        return (number, streamVersions[Int(number)])
    }

    /// Adds the four index entries of `event` (see ``LMDBLogView/insertRecord(_:body:)``), which must come
    /// after every event added before it (so each stream's versions and each type's seqs come in order);
    /// `stream` is its stream's number, from the ``nextVersion(of:stored:)`` that gave its version.
    mutating func add(_ event: RecordedEvent, stream: UInt32) {
        let (high, low) = withUnsafeBytes(of: event.id.uuid) { bytes in
            (
                UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
                UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            )
        }
        ids.append((high, low, event.id, event.seq))
        assert(streams.hasNumber(stream, for: event.stream), "the stream number of another stream")
        streams.add((event.streamVersion, event.seq), under: stream)
        types.add(event.seq, under: types.number(of: event.type).number)
        occurred.append(OccurredPosition(sortKey: event.occurredAt.sortKey, seq: event.seq))
    }

    /// Adds the tag entries of the event at `seq` (each tag once), which must come after every event added
    /// before it.
    mutating func addTags(_ eventTags: [String], seq: UInt64) {
        let eventStart = tags.entries.endIndex
        for name in eventTags {
            let (number, isNew) = tags.number(of: name)
            guard isNew || !tags.entries[eventStart...].contains(where: { $0.name == number }) else { continue }
            tags.add(seq, under: number)
        }
    }

    /// Writes every entry gathered, each index in key order, and empties the batch.
    mutating func flush(into view: LMDBLogView) throws {
        let databases = view.databases
        ids.sort { ($0.high, $0.low) < ($1.high, $1.low) }
        var flags = try Self.flags(first: ids.first.map { StoreKeys.id($0.id) }, in: databases.ids, view)
        for entry in ids {
            try view.txn.put(databases.ids, key: StoreKeys.id(entry.id), value: StoreKeys.seq(entry.seq), flags: flags)
        }
        let streamEntries = streams.inKeyOrder()
        flags = try Self.flags(
            first: streamEntries.first.flatMap { name, entries in
                entries.first.map { StoreKeys.named(name, $0.version) }
            },
            in: databases.streams, view)
        for (stream, entries) in streamEntries {
            for entry in entries {
                try view.txn.put(
                    databases.streams, key: StoreKeys.named(stream, entry.version), value: StoreKeys.seq(entry.seq),
                    flags: flags)
            }
        }
        let typeEntries = types.inKeyOrder()
        flags = try Self.flags(
            first: typeEntries.first.flatMap { name, seqs in seqs.first.map { StoreKeys.named(name, $0) } },
            in: databases.types, view)
        for (type, seqs) in typeEntries {
            for seq in seqs {
                try view.txn.put(databases.types, key: StoreKeys.named(type, seq), value: [], flags: flags)
            }
        }
        occurred.sort()
        flags = try Self.flags(first: occurred.first.map(StoreKeys.occurred), in: databases.occurred, view)
        for position in occurred {
            try view.txn.put(databases.occurred, key: StoreKeys.occurred(position), value: [], flags: flags)
        }
        // Each tag's `seq`s in one call: its values are fixed-size (`MDB_DUPFIXED`).
        try view.txn.withCursor(try databases.writableTags()) { cursor in
            var values: [UInt8] = []
            for (tag, seqs) in tags.inKeyOrder() {
                values.removeAll(keepingCapacity: true)
                for seq in seqs { withUnsafeBytes(of: seq.bigEndian) { values.append(contentsOf: $0) } }
                try cursor.putDuplicates(key: tag, values: values, size: 8)
            }
        }
        self = IndexBatch(capacity: 0)
    }

    /// How to put an index's entries, given the first of them in key order: `.append` when it sorts after
    /// every key the database holds (an empty index, or one whose keys only grow), so each put goes to the
    /// end of the tree with no search from its root and fills the pages in order; `.noOverwrite` otherwise.
    /// Either way a key already stored fails rather than being overwritten (`.append` fails on any key
    /// that does not sort last, and the entries come in strictly increasing order).
    static func flags(first: [UInt8]?, in database: Database, _ view: LMDBLogView) throws -> PutFlags {
        guard let first else { return .noOverwrite }
        let last = try view.txn.withCursor(database) { try $0.last()?.keyBytes }
        guard let last else { return .append }
        return keyPrecedes(last, first) ? .append : .noOverwrite
    }
}

/// Entries gathered under names (streams, types, tags), grouped by the names' bytes as LMDB compares keys
/// (`String` equality would take two canonically equivalent spellings with different bytes for one name):
/// each name numbered once (``NameNumbers``) and one (number, entry) pair per entry in the order added, put
/// in key order once, at the flush. A large batch has a hundred thousand names and ten tags an event:
/// appending to one flat array costs less than growing a list per name.
private struct NamedEntries<Entry> {
    private var numbers = NameNumbers()
    /// Every entry with its name's number, in the order added.
    private(set) var entries: [(name: UInt32, entry: Entry)] = []

    /// The number of `name`, and whether it was given just now.
    mutating func number(of name: String) -> (number: UInt32, isNew: Bool) { numbers.number(of: NameKey(name)) }

    /// Whether `number` is the number of `name` (the same bytes).
    func hasNumber(_ number: UInt32, for name: String) -> Bool {
        Int(number) < numbers.names.count && NameKey.sameBytes(numbers.names[Int(number)], name)
    }

    /// Adds `entry` under the name numbered `number`.
    mutating func add(_ entry: Entry, under number: UInt32) { entries.append((number, entry)) }

    /// Each name's bytes with its entries in the order added, the names in key order: sorted by their bytes
    /// (a shorter name before a longer one it begins: names hold no NUL), the entries placed by a counting
    /// sort on their name's rank, which keeps each name's in order.
    func inKeyOrder() -> [([UInt8], ArraySlice<Entry>)] {
        guard let first = entries.first else { return [] }
        let names = numbers.names.map { Array($0.utf8) }
        let order = names.indices.sorted { keyPrecedes(names[$0], names[$1]) }
        var rank = [Int](repeating: 0, count: names.count)
        for (position, number) in order.enumerated() { rank[number] = position }
        var starts = [Int](repeating: 0, count: names.count + 1)
        for entry in entries { starts[rank[Int(entry.name)] + 1] += 1 }
        for position in names.indices { starts[position + 1] += starts[position] }
        var next = starts
        var placed = [Entry](repeating: first.entry, count: entries.count)
        for entry in entries {
            let position = rank[Int(entry.name)]
            placed[next[position]] = entry.entry
            next[position] += 1
        }
        return order.enumerated().map { position, number in
            (names[number], placed[starts[position]..<starts[position + 1]])
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

/// A name as the UTF-8 bytes of its keys, with the hash of those bytes computed once.
private struct NameKey {
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
}

/// Whether `left` sorts before `right` byte by byte (as LMDB orders keys), a shorter prefix first.
private func keyPrecedes(_ left: [UInt8], _ right: [UInt8]) -> Bool {
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
