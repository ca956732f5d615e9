internal import Foundation

/// A name (stream, type, tag, subject, checkpoint) as its UTF-8 bytes: names are told apart by their bytes,
/// as the LMDB store's keys are (two spellings of "é" that `String` takes for equal are two streams).
struct Name: Hashable, Comparable, Sendable {
    let bytes: [UInt8]

    init(_ text: String) { bytes = Array(text.utf8) }

    /// The name as text.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    static func < (lhs: Name, rhs: Name) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}

/// Everything an ``InMemoryEventStore`` holds: the log and every index, as values. A snapshot is a copy of
/// it (the arrays and dictionaries are copy-on-write, so a copy costs nothing until one side is changed).
struct MemoryLogState: Sendable {
    /// The events, `seq` 1 at index 0.
    var events: [RecordedEvent] = []
    /// The head, kept as the LMDB store keeps it (its own record), so that `verify` compares the two.
    var head = LogHead.empty
    /// id → seq.
    var ids: [UUID: UInt64] = [:]
    /// stream → the seq of each version (version 1 at index 0).
    var streams: [Name: [UInt64]] = [:]
    /// type → seqs, ascending.
    var types: [Name: [UInt64]] = [:]
    /// The valid-time index, sorted.
    var occurred: [OccurredPosition] = []
    /// tag → seqs, ascending, without repeats.
    var tags: [Name: [UInt64]] = [:]
    /// The seq through which the tag index is complete.
    var tagPosition: UInt64 = 0
    /// The scheme the tag index was written with.
    var tagScheme: String?
    /// Projection checkpoints by name.
    var checkpoints: [Name: Checkpoint] = [:]
    /// Subject keys by subject.
    var keys: [Name: SubjectKey] = [:]

    /// Adds `event` (which continues the log) to the log and every index but the tags.
    mutating func insert(_ event: RecordedEvent) {
        events.append(event)
        ids[event.id] = event.seq
        streams[Name(event.stream), default: []].append(event.seq)
        types[Name(event.type), default: []].append(event.seq)
        let position = OccurredPosition(sortKey: event.occurredAt.sortKey, seq: event.seq)
        occurred.insert(position, at: Self.firstIndex(in: occurred) { $0 >= position })
        head = LogHead(seq: event.seq, hash: event.hash, recordedAt: event.recordedAt)
    }

    /// Indexes the event at `seq` under each of `names` (a repeat is ignored, as a set would).
    mutating func tag(_ seq: UInt64, with names: [String]) {
        for name in names.map(Name.init) {
            var seqs = tags[name, default: []]
            let index = Self.firstIndex(in: seqs) { $0 >= seq }
            if index == seqs.count || seqs[index] != seq { seqs.insert(seq, at: index) }
            tags[name] = seqs
        }
    }

    /// The event at `seq`, or `nil`.
    func event(at seq: UInt64) -> RecordedEvent? {
        guard seq >= 1, seq <= UInt64(events.count) else { return nil }
        return events[Int(seq - 1)]
    }

    /// The first index of the sorted `array` whose element satisfies `isAtOrAfter` (`array.count` when none):
    /// a binary search, `isAtOrAfter` being false then true along the array.
    static func firstIndex<T>(in array: [T], where isAtOrAfter: (T) -> Bool) -> Int {
        var low = 0
        var high = array.count
        while low < high {
            let middle = low + (high - low) / 2
            if isAtOrAfter(array[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
