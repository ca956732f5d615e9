internal import EventLog
internal import Foundation

/// The stored events through a `seq` that prime a rule model (those ``ModelEntries`` takes), in timeline order,
/// without holding them together: the envelopes are read once in place for each event's day, instant and
/// `seq` (24 bytes an event taken), sorted as ``Timeline`` orders its entries, and the events then read and
/// decoded a slice at a time in that order. ``RuleAudit/prime(retracting:inTimelineOrder:)`` builds the same
/// model from them as ``RuleAudit/prime(before:from:)`` builds from every entry at once, which held them all
/// (and ``Timeline`` a sorted copy): for an import into a large log, primed from the whole log before it,
/// more memory than the model itself.
struct StoredTimelineOrder {
    private struct Key: Comparable {
        let day: Int32
        let withoutAttendees: Bool
        let instant: Int64
        let seq: UInt64

        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.day, lhs.instant, lhs.seq) < (rhs.day, rhs.instant, rhs.seq) }
    }

    /// The events taken, in timeline order.
    private var keys: [Key] = []
    /// The events the stored retractions retract (whether taken or not).
    private(set) var retracted: Set<UUID> = []

    /// Reads the envelopes of the stored events through `seq` in `view`, taking those `filter` takes (every
    /// one when `all`); the retractions are decoded for their targets, and are not on the timeline.
    init(through seq: UInt64, taking filter: ModelEntries, all: Bool, in view: any LogView, decoder: EventDecoder)
        throws
    {
        try view.scanInPlace(from: 1) { event in
            guard event.seq <= seq else { return false }
            if event.type == EventRetracted.typeName {
                if case .eventRetracted(let retraction) = try decoder.entry(inPlace: event).event {
                    retracted.insert(retraction.event)
                }
                return true
            }
            let occurred = OccurredAt(event.occurredAt)
            let day = occurred.localDay
            let take = all ? .whole : filter.take(type: event.type, on: day)
            guard take != .passedOver else { return true }
            keys.append(
                Key(
                    day: day.daysSinceEpoch, withoutAttendees: take == .withoutAttendees, instant: occurred.sortKey,
                    seq: event.seq))
            return true
        }
        keys.sort()
    }

    /// Gives each event taken to `body`, decoded (a workshop that ``ModelEntries`` takes without its attendees
    /// without them), in timeline order: read `slice` (4,096) at a time, so that a store across a network is
    /// asked once per slice, not per event.
    func entries(
        in view: any LogView, decoder: EventDecoder, slice: Int = 4_096, _ body: (TimelineEntry) throws -> Void
    ) throws {
        var lean = decoder
        lean.keepsAttendees = false
        var start = 0
        while start < keys.count {
            let slice = keys[start..<min(start + max(slice, 1), keys.count)]
            start += slice.count
            var next = slice.startIndex
            try view.eventsInPlace(at: slice.map(\.seq)) { seq, event in
                guard let event else {
                    throw EventLogError.corruptRecord(seq: seq, reason: "the log names a missing event")
                }
                // Lent in the order asked (`eventsInPlace(at:)`'s promise), checked all the same.
                guard next < slice.endIndex, keys[next].seq == seq else {
                    throw EventLogError.corruptRecord(seq: seq, reason: "lent out of the order it was asked in")
                }
                let key = keys[next]
                next += 1
                try body(key.withoutAttendees ? lean.entry(inPlace: event) : decoder.entry(inPlace: event))
            }
        }
    }
}
