public import EventLog
internal import Foundation

/// The present view: the state of every collaborative after every visible event (K = now, D = the latest
/// day), kept as a pure fold over the log so that it can be maintained one append at a time and checked
/// against a fold from scratch.
///
/// It answers "who is in, who holds what, where is each sub-group now" without reading the log: members
/// active with their sector, role slots with their holders, sub-groups with their status, and the totals
/// of workshops and coaching sessions (see ``PresentSummary``).
///
/// **Why it keeps per-relationship histories.** A late event (dated before events already folded) or a
/// retraction can change the present of one relationship only — one member in one collaborative, one
/// role slot holder, one sub-group — so the state keeps, per relationship, the few events that shaped it,
/// ordered on the timeline (Europe/London day, then ``OccurredAt/sortKey``, then `seq`, as ``Timeline``
/// orders them), and derives the present from them. Workshops and coaching sessions, the bulk of the
/// log, are only counted: a retraction brings its target with it (``RecordedEntry/retracted``) so the
/// count can be taken back. The state is therefore a function of the set of visible events, whatever
/// order they were folded in, and grows with the people and relationships, not with the log.
///
/// **No personal data.** Names are not kept, and an organisation is kept as the `seq` of the event that
/// set it, read back when the summary is shown (``PresentSummary``), so a checkpoint holds nothing that
/// erasure would have to reach.
///
/// It is what `replay --as-of D` shows for any D on or after the latest day in the log, as known now.
///
/// ```swift
/// var present = PresentView.empty
/// try reader.log.read { view in try reader.fold(&present, in: view) }   // or apply(_:) event by event
/// present.digest   // SHA-256 of the canonical encoding
/// ```
public struct PresentView: Equatable, Sendable {
    /// The name of its checkpoint in the store.
    public static let checkpointName = "present-view"

    /// The view of an empty log.
    public static let empty = PresentView()

    /// The last `seq` folded (0 when none).
    public internal(set) var lastSeq: UInt64 = 0
    /// That event's hash (the genesis hash when none).
    public internal(set) var lastHash: EventHash = .genesis
    /// Ids of the events retracted so far (a retraction may name an event not folded yet).
    var retractedIDs: Set<UUID> = []
    /// Per collaborative slug: its formations and its totals.
    var collaboratives: [Slug: CollaborativeRecord] = [:]
    /// Per (member, collaborative): the joins and leaves.
    var memberships: [MembershipKey: TimelineMarks<Bool>] = [:]
    /// Per member: the events that set their details, and their erasures.
    var members: [Slug: MemberRecord] = [:]
    /// Per (collaborative, role, sub-group, member): assignments (the appointment) and ends (`nil`).
    var roles: [TenureKey: TimelineMarks<Appointment?>] = [:]
    /// Per sub-group: its formations, status changes, milestones and new titles.
    var subgroups: [Slug: SubGroupRecord] = [:]

    /// How many events were retracted (by retractions folded so far).
    public var retractedCount: Int { retractedIDs.count }

    /// Folds one stored event, which must come right after ``lastSeq`` in the log (an event at or before
    /// ``lastSeq`` is ignored).
    ///
    /// - A retraction takes back the effect of its target when the target was folded before it (its
    ///   `seq` is lower), and in every case keeps the target out if it comes later; retracting a
    ///   retraction, or an event twice, changes nothing more (the rules forbid both).
    /// - Any other event is set aside when a retraction already named it, else recorded in the history of
    ///   the relationships it touches, at its place on the timeline.
    ///
    /// - Complexity: O(n) for the n events of the relationship touched (a handful: one member's joins and
    ///   leaves, one slot holder's assignments).
    public mutating func apply(_ recorded: RecordedEntry) {
        // Folding an event twice must not count it twice: the state is a function of the log's prefix.
        guard recorded.seq > lastSeq else { return }
        lastSeq = recorded.seq
        lastHash = recorded.hash
        let entry = recorded.entry
        if case .eventRetracted(let retraction) = entry.event {
            guard retractedIDs.insert(retraction.event).inserted else { return }
            guard let target = recorded.retracted, target.id == retraction.event, let targetSeq = target.seq,
                targetSeq < recorded.seq
            else { return }
            if case .eventRetracted = target.event { return }
            record(target, at: TimelinePosition(target, seq: targetSeq), adding: false)
            return
        }
        guard !retractedIDs.contains(entry.id) else { return }
        record(entry, at: TimelinePosition(entry, seq: recorded.seq), adding: true)
    }

    /// Adds an event's effect to the histories, or takes it back.
    private mutating func record(_ entry: TimelineEntry, at position: TimelinePosition, adding: Bool) {
        switch entry.event {
        case .collaborativeFormed(let formed):
            let mark = FormationMark(
                name: formed.name, anchorOrganisation: formed.anchorOrganisation,
                programmeStart: formed.programmeStart)
            Self.update(&collaboratives, formed.collaborative) { $0.formations.set(mark, at: position, adding) }
        case .memberJoined(let joined):
            let key = MembershipKey(member: joined.member, group: joined.collaborative)
            Self.update(&memberships, key) { $0.set(true, at: position, adding) }
            let mark = DetailsMark(
                isJoin: true, sector: joined.sector, setsOrganisation: joined.organisation != nil)
            Self.update(&members, joined.member) { $0.details.set(mark, at: position, adding) }
        case .memberLeft(let left):
            let key = MembershipKey(member: left.member, group: left.collaborative)
            Self.update(&memberships, key) { $0.set(false, at: position, adding) }
        case .memberDetailsChanged(let changed):
            let mark = DetailsMark(
                isJoin: false, sector: changed.sector, setsOrganisation: changed.organisation != nil)
            Self.update(&members, changed.member) { $0.details.set(mark, at: position, adding) }
        case .personalDataErased(let erased):
            Self.update(&members, erased.member) { $0.erasures.set(true, at: position, adding) }
        case .roleAssigned(let assigned):
            let key = TenureKey(
                collaborative: assigned.collaborative, role: assigned.role, subgroup: assigned.subgroup,
                member: assigned.member)
            Self.update(&roles, key) { $0.set(assigned.appointment, at: position, adding) }
        case .roleEnded(let ended):
            let key = TenureKey(
                collaborative: ended.collaborative, role: ended.role, subgroup: ended.subgroup, member: ended.member)
            Self.update(&roles, key) { $0.set(nil, at: position, adding) }
        case .subGroupFormed(let formed):
            let mark = SubGroupFormationMark(collaborative: formed.collaborative, title: formed.title)
            Self.update(&subgroups, formed.subgroup) { $0.formations.set(mark, at: position, adding) }
        case .subGroupStatusChanged(let change):
            Self.update(&subgroups, change.subgroup) { $0.statuses.set(change.status, at: position, adding) }
        case .milestoneReached(let milestone):
            Self.update(&subgroups, milestone.subgroup) { $0.milestones.set(true, at: position, adding) }
        case .subGroupRedefined(let redefined):
            guard let title = redefined.title else { return }
            Self.update(&subgroups, redefined.subgroup) { $0.titles.set(title, at: position, adding) }
        case .workshopHeld(let workshop):
            Self.forEachDistinct(workshop.collaboratives) { collaborative in
                Self.update(&collaboratives, collaborative) { $0.workshops += adding ? 1 : -1 }
            }
        case .coachingSessionHeld(let session):
            Self.update(&collaboratives, session.collaborative) { $0.coachingSessions += adding ? 1 : -1 }
        case .subGroupMemberJoined, .subGroupMemberLeft, .surveyWaveClosed, .eventRetracted:
            break
        }
    }

    /// Calls `body` with the key of every record that folding `entry` (or taking it back) changes: the keys
    /// ``record(_:at:adding:)`` updates, case for case. A reader that holds only some records (`status`, one
    /// collaborative at a time) folds the events after the checkpoint into these records alone.
    static func forEachKey(touchedBy entry: TimelineEntry, _ body: (PresentKey) -> Void) {
        switch entry.event {
        case .collaborativeFormed(let formed):
            body(.collaborative(formed.collaborative))
        case .memberJoined(let joined):
            body(.membership(MembershipKey(member: joined.member, group: joined.collaborative)))
            body(.member(joined.member))
        case .memberLeft(let left):
            body(.membership(MembershipKey(member: left.member, group: left.collaborative)))
        case .memberDetailsChanged(let changed):
            body(.member(changed.member))
        case .personalDataErased(let erased):
            body(.member(erased.member))
        case .roleAssigned(let assigned):
            body(
                .role(
                    TenureKey(
                        collaborative: assigned.collaborative, role: assigned.role, subgroup: assigned.subgroup,
                        member: assigned.member)))
        case .roleEnded(let ended):
            body(
                .role(
                    TenureKey(
                        collaborative: ended.collaborative, role: ended.role, subgroup: ended.subgroup,
                        member: ended.member)))
        case .subGroupFormed(let formed):
            body(.subgroup(formed.subgroup))
        case .subGroupStatusChanged(let change):
            body(.subgroup(change.subgroup))
        case .milestoneReached(let milestone):
            body(.subgroup(milestone.subgroup))
        case .subGroupRedefined(let redefined):
            body(.subgroup(redefined.subgroup))
        case .workshopHeld(let workshop):
            forEachDistinct(workshop.collaboratives) { body(.collaborative($0)) }
        case .coachingSessionHeld(let session):
            body(.collaborative(session.collaborative))
        case .subGroupMemberJoined, .subGroupMemberLeft, .surveyWaveClosed, .eventRetracted:
            break
        }
    }

    /// Changes one record, dropping it when it becomes empty, so that the state (and its encoding) depends
    /// only on the visible events, not on what was added and taken back.
    ///
    /// One look-up of `key`: the record is moved out of its slot (no copy of its histories), changed, and
    /// moved back unless it became empty, all while the dictionary's slot is held.
    private static func update<Key: Hashable, Record: PresentRecord>(
        _ records: inout [Key: Record], _ key: Key, _ change: (inout Record) -> Void
    ) {
        func replace(_ slot: inout Record?) {
            var record = slot.take() ?? Record()
            change(&record)
            if !record.isEmpty { slot = consume record }
        }
        replace(&records[key])
    }

    /// Calls `body` with each slug of `slugs` once, in their order: a workshop names one to a few
    /// collaboratives, which a scan of those before tells apart without building a `Set` for every workshop.
    static func forEachDistinct(_ slugs: [Slug], _ body: (Slug) -> Void) {
        for index in slugs.indices where !slugs[..<index].contains(slugs[index]) { body(slugs[index]) }
    }
}

/// One stored event as a projection folds it: its place in the log and, for a retraction, the event it
/// retracts as stored (so a fold can take back its effect without keeping every event).
///
/// ``EventDecoder/recordedEntry(of:in:)`` makes one from a stored event.
public struct RecordedEntry: Sendable {
    /// Its `seq`.
    public let seq: UInt64
    /// Its hash.
    public let hash: EventHash
    /// The event on the timeline (its `seq` set).
    public let entry: TimelineEntry
    /// For an `EventRetracted`, its target as stored (with its `seq`), or `nil` when no such event is stored.
    public let retracted: TimelineEntry?

    /// Creates an entry; `entry.seq` is replaced by `seq`. An entry decoded with its `seq` (a rebuild's, every
    /// one) is kept as given, not made anew with a copy of its event.
    public init(seq: UInt64, hash: EventHash, entry: consuming TimelineEntry, retracted: TimelineEntry? = nil) {
        self.seq = seq
        self.hash = hash
        self.entry =
            entry.seq == seq
            ? entry : TimelineEntry(id: entry.id, seq: seq, occurredAt: entry.occurredAt, event: entry.event)
        self.retracted = retracted
    }
}
