import Foundation

/// The history of the Collaboratives as a timeline of valid time, answering "what
/// was true on day D": who was active where, members' details, roles, sub-groups.
///
/// Entries are ordered by the day they happened in Europe/London, then by
/// ``OccurredAt/sortKey`` (a whole day counts as its UTC midnight, so it precedes
/// timed events of that day), then by log position (`seq`), pending events last in
/// batch order. All relationships use half-open day intervals `[from, until)`.
/// Building costs O(n log n); every query is O(log n) or linear in one member's history.
///
/// ```swift
/// let timeline = Timeline(entries: entries)
/// timeline.isActive(ol17, in: oldham, on: Day(parsing: "2023-10-12")!)
/// ```
public struct Timeline: Sendable {
    /// Where a collaborative or sub-group was formed.
    struct Formation: Sendable {
        let day: Day
        let entryID: UUID
        /// For a sub-group, the collaborative it belongs to.
        let collaborative: Slug?
    }

    /// A member's details from a day on, as the join or details change that made it left them.
    ///
    /// The snapshot also says where its event lies on the timeline (its day and instant) and which fields it
    /// gave: what ``RuleAudit`` needs to place a late details change among a member's snapshots and derive the
    /// later ones again. Until session 16 the audit kept those apart, one list of steps a member in a
    /// dictionary of its own beside these (about 70 MB at 10M events), which these 9 bytes replace.
    struct DetailsSnapshot: Sendable {
        let day: Day
        /// The fields the join or details change gave (the others kept their values from before it).
        let fields: DetailsShaping.Fields
        /// The event's ``OccurredAt/sortKey``: with ``day``, its place on the timeline.
        let instant: Int64
        let details: MemberDetails

        init(day: Day, fields: DetailsShaping.Fields, instant: Int64, details: MemberDetails) {
            self.day = day
            self.fields = fields
            self.instant = instant
            self.details = details
        }

        /// The snapshot made by `entry`, a join or details change on `day`, giving `details`.
        init(_ entry: TimelineEntry, on day: Day, details: MemberDetails) {
            self.init(
                day: day, fields: DetailsShaping.Fields(of: entry.event) ?? [], instant: entry.occurredAt.sortKey,
                details: details)
        }
    }

    /// The entries, in timeline order (retracted events are the caller's to leave out).
    public internal(set) var entries: [TimelineEntry]
    /// For each ordered position, the entry's day in Europe/London (computed once: it needs the time zone).
    var localDays: [Day]
    /// For each ordered position, the index of the entry in the array given to `init`.
    var inputIndices: [Int]
    /// Problems met while replaying the entries in order, by ordered position.
    var issues: [Int: RuleFailure] = [:]
    /// When the entries are only those of some members (a scoped rule check), those members: rules about
    /// anyone else's memberships, details or tenures are not judged, since their history is incomplete.
    let memberScope: Set<Slug>?

    var collaboratives: [Slug: Formation] = [:]
    var subgroups: [Slug: Formation] = [:]
    var memberships: [MembershipKey: IntervalList] = [:]
    var subgroupMemberships: [MembershipKey: IntervalList] = [:]
    /// Each member's details from each of their joins and details changes that replayed, in timeline order.
    /// Its first snapshot is their first join's: a details change before any join does not replay (nor is
    /// one placed before it, ``RuleAudit``), which is why the day of each member's first join is not kept
    /// apart (a dictionary entry a member, 26 MB at 10M events before session 16): see ``firstJoinDay(of:)``.
    var detailsHistory: [Slug: [DetailsSnapshot]] = [:]
    var erasedMembers: Set<Slug> = []
    /// Every role tenure, in the order the tenures started.
    public internal(set) var roleTenures: [RoleTenure] = []
    var advisorTenures: [Slug: [Int]] = [:]

    /// Orders `entries` on the timeline and replays them into the model.
    ///
    /// The model is built leniently: an event that breaks a rule (a second join while
    /// active, say) is left out of the relationships, and ``RuleCheck`` reports it.
    public init(entries unordered: [TimelineEntry]) {
        self.init(entries: unordered, memberScope: nil)
    }

    /// Orders `entries` on the timeline and replays them, judging the rules about members only for those in
    /// `memberScope` (all of them when `nil`): for a rule check on the events of a few entities.
    init(entries unordered: [TimelineEntry], memberScope: Set<Slug>?) {
        var state = ReplayState()
        self.init(entries: unordered, memberScope: memberScope, state: &state)
    }

    /// ``init(entries:memberScope:)`` leaving in `state` what the replay tracked, so that entries ordered
    /// after all of these can be replayed onto the model later (``RuleAudit``).
    init(entries unordered: [TimelineEntry], memberScope: Set<Slug>?, state: inout ReplayState) {
        self.memberScope = memberScope
        let days = unordered.map(\.occurredAt.localDay)
        let keys = unordered.enumerated().map { index, entry in
            OrderKey(
                day: days[index].daysSinceEpoch, instant: entry.occurredAt.sortKey, seq: entry.seq ?? .max,
                index: index)
        }
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        self.entries = order.map { unordered[$0] }
        self.localDays = order.map { days[$0] }
        self.inputIndices = order
        state = ReplayState()
        for (position, entry) in entries.enumerated() {
            if let failure = replay(entry, on: localDays[position], state: &state),
                entry.event.memberWhoseStateChanges.map(judges) ?? true
            {
                issues[position] = failure
            }
        }
    }

    /// The sort key of an entry on the timeline.
    private struct OrderKey: Comparable {
        let day: Int32
        let instant: Int64
        let seq: UInt64
        let index: Int

        static func < (lhs: OrderKey, rhs: OrderKey) -> Bool {
            (lhs.day, lhs.instant, lhs.seq, lhs.index) < (rhs.day, rhs.instant, rhs.seq, rhs.index)
        }
    }
}

extension Timeline {
    /// Whether rules about `member`'s history are judged here (see ``memberScope``).
    func judges(_ member: Slug) -> Bool {
        memberScope?.contains(member) ?? true
    }

    /// The day a collaborative was formed, if it was.
    public func formationDay(ofCollaborative collaborative: Slug) -> Day? {
        collaboratives[collaborative]?.day
    }

    /// Whether the collaborative exists on `day` (it does from its formation day on).
    public func collaborativeExists(_ collaborative: Slug, on day: Day) -> Bool {
        formationDay(ofCollaborative: collaborative).map { $0 <= day } ?? false
    }

    /// Every collaborative ever formed, by slug.
    public var collaborativeSlugs: [Slug] { collaboratives.keys.sorted() }

    /// The day a sub-group was formed, if it was.
    public func formationDay(ofSubgroup subgroup: Slug) -> Day? {
        subgroups[subgroup]?.day
    }

    /// Whether the sub-group exists on `day` (it does from its formation day on).
    public func subgroupExists(_ subgroup: Slug, on day: Day) -> Bool {
        formationDay(ofSubgroup: subgroup).map { $0 <= day } ?? false
    }

    /// The collaborative a sub-group belongs to (named by its `SubGroupFormed`).
    public func collaborative(ofSubgroup subgroup: Slug) -> Slug? {
        subgroups[subgroup]?.collaborative
    }

    /// The sub-groups of a collaborative, by slug.
    public func subgroups(of collaborative: Slug) -> [Slug] {
        subgroups.filter { $0.value.collaborative == collaborative }.keys.sorted()
    }

    /// The day of a member's first `MemberJoined` anywhere, if any.
    public func firstJoinDay(of member: Slug) -> Day? {
        detailsHistory[member]?.first?.day
    }

    /// The day of each member's first `MemberJoined`, by member (built on each call: for listing members).
    var firstJoins: [Slug: Day] { detailsHistory.compactMapValues { $0.first?.day } }

    /// Whether the member exists on `day` (from their first `MemberJoined` on).
    public func memberExists(_ member: Slug, on day: Day) -> Bool {
        firstJoinDay(of: member).map { $0 <= day } ?? false
    }

    /// A member's membership intervals `[joined, left)` in a collaborative; re-joining opens a new one.
    public func membershipIntervals(of member: Slug, in collaborative: Slug) -> [DayInterval] {
        memberships[MembershipKey(member: member, group: collaborative)]?.intervals ?? []
    }

    /// Whether the member is active in the collaborative on `day` (joined on or before, not yet left).
    public func isActive(_ member: Slug, in collaborative: Slug, on day: Day) -> Bool {
        memberships[MembershipKey(member: member, group: collaborative)]?.contains(day) ?? false
    }

    /// A member's name, sector and organisation on `day`: those of the latest
    /// `MemberJoined` or `MemberDetailsChanged` on or before it; `nil` before they first joined.
    /// After `PersonalDataErased`, name and organisation are `nil` on every day.
    public func details(of member: Slug, on day: Day) -> MemberDetails? {
        guard let history = detailsHistory[member] else { return nil }
        let low = history.partitioningIndex { $0.day > day }
        guard low > 0 else { return nil }
        let details = history[low - 1].details
        return erasedMembers.contains(member) ? details.erased : details
    }

    /// Whether the member's personal data has been erased.
    public func isErased(_ member: Slug) -> Bool {
        erasedMembers.contains(member)
    }

    /// A member's intervals `[joined, left)` in a sub-group.
    public func subgroupMembershipIntervals(of member: Slug, in subgroup: Slug) -> [DayInterval] {
        subgroupMemberships[MembershipKey(member: member, group: subgroup)]?.intervals ?? []
    }

    /// Whether the member is in the sub-group on `day`.
    public func isInSubgroup(_ member: Slug, _ subgroup: Slug, on day: Day) -> Bool {
        subgroupMemberships[MembershipKey(member: member, group: subgroup)]?.contains(day) ?? false
    }

    /// The role tenures in a collaborative, in the order they started.
    public func tenures(in collaborative: Slug) -> [RoleTenure] {
        roleTenures.filter { $0.collaborative == collaborative }
    }

    /// Who holds `role` (for `subgroup`, when given) in the collaborative on `day`; several may.
    public func holders(of role: Role, subgroup: Slug? = nil, in collaborative: Slug, on day: Day) -> [Slug] {
        roleTenures.filter { tenure in
            tenure.collaborative == collaborative && tenure.role == role
                && (subgroup == nil || tenure.subgroup == subgroup) && tenure.isHeld(on: day)
        }.map(\.member)
    }

    /// Whether the member counts as an advisor on `day`: programme-staff sector, or
    /// holding an `advisor` role in any collaborative.
    public func isAdvisor(_ member: Slug, on day: Day) -> Bool {
        if details(of: member, on: day)?.sector == .programmeStaff { return true }
        return advisorTenures[member, default: []].contains { roleTenures[$0].isHeld(on: day) }
    }
}
