public import EventLog
internal import Foundation

/// The history as it was on a date, as it was known at a moment: the input of every report.
///
/// A view at (D, K) sees the events recorded at or before K (a prefix of the log, since `recordedAt`
/// never decreases), less those retracted by a retraction recorded at or before K, and of those the ones
/// that happened on or before D (Europe/London days). Every report states D, K, the last `seq` it saw and
/// that event's hash, so that a figure can be reproduced and cited.
///
/// ```swift
/// let view = try HistoryView.load(from: chronicle.reader, asOf: day, knownAt: instant)
/// view.timeline.isActive(member, in: oldham, on: day)
/// ```
public struct HistoryView: Sendable {
    /// D: the valid-time date the view is "as of".
    public let asOf: Day
    /// K: the transaction time the view is "as known at".
    public let knownAt: Timestamp
    /// The last `seq` recorded at or before K (0 when none).
    public let lastSeq: UInt64
    /// That event's hash (the genesis hash when none).
    public let lastHash: EventHash
    /// The visible events on the timeline, dated on or before D, retracted ones left out.
    public let timeline: Timeline
    /// How many events were recorded by K (before leaving out retracted and later-dated ones).
    public let eventsKnown: Int
    /// How many of them were retracted by K.
    public let eventsRetracted: Int
    /// The members' keys, read in the same snapshot, to open personal text for display.
    public let keys: PersonalDataKeys

    /// Creates a view from already selected entries (for tests and for callers with their own log).
    public init(
        asOf: Day, knownAt: Timestamp, lastSeq: UInt64, lastHash: EventHash, entries: [TimelineEntry],
        eventsKnown: Int, eventsRetracted: Int, keys: PersonalDataKeys = .none
    ) {
        self.keys = keys
        self.asOf = asOf
        self.knownAt = knownAt
        self.lastSeq = lastSeq
        self.lastHash = lastHash
        self.timeline = Timeline(entries: entries)
        self.eventsKnown = eventsKnown
        self.eventsRetracted = eventsRetracted
    }

    /// Reads the view at (`asOf`, `knownAt`) from the log, in one snapshot.
    ///
    /// - Complexity: one binary search for K, then one pass over the events recorded by K.
    public static func load(from reader: HistoryReader, asOf: Day, knownAt: Timestamp) throws -> HistoryView {
        try reader.log.read { view in try load(from: reader.decoder, in: view, asOf: asOf, knownAt: knownAt) }
    }

    /// ``load(from:asOf:knownAt:)`` on an open snapshot.
    static func load(from decoder: EventDecoder, in view: any LogView, asOf: Day, knownAt: Timestamp) throws
        -> HistoryView
    {
        let (lastSeq, lastHash) = try provenance(in: view, knownAt: knownAt)
        var recorded: [TimelineEntry] = []
        if lastSeq > 0 {
            try view.scan(from: 1, direction: .forward) { event in
                guard event.seq <= lastSeq else { return false }
                recorded.append(try decoder.entry(of: event))
                return true
            }
        }
        return HistoryView(
            asOf: asOf, knownAt: knownAt, lastSeq: lastSeq, lastHash: lastHash, recorded: recorded,
            keys: try PersonalDataKeys(view: view))
    }

    /// The last `seq` recorded at or before K, and its hash (the genesis hash when none).
    static func provenance(in view: any LogView, knownAt: Timestamp) throws -> (UInt64, EventHash) {
        let lastSeq = try view.lastSeq(recordedAtOrBefore: knownAt)
        return (lastSeq, try lastSeq == 0 ? EventHash.genesis : (view.event(at: lastSeq)?.hash ?? .genesis))
    }

    /// The view of `recorded` (events recorded by K, in log order, retractions included): the retracted
    /// events and the retractions left out, and of the rest those dated on or before D.
    init(
        asOf: Day, knownAt: Timestamp, lastSeq: UInt64, lastHash: EventHash, recorded: [TimelineEntry],
        keys: PersonalDataKeys
    ) {
        var entries: [TimelineEntry] = []
        var retracted = Set<UUID>()
        for entry in recorded {
            if case .eventRetracted(let retraction) = entry.event {
                retracted.insert(retraction.event)
            } else {
                entries.append(entry)
            }
        }
        self.init(
            asOf: asOf, knownAt: knownAt, lastSeq: lastSeq, lastHash: lastHash,
            entries: entries.filter { !retracted.contains($0.id) && $0.occurredAt.localDay <= asOf },
            eventsKnown: recorded.count, eventsRetracted: retracted.count, keys: keys)
    }

    /// The collaboratives formed on or before D, in slug order.
    public var collaboratives: [Slug] {
        timeline.collaborativeSlugs.filter { timeline.collaborativeExists($0, on: asOf) }
    }
}

extension HistoryView {
    /// A collaborative's `programmeStart`, from its `CollaborativeFormed` event.
    public func programmeStart(of collaborative: Slug) -> Day? {
        for entry in timeline.entries {
            if case .collaborativeFormed(let formed) = entry.event, formed.collaborative == collaborative {
                return formed.programmeStart
            }
        }
        return nil
    }
}
