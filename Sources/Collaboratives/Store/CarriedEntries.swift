internal import Synchronization

/// The decoded entries a streamed import's rule checks have read or written, kept from one stretch to the
/// next (``StreamedImport``): each stretch's check reads, through the tag index, the stored events its
/// stretch concerns (``RuleScope``), and those of consecutive stretches are largely the same (the members
/// they name, their collaboratives, the import's own recent events). Kept here, each is decoded once per
/// import instead of once per stretch, and the import's own events are never decoded: they are kept as the
/// drafts they were written from, which is how a one-batch import's check sees them.
///
/// The entries of an event never change once it is stored (a retraction is an event of its own), so a
/// kept entry is the decoded event whatever the stretch. What is kept is bounded: two generations of at
/// most ``capacity`` entries each, the older dropped whole when the newer fills, an entry read from the
/// older moved to the newer; so the entries the stretches keep reading stay, and the memory does not grow
/// with the import. An entry dropped is decoded again from the log when needed.
final class CarriedEntries: Sendable {
    /// The most entries a generation holds.
    let capacity: Int
    private let generations = Mutex<(newer: [UInt64: TimelineEntry], older: [UInt64: TimelineEntry])>(([:], [:]))

    init(capacity: Int = 1 << 17) {
        self.capacity = max(capacity, 1)
    }

    /// The entry of the stored event at `seq`, if kept.
    func entry(at seq: UInt64) -> TimelineEntry? {
        generations.withLock { kept in
            if let entry = kept.newer[seq] { return entry }
            guard let entry = kept.older.removeValue(forKey: seq) else { return nil }
            Self.keep(entry, at: seq, in: &kept, capacity: capacity)
            return entry
        }
    }

    /// Keeps `entry`, the event stored at `seq`.
    func keep(_ entry: TimelineEntry, at seq: UInt64) {
        generations.withLock { Self.keep(entry, at: seq, in: &$0, capacity: capacity) }
    }

    /// How many entries are kept (for tests).
    var count: Int { generations.withLock { $0.newer.count + $0.older.count } }

    private static func keep(
        _ entry: TimelineEntry, at seq: UInt64,
        in kept: inout (newer: [UInt64: TimelineEntry], older: [UInt64: TimelineEntry]), capacity: Int
    ) {
        if kept.newer.count >= capacity, kept.newer[seq] == nil {
            kept.older = kept.newer
            kept.newer = [:]
            kept.newer.reserveCapacity(capacity)
        }
        kept.newer[seq] = entry
    }
}
