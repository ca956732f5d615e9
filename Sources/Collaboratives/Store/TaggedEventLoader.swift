internal import EventLog
internal import Foundation

/// Reads the events under some tags (``EventTag``), each once, up to a `seq`: the way a rule check or a
/// query of one collaborative reads only what concerns it.
struct TaggedEventLoader {
    let view: any LogView
    let chronicle: Chronicle
    /// The last `seq` to read.
    let through: UInt64
    /// What has been read, by `seq`.
    private(set) var entries: [UInt64: TimelineEntry] = [:]

    init(view: any LogView, chronicle: Chronicle, through: UInt64) {
        self.view = view
        self.chronicle = chronicle
        self.through = through
    }

    /// Reads the events tagged `tag`.
    mutating func load(tag: String) throws {
        for seq in try view.taggedSeqs(tag, through: through) where entries[seq] == nil {
            guard let event = try view.event(at: seq) else {
                throw EventLogError.corruptRecord(seq: seq, reason: "tags index names a missing event")
            }
            entries[seq] = try chronicle.entry(of: event)
        }
    }

    /// Reads the event with `id`, if it is stored at or before `through`.
    mutating func load(id: UUID) throws -> TimelineEntry? {
        guard let event = try view.event(id: id), event.seq <= through else { return nil }
        if let entry = entries[event.seq] { return entry }
        let entry = try chronicle.entry(of: event)
        entries[event.seq] = entry
        return entry
    }

    /// Reads the retractions of everything read so far.
    mutating func loadRetractions() throws {
        for id in entries.values.map(\.id) { try load(tag: EventTag.retractionOf(id)) }
    }

    /// What has been read, in log order.
    var inLogOrder: [TimelineEntry] { entries.sorted { $0.key < $1.key }.map(\.value) }
}
