internal import Synchronization

/// The decoded entries a streamed import's rule checks have read or written, kept from one stretch to the
/// next (``StreamedImport``): each stretch's check reads, through the tag index, the stored events its
/// stretch concerns (``RuleScope``), and those of consecutive stretches are largely the same (the members
/// they name, their collaboratives, the import's own recent events). Kept here, each is decoded once per
/// import instead of once per stretch, and the import's own events are never decoded: they are kept as the
/// drafts they were written from, which is how a one-batch import's check sees them. The type and date of
/// an event the scope passed over on its envelope are kept too, so that its envelope is not read again.
///
/// The entries of an event never change once it is stored (a retraction is an event of its own), so a
/// kept entry is the decoded event whatever the stretch. What is kept is bounded: two generations of at
/// most ``capacity`` entries each, the older dropped whole when the newer fills, an entry read from the
/// older moved to the newer; so the entries the stretches keep reading stay, and the memory does not grow
/// with the import. An entry dropped is decoded again from the log when needed.
final class CarriedEntries: Sendable {
    /// The most entries (and, apart, envelopes) a generation holds.
    let capacity: Int
    private let entries: Mutex<Generations<TimelineEntry>>
    private let envelopes: Mutex<Generations<(type: String, occurredAt: OccurredAt)>>

    init(capacity: Int = 1 << 17) {
        self.capacity = max(capacity, 1)
        entries = Mutex(Generations(capacity: self.capacity))
        envelopes = Mutex(Generations(capacity: self.capacity))
    }

    /// The entry of the stored event at `seq`, if kept.
    func entry(at seq: UInt64) -> TimelineEntry? {
        entries.withLock { $0.value(at: seq) }
    }

    /// Keeps `entry`, the event stored at `seq`.
    func keep(_ entry: TimelineEntry, at seq: UInt64) {
        entries.withLock { $0.keep(entry, at: seq) }
    }

    /// The type and date of the stored event at `seq`, if kept.
    func envelope(at seq: UInt64) -> (type: String, occurredAt: OccurredAt)? {
        envelopes.withLock { $0.value(at: seq) }
    }

    /// Keeps the type and date of the stored event at `seq`.
    func keepEnvelope(type: String, occurredAt: OccurredAt, at seq: UInt64) {
        envelopes.withLock { $0.keep((type, occurredAt), at: seq) }
    }

    /// How many entries are kept (for tests).
    var count: Int { entries.withLock { $0.count } }
}

/// Values by `seq` in two generations of at most `capacity` each (see ``CarriedEntries``).
private struct Generations<Value> {
    let capacity: Int
    private var newer: [UInt64: Value] = [:]
    private var older: [UInt64: Value] = [:]

    init(capacity: Int) { self.capacity = capacity }

    var count: Int { newer.count + older.count }

    mutating func value(at seq: UInt64) -> Value? {
        if let value = newer[seq] { return value }
        guard let value = older.removeValue(forKey: seq) else { return nil }
        keep(value, at: seq)
        return value
    }

    mutating func keep(_ value: Value, at seq: UInt64) {
        if newer.count >= capacity, newer[seq] == nil {
            older = newer
            newer = [:]
            newer.reserveCapacity(capacity)
        }
        newer[seq] = value
    }
}
