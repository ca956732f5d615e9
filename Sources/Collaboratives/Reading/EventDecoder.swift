public import EventLog
internal import Foundation

/// Turns stored events back into domain events: the codec with the readers of older schema versions.
///
/// The read side (projections, rule scopes, loaders, the present view) needs only this, never the writer
/// (``Chronicle``): a value, safe to hand to other threads.
///
/// ```swift
/// let decoder = EventDecoder()
/// let entries = try log.read { view in try decoder.storedTimeline(in: view) }
/// ```
public struct EventDecoder: Sendable {
    /// Readers of older schema versions.
    public let upcasters: UpcasterChain
    /// Whether workshops and coaching sessions keep their attendee lists. The present view counts them and
    /// never reads who attended, so its rebuild has each stored list checked (a damaged one is refused as
    /// always) but not made into `Slug`s: making them was the larger part of decoding a log.
    var keepsAttendees = true

    /// A decoder upcasting with `upcasters`.
    public init(upcasters: UpcasterChain = .empty) {
        self.upcasters = upcasters
    }

    /// The domain event of a stored one, upcast to the latest version.
    ///
    /// - Throws: ``EventLogError/corruptRecord(seq:reason:)`` when the payload does not decode.
    public func decode(_ event: RecordedEvent) throws -> DomainEvent {
        do {
            return try EventCodec.decode(
                type: event.type, schemaVersion: event.schemaVersion, storedPayload: event.payload,
                upcasters: upcasters, keepingAttendees: keepsAttendees)
        } catch {
            throw EventLogError.corruptRecord(seq: event.seq, reason: "payload does not decode: \(error)")
        }
    }

    /// The timeline entry of a stored event.
    public func entry(of event: RecordedEvent) throws -> TimelineEntry {
        TimelineEntry(
            id: event.id, seq: event.seq, occurredAt: OccurredAt(event.occurredAt), event: try decode(event))
    }

    /// The timeline entry of a stored event read in place (``LogView/eventsInPlace(at:_:)``): as
    /// ``entry(of:)``, the same errors included, decoded from the payload where the store keeps it.
    func entry(inPlace event: EventInPlace) throws -> TimelineEntry {
        let decoded: DomainEvent
        do {
            decoded = try EventCodec.decode(
                type: event.type, schemaVersion: event.schemaVersion, storedPayloadInPlace: event.payload,
                upcasters: upcasters, keepingAttendees: keepsAttendees)
        } catch {
            throw EventLogError.corruptRecord(seq: event.seq, reason: "payload does not decode: \(error)")
        }
        return TimelineEntry(id: event.id, seq: event.seq, occurredAt: OccurredAt(event.occurredAt), event: decoded)
    }

    /// Every stored event on the timeline (retracted ones and retractions included: the rules set them aside).
    public func storedTimeline(in view: any LogView) throws -> [TimelineEntry] {
        var entries: [TimelineEntry] = []
        try view.scan(from: 1, direction: .forward) { event in
            entries.append(try entry(of: event))
            return true
        }
        return entries
    }

    /// A stored event decoded for folding, with the target of a retraction read from `view`.
    public func recordedEntry(of event: RecordedEvent, in view: any LogView) throws -> RecordedEntry {
        try recordedEntry(of: event) { try view.event(id: $0) }
    }

    /// A stored event read in place (``LogView/scanInPlace(from:_:)``) decoded for folding, with the target of
    /// a retraction read from `view`: as ``recordedEntry(of:in:)``, the same errors included, without the
    /// ``RecordedEvent`` (its stream and author names, a copy of its payload) that a fold does not read.
    func recordedEntry(inPlace event: EventInPlace, in view: any LogView) throws -> RecordedEntry {
        let entry = try self.entry(inPlace: event)
        var target: TimelineEntry?
        if case .eventRetracted(let retraction) = entry.event, let stored = try view.event(id: retraction.event) {
            target = try self.entry(of: stored)
        }
        return RecordedEntry(seq: event.seq, hash: event.hash, entry: entry, retracted: target)
    }

    /// A stored event decoded for folding, with the target of a retraction found by `lookup`.
    func recordedEntry(of event: RecordedEvent, lookup: (UUID) throws -> RecordedEvent?) throws -> RecordedEntry {
        let entry = try self.entry(of: event)
        var target: TimelineEntry?
        if case .eventRetracted(let retraction) = entry.event, let stored = try lookup(retraction.event) {
            target = try self.entry(of: stored)
        }
        return RecordedEntry(seq: event.seq, hash: event.hash, entry: entry, retracted: target)
    }

    /// Calls `body` with the events of `view` after `first`, through `last`, decoded for folding.
    func forEachRecordedEntry(
        in view: any LogView, after first: UInt64, through last: UInt64 = .max, _ body: (RecordedEntry) throws -> Void
    ) throws {
        guard first < last else { return }
        try view.scan(from: first + 1, direction: .forward) { event in
            guard event.seq <= last else { return false }
            try body(try recordedEntry(of: event, in: view))
            return true
        }
    }
}
