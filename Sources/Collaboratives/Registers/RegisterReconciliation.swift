internal import EventLog
public import Foundation

/// A stored event a register's event was set against.
public struct RegisterStoredEvent: Equatable, Sendable {
    /// Its id.
    public let id: UUID
    /// Its position in the log.
    public let seq: UInt64
    /// When it happened, as stored.
    public let occurredAt: OccurredAt
}

/// The retraction that set a stored event aside.
public struct RegisterRetraction: Equatable, Sendable {
    /// The retraction's id.
    public let id: UUID
    /// Its position in the log.
    public let seq: UInt64
    /// The day it is dated (`retract --on`, else the day it was recorded).
    public let occurredAt: OccurredAt
    /// Why.
    public let reason: String
}

/// One field in which a register's event differs from the stored event it stands for.
public struct RegisterDifference: Equatable, Sendable {
    /// The field as named in EVENTS.md (`attendees`, `title`), or `occurredAt` for the date.
    public let field: String
    /// A plain field's stored value, as text; `nil` when absent (or when ``isList``).
    public let stored: String?
    /// A plain field's value in the register, as text; `nil` when absent (or when ``isList``).
    public let register: String?
    /// Whether the field is a list (`attendees`, `collaboratives`): then ``added`` and ``removed`` say how.
    public let isList: Bool
    /// The values the register adds to a list field, in row order.
    public let added: [String]
    /// The values the register no longer has.
    public let removed: [String]
    /// The register's lines the difference comes from (an added attendee's row, else the event's rows).
    public let lines: [Int]
}

/// What a register's event is, set against the stored history.
public enum RegisterEventStatus: Sendable {
    /// Not stored: it is appended (in a dry run, it would be).
    case new
    /// Stored with the same content (the current event, after any corrections): skipped.
    case stored(RegisterStoredEvent)
    /// Differs from the stored event it stands for, which is retracted and replaced by this one (with several
    /// events for one stored event when an earlier build merged their rows into one session).
    case corrected(RegisterStoredEvent, differences: [RegisterDifference])
    /// Stored once and retracted since, with no replacement: skipped (importing does not undo a retraction).
    case retracted(RegisterStoredEvent, by: RegisterRetraction)
}

/// A stored event the register changes, and the register's event(s) that would replace it.
public struct RegisterChange: Sendable {
    /// The stored event as it stands (after any earlier corrections).
    public let stored: RegisterStoredEvent
    /// The register's events that replace it: one, or several when an earlier build merged their rows.
    public let events: [RegisterPlan.Event]
    /// Field by field what differs, when one event replaces one (empty for several).
    public let differences: [RegisterDifference]
}

/// A register that changes stored events, offered without ``RegisterCorrections/apply(reason:)``: nothing is
/// written, and every change is listed.
public struct RegisterChanges: Error, Sendable, CustomStringConvertible {
    /// Every change, in the order of the register's events.
    public let changes: [RegisterChange]

    /// One change per `; `-separated part.
    public var description: String {
        changes.map { change in
            let label = change.events.map(\.label).joined(separator: ", ")
            return "\(label) differs from the stored event \(change.stored.id.lowercased) (seq \(change.stored.seq))"
        }.joined(separator: "; ")
    }
}

/// What to do with a register's events that differ from the stored ones.
public enum RegisterCorrections: Sendable {
    /// Refuse the import, listing them (``RegisterChanges``).
    case refuse
    /// Record each correction in the import's batch: the stored event's retraction, for `reason`, and the
    /// register's event.
    case apply(reason: String)
}

/// The register's events set against the stored history: which are new, already stored, changed or
/// retracted.
///
/// A register's event stands for the stored event that is current for it: the visible `WorkshopHeld` of
/// the same workshop slug (slugs are unique, so a workshop corrected or recorded by hand is found too), when
/// it is on the same day or the slug came from a register (its date was changed in the sheet); else the event stored under its derived id, followed through corrections; else, for a coaching session,
/// the event stored under the id the previous scheme derived (``RegisterEventID``), when it has the same
/// advisor. A correction is found as `chronicle correct` (and `import register --apply-corrections`) write
/// it: the retraction followed, in the same batch, by the replacement (``CorrectionLink``).
///
/// Content is compared as a person reads the sheet: the date and every field the register supplies (a column
/// or a fixed value in the mapping, and the attendees), the order of attendees and of collaboratives aside. A
/// stored optional field the register has no place for (a workshop's title or guests, a session's sub-group
/// or minutes) is no difference, and a correction carries it into the replacement (``carried(into:from:)``).
struct RegisterReconciliation {
    private let byID: [UUID: TimelineEntry]
    private let bySeq: [UInt64: (entry: TimelineEntry, recordedAt: Timestamp)]
    private let retractions: [UUID: TimelineEntry]
    private let workshops: [Slug: TimelineEntry]
    /// The slugs of workshops imported from a register (under their derived id), corrected since or not.
    private let registerWorkshops: Set<Slug>
    /// The event fields the register supplies (``RegisterMapping/suppliedEventFields``).
    private let supplied: Set<String>

    /// Indexes the stored events (in log order, retracted ones and retractions included); `supplied` names
    /// the event fields the register gives values to.
    init(stored: [(entry: TimelineEntry, recordedAt: Timestamp)], supplied: Set<String>) {
        self.supplied = supplied
        var byID: [UUID: TimelineEntry] = [:]
        var bySeq: [UInt64: (entry: TimelineEntry, recordedAt: Timestamp)] = [:]
        var retractions: [UUID: TimelineEntry] = [:]
        for item in stored {
            byID[item.entry.id] = item.entry
            if let seq = item.entry.seq { bySeq[seq] = item }
            if case .eventRetracted(let retraction) = item.entry.event, retractions[retraction.event] == nil {
                retractions[retraction.event] = item.entry
            }
        }
        var workshops: [Slug: TimelineEntry] = [:]
        var registerWorkshops: Set<Slug> = []
        for item in stored {
            guard case .workshopHeld(let workshop) = item.entry.event else { continue }
            if retractions[item.entry.id] == nil { workshops[workshop.workshop] = item.entry }
            let key = RegisterEventID.workshopKey(workshop.workshop, on: item.entry.occurredAt.localDay)
            if item.entry.id == RegisterEventID.id(forKey: key) { registerWorkshops.insert(workshop.workshop) }
        }
        self.registerWorkshops = registerWorkshops
        self.byID = byID
        self.bySeq = bySeq
        self.retractions = retractions
        self.workshops = workshops
    }

    /// How many stored events it was given.
    var eventsRead: Int { byID.count }

    /// Whether an event with `id` is stored (retracted or not).
    func isStored(_ id: UUID) -> Bool { byID[id] != nil }

    /// The status of each of `plan`'s events, in its order.
    func statuses(of plan: RegisterPlan) -> [RegisterEventStatus] {
        var statuses: [RegisterEventStatus?] = plan.events.map(ownStatus(of:))
        var byLegacyID: [UUID: [Int]] = [:]
        for (index, event) in plan.events.enumerated() where statuses[index] == nil {
            guard let legacyID = event.legacyID else { continue }
            byLegacyID[legacyID, default: []].append(index)
        }
        for (legacyID, indices) in byLegacyID {
            for (index, status) in legacyStatuses(of: indices.map { plan.events[$0] }, legacyID: legacyID) {
                statuses[indices[index]] = status
            }
        }
        return statuses.map { $0 ?? .new }
    }

    /// The changes among `statuses`, one per stored event, in the order of the plan's events.
    static func changes(of plan: RegisterPlan, statuses: [RegisterEventStatus]) -> [RegisterChange] {
        var changes: [RegisterChange] = []
        var position: [UUID: Int] = [:]
        for (event, status) in zip(plan.events, statuses) {
            guard case .corrected(let stored, let differences) = status else { continue }
            if let index = position[stored.id] {
                let change = changes[index]
                changes[index] = RegisterChange(stored: stored, events: change.events + [event], differences: [])
            } else {
                position[stored.id] = changes.count
                changes.append(RegisterChange(stored: stored, events: [event], differences: differences))
            }
        }
        return changes
    }

    // MARK: - Finding the stored event

    private enum Current {
        case visible(TimelineEntry)
        case retracted(TimelineEntry, by: TimelineEntry)
        case absent
    }

    /// The event stored under `id`, followed through its corrections.
    private func current(from id: UUID) -> Current {
        guard var entry = byID[id] else { return .absent }
        // A chain longer than the log is impossible; the bound only guards against a cycle.
        for _ in 0...bySeq.count {
            guard let retraction = retractions[entry.id] else { return .visible(entry) }
            guard let seq = retraction.seq, let next = bySeq[seq + 1], let nextSeq = next.entry.seq,
                let at = bySeq[seq]?.recordedAt,
                CorrectionLink.isReplacement(
                    (next.entry.event, next.entry.occurredAt, nextSeq, next.recordedAt),
                    of: (entry.event, entry.occurredAt), retraction: (seq, at))
            else { return .retracted(entry, by: retraction) }
            entry = next.entry
        }
        return .visible(entry)
    }

    /// The status found through the workshop's slug or the event's own id; `nil` when neither finds a
    /// stored event.
    private func ownStatus(of event: RegisterPlan.Event) -> RegisterEventStatus? {
        // A workshop recorded by hand under the slug on another day is another workshop: the slug rule refuses it.
        if case .workshopHeld(let workshop) = event.draft.event, let stored = workshops[workshop.workshop],
            stored.occurredAt.localDay == event.draft.occurredAt.localDay
                || registerWorkshops.contains(workshop.workshop)
        {
            return compared(stored, with: event)
        }
        switch current(from: event.draft.id) {
        case .visible(let stored): return compared(stored, with: event)
        case .retracted(let original, let retraction): return Self.retracted(original, by: retraction)
        case .absent: return nil
        }
    }

    /// The statuses of the events whose legacy id is `legacyID` (in the plan's order), by their position.
    private func legacyStatuses(of events: [RegisterPlan.Event], legacyID: UUID) -> [(Int, RegisterEventStatus)] {
        func advisor(_ event: DomainEvent) -> Slug? {
            if case .coachingSessionHeld(let session) = event { return session.advisor }
            return nil
        }
        let stored: TimelineEntry
        let retraction: TimelineEntry?
        switch current(from: legacyID) {
        case .absent: return []
        case .visible(let entry): (stored, retraction) = (entry, nil)
        case .retracted(let entry, let by): (stored, retraction) = (entry, by)
        }
        // Another advisor's session on that day is another session (the old scheme could not tell them apart).
        let candidates = events.indices.filter {
            advisor(events[$0].draft.event) != nil && advisor(events[$0].draft.event) == advisor(stored.event)
        }
        if let retraction { return candidates.map { ($0, Self.retracted(stored, by: retraction)) } }
        if let same = candidates.first(where: { Self.differences(stored, events[$0], supplied: supplied).isEmpty }) {
            return [(same, .stored(Self.reference(stored)))]
        }
        if candidates.count == 1 {
            return [(candidates[0], compared(stored, with: events[candidates[0]]))]
        }
        return candidates.map { ($0, .corrected(Self.reference(stored), differences: [])) }
    }

    /// `event`, replacing the stored event `storedID`, with the stored optional fields the register does not
    /// supply carried over, so that a correction keeps what only the store knew.
    func carried(into event: RegisterPlan.Event, from storedID: UUID) -> RegisterPlan.Event {
        guard let stored = byID[storedID]?.event else { return event }
        func kept<T>(_ field: String, _ new: T?, _ old: T?) -> T? { supplied.contains(field) ? new : old }
        switch (event.draft.event, stored) {
        case (.workshopHeld(let new), .workshopHeld(let old)):
            return event.with(
                event: .workshopHeld(
                    WorkshopHeld(
                        workshop: new.workshop, collaboratives: new.collaboratives, kind: new.kind, mode: new.mode,
                        title: kept("title", new.title, old.title), attendees: new.attendees,
                        guests: kept("guests", new.guests, old.guests))))
        case (.coachingSessionHeld(let new), .coachingSessionHeld(let old)):
            return event.with(
                event: .coachingSessionHeld(
                    CoachingSessionHeld(
                        collaborative: new.collaborative, subgroup: kept("subgroup", new.subgroup, old.subgroup),
                        kind: new.kind, advisor: new.advisor, attendees: new.attendees,
                        minutes: kept("minutes", new.minutes, old.minutes))))
        default:
            return event
        }
    }

    private static func reference(_ entry: TimelineEntry) -> RegisterStoredEvent {
        RegisterStoredEvent(id: entry.id, seq: entry.seq ?? 0, occurredAt: entry.occurredAt)
    }

    private static func retracted(_ entry: TimelineEntry, by retraction: TimelineEntry) -> RegisterEventStatus {
        var reason = ""
        if case .eventRetracted(let retracted) = retraction.event { reason = retracted.reason }
        return .retracted(
            reference(entry),
            by: RegisterRetraction(
                id: retraction.id, seq: retraction.seq ?? 0, occurredAt: retraction.occurredAt, reason: reason))
    }

    private func compared(_ stored: TimelineEntry, with event: RegisterPlan.Event) -> RegisterEventStatus {
        let differences = Self.differences(stored, event, supplied: supplied)
        return differences.isEmpty
            ? .stored(Self.reference(stored)) : .corrected(Self.reference(stored), differences: differences)
    }

    // MARK: - Comparing

    /// Field by field what `event` changes in `stored`: the date, then the fields in EVENTS.md's order.
    static func differences(_ stored: TimelineEntry, _ event: RegisterPlan.Event, supplied: Set<String>)
        -> [RegisterDifference]
    {
        var differences: [RegisterDifference] = []
        if stored.occurredAt != event.draft.occurredAt {
            differences.append(
                RegisterDifference(
                    field: "occurredAt", stored: stored.occurredAt.canonicalText,
                    register: event.draft.occurredAt.canonicalText, isList: false, added: [], removed: [],
                    lines: event.lines))
        }
        guard stored.event.typeName == event.draft.event.typeName,
            case .object(let old) = EventCodec.dataValue(of: stored.event),
            case .object(let new) = EventCodec.dataValue(of: event.draft.event)
        else {
            return differences + [
                RegisterDifference(
                    field: "type", stored: stored.event.typeName, register: event.draft.event.typeName,
                    isList: false, added: [], removed: [], lines: event.lines)
            ]
        }
        let order = type(of: event.draft.event.payload).fieldNames
        for field in order + Set(old.keys).union(new.keys).subtracting(order).sorted() where supplied.contains(field) {
            let before = old[field]
            let after = new[field]
            if case .array(let oldItems) = before ?? .array([]), case .array(let newItems) = after ?? .array([]) {
                let oldTexts = oldItems.map(text(of:))
                let newTexts = newItems.map(text(of:))
                let added = newTexts.filter { !oldTexts.contains($0) }
                let removed = oldTexts.filter { !newTexts.contains($0) }
                guard !added.isEmpty || !removed.isEmpty else { continue }
                let lines = added.compactMap { Slug($0).flatMap { event.attendeeSources[$0]?.line } }
                differences.append(
                    RegisterDifference(
                        field: field, stored: nil, register: nil, isList: true, added: added, removed: removed,
                        lines: lines.isEmpty || field != "attendees" ? event.lines : lines.sorted()))
            } else if before != after {
                differences.append(
                    RegisterDifference(
                        field: field, stored: before.map(text(of:)), register: after.map(text(of:)), isList: false,
                        added: [], removed: [], lines: event.lines))
            }
        }
        return differences
    }

    private static func text(of value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .integer(let number): String(number)
        default: String(decoding: value.canonicalBytes, as: UTF8.self)
        }
    }
}
