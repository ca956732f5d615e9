/// The whole state of a collaborative on D, as it was known at K: its active members with their
/// details, its role slots and holders, its sub-groups, and the totals.
///
/// Definitions (issue 4): a membership is the half-open interval [joined, left), so a member who left
/// on D is gone on D; a member's details are those of their latest `MemberJoined` or
/// `MemberDetailsChanged` on or before D; `since` is the start of the membership interval containing D.
/// A sub-group's members are those in it and active in the collaborative on D.
///
/// ```swift
/// let view = try HistoryView.load(from: chronicle, asOf: day, knownAt: instant)
/// let state = ReplayReport.compute(view: view, collaborative: oldham)
/// state.members.map(\.member)
/// ```
public enum ReplayReport {
    /// Computes the state of `collaborative` on the view's D.
    ///
    /// - Complexity: O(E + M log E) for E visible events and M people who ever joined it.
    public static func compute(view: HistoryView, collaborative: Slug) -> ReplayResult {
        compute(view: view, collaborative: collaborative, ledger: SubGroupLedger(timeline: view.timeline))
    }

    static func compute(view: HistoryView, collaborative: Slug, ledger: SubGroupLedger) -> ReplayResult {
        let timeline = view.timeline
        let asOf = view.asOf
        var formed: CollaborativeFormed?
        var everJoined = Set<Slug>()
        for (_, entry) in timeline.datedEntries() {
            switch entry.event {
            case .collaborativeFormed(let event) where event.collaborative == collaborative: formed = event
            case .memberJoined(let event) where event.collaborative == collaborative: everJoined.insert(event.member)
            default: break
            }
        }
        let members = everJoined.sorted().compactMap { member -> ActiveMember? in
            guard
                let interval = timeline.membershipIntervals(of: member, in: collaborative).last(where: {
                    $0.contains(asOf)
                }),
                let details = timeline.details(of: member, on: asOf)
            else { return nil }
            // Erased now means erased at every knowledge time: the key is gone, and the organisation goes with it.
            let erased =
                timeline.isErased(member) || view.keys.isErased(member)
                || view.keys.reading(details.name, of: member) == .erased
            return ActiveMember(
                member: member, name: erased ? nil : view.keys.open(details.name, of: member), erased: erased,
                sector: details.sector, organisation: erased ? nil : view.keys.open(details.organisation, of: member),
                since: interval.start)
        }
        let roles = roleSlots(of: collaborative, in: timeline, on: asOf)
        let subgroups = ledger.records(of: collaborative).map { record in
            SubGroupSnapshot(
                subgroup: record.subgroup, title: record.title, formedOn: record.formedOn, status: record.status,
                statusSince: record.statusSince,
                leads: timeline.holders(of: .subgroupLead, subgroup: record.subgroup, in: collaborative, on: asOf)
                    .sorted(),
                members: record.members(on: asOf, in: timeline), lastMilestone: record.milestones.last)
        }
        let counts = ReplayCounts(
            members: members.count, sectors: Set(members.map(\.sector)).count, roleSlots: roles.count,
            vacantRoleSlots: roles.filter(\.isVacant).count, roleHolders: roles.map(\.holders.count).reduce(0, +),
            subgroups: subgroups.count, subgroupsByStatus: statusCounts(subgroups.map(\.status)))
        return ReplayResult(
            collaborative: collaborative, name: formed?.name ?? collaborative.rawValue,
            anchorOrganisation: formed?.anchorOrganisation ?? "",
            programmeStart: formed?.programmeStart ?? timeline.formationDay(ofCollaborative: collaborative) ?? asOf,
            formedOn: timeline.formationDay(ofCollaborative: collaborative) ?? asOf, members: members, roles: roles,
            subgroups: subgroups, counts: counts)
    }

    /// Every slot of the collaborative that has had a holder by D, with its holders on D.
    static func roleSlots(of collaborative: Slug, in timeline: Timeline, on day: Day) -> [RoleSlotHolders] {
        var holders: [RoleSlot: [RoleHolder]] = [:]
        for tenure in timeline.tenures(in: collaborative) {
            let slot = RoleSlot(of: tenure)
            var current = holders[slot] ?? []
            if tenure.isHeld(on: day) {
                current.append(
                    RoleHolder(member: tenure.member, appointment: tenure.appointment, since: tenure.interval.start))
            }
            holders[slot] = current
        }
        return holders.keys.sorted().map { slot in
            let sorted = (holders[slot] ?? []).sorted { ($0.since, $0.member) < ($1.since, $1.member) }
            return RoleSlotHolders(slot: slot, holders: sorted)
        }
    }

    /// Sub-groups by status, in catalog order, statuses with none left out.
    static func statusCounts(_ statuses: [SubGroupStatus]) -> [SubGroupStatusCount] {
        SubGroupStatus.allCases.compactMap { status in
            let count = statuses.filter { $0 == status }.count
            return count == 0 ? nil : SubGroupStatusCount(status: status, count: count)
        }
    }
}
