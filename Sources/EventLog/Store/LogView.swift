public import Foundation

/// A consistent, read-only snapshot of the log, handed to closures by ``EventStore/read(_:)`` and to an
/// append's validation. It is valid only inside the closure that received it; do not keep it.
///
/// Scans call `body` in order until it returns `false`; they never load the log into memory.
public protocol LogView {
    /// The last event's position, hash and time.
    func head() throws -> LogHead
    /// The event at `seq`, or `nil`.
    func event(at seq: UInt64) throws -> RecordedEvent?
    /// The event with `id`, or `nil`.
    func event(id: UUID) throws -> RecordedEvent?
    /// The stream's current version, or `nil` when it has no events.
    func streamVersion(_ stream: String) throws -> UInt64?
    /// The greatest `seq` whose `recordedAt` ≤ `instant` (0 when none): a binary search, since transaction
    /// time never decreases along the log.
    func lastSeq(recordedAtOrBefore instant: Timestamp) throws -> UInt64
    /// The `seq` through which the tag index is complete (see ``NewEvent/tags``); equal to the head's
    /// `seq` unless a catch-up is due (``EventStore/catchUpTags(scheme:_:)``).
    func tagIndexPosition() throws -> UInt64
    /// The scheme the tag index was written with (see ``EventStore/catchUpTags(scheme:_:)``), if any.
    func tagScheme() throws -> String?
    /// The `seq`s of the events indexed under `tag`, ascending, up to `through` (inclusive).
    func taggedSeqs(_ tag: String, through seq: UInt64) throws -> [UInt64]
    /// Whether the event at `seq` is indexed under `tag`.
    func isTagged(_ seq: UInt64, with tag: String) throws -> Bool
    /// How many (tag, event) entries the tag index holds.
    func tagEntryCount() throws -> Int
    /// The position of a projection's checkpoint and the first `length` bytes of its state (fewer when the
    /// state is shorter), without reading the rest, or `nil`.
    func checkpointPrefix(named name: String, length: Int) throws -> (position: UInt64, prefix: [UInt8])?
    /// A projection's checkpoint, or `nil`.
    func checkpoint(named name: String) throws -> Checkpoint?
    /// The key stored for `subject` (see ``SubjectKey``), or `nil` when it has none or it was deleted.
    func subjectKey(_ subject: String) throws -> SubjectKey?
    /// Every stored subject key whose subject starts with `prefix`, by subject: for a query that needs
    /// several, read once.
    func subjectKeys(prefix: String) throws -> [String: SubjectKey]

    /// Events by `seq`, starting at `seq` (inclusive) and moving in `direction`.
    func scan(from seq: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool) throws
    /// Events by `seq`, forward from `seq` (inclusive), each lent in place (see ``EventInPlace``; the default
    /// reads them through ``scan(from:direction:_:)``).
    func scanInPlace(from seq: UInt64, _ body: (EventInPlace) throws -> Bool) throws
    /// A stream's events, starting at `version` (inclusive) and moving in `direction`.
    func scanStream(
        _ stream: String, from version: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool
    ) throws
    /// Events of one type, starting at `seq` (inclusive) and moving in `direction`.
    func scanType(
        _ type: String, from seq: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool
    ) throws
    /// Events by valid time: index position (`ValidTime.sortKey`, `seq`) in `[lower, upper]`, both inclusive,
    /// ordered by that position.
    func scanOccurred(
        from lower: OccurredPosition, through upper: OccurredPosition, direction: ReadDirection,
        _ body: (RecordedEvent) throws -> Bool
    ) throws

    /// The `seq`s under each of `tags` (as ``taggedSeqs(_:through:)``), by tag; a tag with none is absent.
    /// One request for many tags: a store across a network answers it in one round trip, not one per tag.
    func taggedSeqs(forEach tags: [String], through seq: UInt64) throws -> [String: [UInt64]]
    /// The events at `seqs`, by `seq`; a `seq` with no event is absent. One request for many events.
    func events(at seqs: [UInt64]) throws -> [UInt64: RecordedEvent]
    /// The events at `seqs`, each lent in place (see ``EventInPlace``) to `body` in the order given, with
    /// `nil` for a `seq` with no event: for a reader that judges most events on their envelope and decodes
    /// few (the default reads them through ``events(at:)``).
    func eventsInPlace(at seqs: [UInt64], _ body: (UInt64, EventInPlace?) throws -> Void) throws
    /// The events under any of `tags` up to `through` (inclusive), except those whose `seq` is in `known`,
    /// each lent in place to `body` once, with `nil` for a `seq` the tag index names but no event has: what
    /// ``taggedSeqs(forEach:through:)`` then ``eventsInPlace(at:_:)`` of the `seq`s not known give (the
    /// default), in one request for a store across a network, where those two were two round trips. The
    /// order of the calls is not promised.
    func taggedEventsInPlace(
        forEach tags: [String], through seq: UInt64, skipping known: Set<UInt64>,
        _ body: (UInt64, EventInPlace?) throws -> Void
    ) throws
    /// The keys stored for `subjects` (as ``subjectKey(_:)``), by subject; one with none is absent.
    func subjectKeys(for subjects: [String]) throws -> [String: SubjectKey]
    /// The events stored with `ids`, by id; an id with no event is absent. One request for many events.
    func events(ids: [UUID]) throws -> [UUID: RecordedEvent]
}

extension LogView {
    /// Asks ``taggedSeqs(_:through:)`` for each tag: right for a store in this process, where a lookup is
    /// cheap; a store across a network overrides it.
    public func taggedSeqs(forEach tags: [String], through seq: UInt64) throws -> [String: [UInt64]] {
        var found: [String: [UInt64]] = [:]
        for tag in tags where found[tag] == nil {
            let seqs = try taggedSeqs(tag, through: seq)
            if !seqs.isEmpty { found[tag] = seqs }
        }
        return found
    }

    /// Asks ``event(at:)`` for each `seq`.
    public func events(at seqs: [UInt64]) throws -> [UInt64: RecordedEvent] {
        var found: [UInt64: RecordedEvent] = [:]
        for seq in seqs where found[seq] == nil {
            if let event = try event(at: seq) { found[seq] = event }
        }
        return found
    }

    /// Asks ``event(id:)`` for each id.
    public func events(ids: [UUID]) throws -> [UUID: RecordedEvent] {
        var found: [UUID: RecordedEvent] = [:]
        for id in ids where found[id] == nil {
            if let event = try event(id: id) { found[id] = event }
        }
        return found
    }

    /// Asks ``subjectKey(_:)`` for each subject.
    public func subjectKeys(for subjects: [String]) throws -> [String: SubjectKey] {
        var found: [String: SubjectKey] = [:]
        for subject in subjects where found[subject] == nil {
            if let key = try subjectKey(subject) { found[subject] = key }
        }
        return found
    }
}

/// A position in the valid-time index: ``ValidTime/sortKey`` then `seq`.
public struct OccurredPosition: Hashable, Comparable, Sendable {
    /// Microseconds since the epoch (see ``ValidTime/sortKey``).
    public let sortKey: Int64
    /// The event's global position, breaking ties.
    public let seq: UInt64

    /// Creates a position.
    public init(sortKey: Int64, seq: UInt64) {
        self.sortKey = sortKey
        self.seq = seq
    }

    /// The first position at or after `sortKey`.
    public static func start(of sortKey: Int64) -> OccurredPosition { .init(sortKey: sortKey, seq: 0) }
    /// The last position at or before `sortKey`.
    public static func end(of sortKey: Int64) -> OccurredPosition { .init(sortKey: sortKey, seq: .max) }
    /// Before everything.
    public static let minimum = OccurredPosition(sortKey: .min, seq: 0)
    /// After everything.
    public static let maximum = OccurredPosition(sortKey: .max, seq: .max)

    public static func < (lhs: OccurredPosition, rhs: OccurredPosition) -> Bool {
        (lhs.sortKey, lhs.seq) < (rhs.sortKey, rhs.seq)
    }
}
