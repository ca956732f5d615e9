internal import EventLog
internal import Foundation

/// Reads the events under some tags (``EventTag``), each once, up to a `seq`: the way a rule check or a
/// query of one collaborative reads only what concerns it.
struct TaggedEventLoader {
    let view: any LogView
    let decoder: EventDecoder
    /// The last `seq` to read.
    let through: UInt64
    /// What has been read, by `seq`.
    private(set) var entries: [UInt64: TimelineEntry] = [:]

    init(view: any LogView, decoder: EventDecoder, through: UInt64) {
        self.view = view
        self.decoder = decoder
        self.through = through
    }

    /// Reads the events tagged `tag`.
    mutating func load(tag: String) throws { try load(tags: [tag]) }

    /// Reads the events tagged with any of `tags` not yet read, in one request for the tags and their events
    /// (``LogView/taggedEventsInPlace(forEach:through:skipping:_:)``: a store across a network is asked
    /// neither once per tag and event nor once for the tags, then again for the events). Each is decoded in
    /// place: its payload is not copied out first.
    ///
    /// A store may lend the events in any order (PostgreSQL: a statement's rows as its plan leaves them), so an
    /// event that is missing or does not decode is reported by its `seq` once every event has been met, the
    /// lowest first, as reading them in `seq` order reported it: the same damage is named alike on every
    /// backend and run.
    mutating func load(tags: some Sequence<String>) throws {
        let tags = Array(tags)
        guard !tags.isEmpty else { return }
        var failure: (seq: UInt64, error: any Error)?
        do {
            try view.taggedEventsInPlace(forEach: tags, through: through, skipping: Set(entries.keys)) { seq, event in
                do {
                    guard let event else {
                        throw EventLogError.corruptRecord(seq: seq, reason: "tags index names a missing event")
                    }
                    entries[seq] = try decoder.entry(inPlace: event)
                } catch {
                    if failure.map({ seq < $0.seq }) ?? true { failure = (seq, error) }
                }
            }
        } catch {
            // The store's own error for a record it could not lend: an event met before it failed first.
            throw failure?.error ?? error
        }
        if let failure { throw failure.error }
    }

    /// Reads the events at `seqs` not read yet that `keep` accepts, judged on the stored envelope (its type
    /// and date) read in place (``LogView/eventsInPlace(at:_:)``): an event passed over has neither its
    /// payload copied nor decoded. They are asked for a slice at a time, so that a store across a network
    /// is not asked once per event nor holds them all at once.
    mutating func load(seqs: [UInt64], keeping keep: (EventInPlace) -> Bool) throws {
        let wanted = seqs.filter { $0 <= through && entries[$0] == nil }
        var start = 0
        while start < wanted.count {
            let slice = Array(wanted[start..<min(start + 4_096, wanted.count)])
            start += slice.count
            try view.eventsInPlace(at: slice) { seq, event in
                guard let event else {
                    throw EventLogError.corruptRecord(seq: seq, reason: "tags index names a missing event")
                }
                if keep(event) { entries[seq] = try decoder.entry(inPlace: event) }
            }
        }
    }

    /// Reads the event with `id`, if it is stored at or before `through`.
    mutating func load(id: UUID) throws -> TimelineEntry? {
        guard let event = try view.event(id: id), event.seq <= through else { return nil }
        if let entry = entries[event.seq] { return entry }
        let entry = try decoder.entry(of: event)
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
