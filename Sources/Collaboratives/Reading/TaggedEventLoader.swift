internal import EventLog
internal import Foundation

/// Reads the events under some tags (``EventTag``), each once, up to a `seq`: the way a rule check or a
/// query of one collaborative reads only what concerns it.
struct TaggedEventLoader {
    let view: any LogView
    let decoder: EventDecoder
    /// The last `seq` to read.
    let through: UInt64
    /// Entries decoded before (by a streamed import's earlier stretches), consulted before decoding.
    let carried: CarriedEntries?
    /// What has been read, by `seq`.
    private(set) var entries: [UInt64: TimelineEntry] = [:]

    init(view: any LogView, decoder: EventDecoder, through: UInt64, carried: CarriedEntries? = nil) {
        self.view = view
        self.decoder = decoder
        self.through = through
        self.carried = carried
    }

    /// Reads the events tagged `tag`.
    mutating func load(tag: String) throws { try load(tags: [tag]) }

    /// Reads the events tagged with any of `tags`: one request for the tags and one for the events not yet
    /// read, so that a store across a network is not asked once per tag and once per event.
    mutating func load(tags: some Sequence<String>) throws {
        let tagged = try view.taggedSeqs(forEach: Array(tags), through: through)
        var wanted = Set(tagged.values.joined()).filter { entries[$0] == nil }.sorted()
        if let carried {
            wanted.removeAll { seq in
                guard let entry = carried.entry(at: seq) else { return false }
                entries[seq] = entry
                return true
            }
        }
        guard !wanted.isEmpty else { return }
        let events = try view.events(at: wanted)
        for seq in wanted {
            guard let event = events[seq] else {
                throw EventLogError.corruptRecord(seq: seq, reason: "tags index names a missing event")
            }
            entries[seq] = try decoded(event)
        }
    }

    /// `event` decoded, and kept for the stretches after this one when they are carried.
    private func decoded(_ event: RecordedEvent) throws -> TimelineEntry {
        let entry = try decoder.entry(of: event)
        carried?.keep(entry, at: event.seq)
        return entry
    }

    /// Reads the events at `seqs` not read yet that `keep` accepts, judged on the stored envelope (its type
    /// and date) so that the payloads of the others are never decoded. The envelopes are fetched a slice at a
    /// time, so a long list does not hold them all at once. (An entry carried from an earlier stretch is
    /// judged on its own type and date.)
    mutating func load(
        seqs: [UInt64], keepingEnvelopes keep: (_ seq: UInt64, _ type: String, _ occurredAt: OccurredAt) -> Bool
    ) throws {
        var wanted = seqs.filter { $0 <= through && entries[$0] == nil }
        if let carried {
            wanted.removeAll { seq in
                if let entry = carried.entry(at: seq) {
                    if keep(seq, entry.event.typeName, entry.occurredAt) { entries[seq] = entry }
                    return true
                }
                guard let envelope = carried.envelope(at: seq) else { return false }
                return !keep(seq, envelope.type, envelope.occurredAt)  // passed over again, or read below
            }
        }
        var start = 0
        while start < wanted.count {
            let slice = Array(wanted[start..<min(start + 4_096, wanted.count)])
            start += slice.count
            let events = try view.events(at: slice)
            for seq in slice {
                guard let event = events[seq] else {
                    throw EventLogError.corruptRecord(seq: seq, reason: "tags index names a missing event")
                }
                let occurredAt = OccurredAt(event.occurredAt)
                if keep(seq, event.type, occurredAt) {
                    entries[seq] = try decoded(event)
                } else {
                    carried?.keepEnvelope(type: event.type, occurredAt: occurredAt, at: seq)
                }
            }
        }
    }

    /// Reads the events at `seqs` not read yet that `keep` accepts, judged on the whole stored event (for a
    /// reader that needs more of its envelope than its type and date, as ``RegisterScope`` its `recordedAt`).
    mutating func load(seqs: [UInt64], keeping keep: (RecordedEvent) -> Bool) throws {
        let wanted = seqs.filter { $0 <= through && entries[$0] == nil }
        var start = 0
        while start < wanted.count {
            let slice = Array(wanted[start..<min(start + 4_096, wanted.count)])
            start += slice.count
            let events = try view.events(at: slice)
            for seq in slice {
                guard let event = events[seq] else {
                    throw EventLogError.corruptRecord(seq: seq, reason: "tags index names a missing event")
                }
                if keep(event) { entries[seq] = try decoded(event) }
            }
        }
    }

    /// Reads the event with `id`, if it is stored at or before `through`.
    mutating func load(id: UUID) throws -> TimelineEntry? {
        guard let event = try view.event(id: id), event.seq <= through else { return nil }
        if let entry = entries[event.seq] ?? carried?.entry(at: event.seq) {
            entries[event.seq] = entry
            return entry
        }
        let entry = try decoded(event)
        entries[event.seq] = entry
        return entry
    }

    /// Reads the retractions of everything read so far.
    mutating func loadRetractions() throws {
        try load(tags: entries.values.map { EventTag.retractionOf($0.id) })
    }

    /// What has been read, in log order.
    var inLogOrder: [TimelineEntry] { entries.sorted { $0.key < $1.key }.map(\.value) }
}
