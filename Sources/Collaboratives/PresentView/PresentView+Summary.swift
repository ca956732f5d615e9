public import EventLog

/// The present view as people read it: per collaborative, who is active, who holds what, where each
/// sub-group stands, and the totals. Made by ``PresentView/summary(organisation:)``.
public struct PresentSummary: Equatable, Sendable {
    /// The last `seq` folded (0 when none).
    public let lastSeq: UInt64
    /// That event's hash.
    public let lastHash: EventHash
    /// How many events were retracted.
    public let retracted: Int
    /// Every collaborative formed, by slug.
    public let collaboratives: [PresentCollaborative]
}

/// One collaborative now.
public struct PresentCollaborative: Equatable, Sendable {
    /// The collaborative.
    public let collaborative: Slug
    /// Its name, from `CollaborativeFormed`.
    public let name: String
    /// Its Anchor organisation.
    public let anchorOrganisation: String
    /// Its programme start.
    public let programmeStart: Day
    /// The day it was formed.
    public let formedOn: Day
    /// Its active members, by slug.
    public let members: [PresentMember]
    /// How many active members each sector has, in catalog order, sectors with none left out.
    public let membersBySector: [SectorCount]
    /// Every role slot that has had a holder, with its holders now (vacant ones included), in
    /// ``RoleSlot`` order.
    public let roles: [RoleSlotHolders]
    /// Its sub-groups, by slug.
    public let subgroups: [PresentSubGroup]
    /// Sub-groups by status, in catalog order, statuses with none left out.
    public let subgroupsByStatus: [SubGroupStatusCount]
    /// Workshops held for it (a cross-locality workshop counts once for each of its collaboratives).
    public let workshops: Int
    /// Coaching sessions held in it.
    public let coachingSessions: Int

    /// The role slots nobody holds now.
    public var vacantRoleSlots: [RoleSlot] { roles.filter(\.isVacant).map(\.slot) }
}

/// An active member now.
public struct PresentMember: Equatable, Sendable {
    /// The member.
    public let member: Slug
    /// Their sector, from their latest details.
    public let sector: Sector
    /// Their organisation, from their latest details (`nil` when never given or erased).
    public let organisation: String?
    /// Whether their personal data was erased.
    public let erased: Bool
    /// The start of their current membership (after a re-join, the re-join day).
    public let since: Day
}

/// How many members a sector has.
public struct SectorCount: Equatable, Sendable {
    /// The sector.
    public let sector: Sector
    /// How many.
    public let count: Int
}

/// A sub-group now.
public struct PresentSubGroup: Equatable, Sendable {
    /// The sub-group.
    public let subgroup: Slug
    /// Its title (the latest redefinition's, if one gave one).
    public let title: String
    /// The day it was formed.
    public let formedOn: Day
    /// Its status: the latest status change's, `planned` from formation.
    public let status: SubGroupStatus
    /// The day that status was set (the formation day for the initial `planned`).
    public let statusSince: Day
    /// The day of its last change: formation, status change or milestone (a redefinition is not one).
    public let lastChange: Day
    /// Milestones reached.
    public let milestones: Int
}

extension PresentView {
    /// The state as people read it.
    ///
    /// - Parameter organisation: reads the organisation given by the event at a `seq` (the view keeps
    ///   only that `seq`); not called for erased members.
    /// - Complexity: O(S) for S the size of the state, plus one `organisation` call per active member.
    public func summary(organisation: (UInt64) throws -> String?) rethrows -> PresentSummary {
        var membershipsByGroup: [Slug: [(Slug, TimelineMarks<Bool>)]] = [:]
        for (key, marks) in memberships { membershipsByGroup[key.group, default: []].append((key.member, marks)) }
        var rolesByCollaborative: [Slug: [(TenureKey, TimelineMarks<Appointment?>)]] = [:]
        for (key, marks) in roles { rolesByCollaborative[key.collaborative, default: []].append((key, marks)) }
        var subgroupsByCollaborative: [Slug: [PresentSubGroup]] = [:]
        for (slug, record) in subgroups {
            guard let formation = record.formations.first else { continue }
            subgroupsByCollaborative[formation.value.collaborative, default: []].append(
                Self.subgroup(slug, record, formation: formation))
        }
        var result: [PresentCollaborative] = []
        for slug in collaboratives.keys.sorted() {
            guard let record = collaboratives[slug], let formation = record.formations.first else { continue }
            var members: [PresentMember] = []
            for (member, marks) in membershipsByGroup[slug, default: []] {
                guard let opening = marks.openingOfTrailingRun({ $0 }),
                    let details = self.members[member], let latest = details.latest
                else { continue }
                let erased = !details.erasures.isEmpty
                members.append(
                    PresentMember(
                        member: member, sector: latest.sector,
                        organisation: erased ? nil : try latest.organisationSeq.flatMap(organisation),
                        erased: erased, since: opening.position.day))
            }
            members.sort { $0.member < $1.member }
            let subgroups = (subgroupsByCollaborative[slug] ?? []).sorted { $0.subgroup < $1.subgroup }
            result.append(
                PresentCollaborative(
                    collaborative: slug, name: formation.value.name,
                    anchorOrganisation: formation.value.anchorOrganisation,
                    programmeStart: formation.value.programmeStart, formedOn: formation.position.day,
                    members: members, membersBySector: Self.sectorCounts(members.map(\.sector)),
                    roles: roleSlots(rolesByCollaborative[slug] ?? [], in: slug), subgroups: subgroups,
                    subgroupsByStatus: ReplayReport.statusCounts(subgroups.map(\.status)),
                    workshops: Int(record.workshops), coachingSessions: Int(record.coachingSessions)))
        }
        return PresentSummary(
            lastSeq: lastSeq, lastHash: lastHash, retracted: retractedCount, collaboratives: result)
    }

    /// Every slot that has had a holder, with its holders now: a holding is open when the last role event
    /// of that member in that slot is an assignment and they have not left the collaborative since.
    private func roleSlots(
        _ keyed: [(TenureKey, TimelineMarks<Appointment?>)], in collaborative: Slug
    ) -> [RoleSlotHolders] {
        var holders: [RoleSlot: [RoleHolder]] = [:]
        for (key, marks) in keyed {
            let slot = RoleSlot(collaborative: key.collaborative, role: key.role, subgroup: key.subgroup)
            var current = holders[slot] ?? []
            if let opening = marks.openingOfTrailingRun({ $0 != nil }), let appointment = opening.value,
                !hasLeft(key.member, collaborative, after: opening.position)
            {
                current.append(RoleHolder(member: key.member, appointment: appointment, since: opening.position.day))
            }
            holders[slot] = current
        }
        return holders.keys.sorted().map { slot in
            let sorted = (holders[slot] ?? []).sorted { ($0.since, $0.member) < ($1.since, $1.member) }
            return RoleSlotHolders(slot: slot, holders: sorted)
        }
    }

    /// Whether the member left the collaborative after `position` on the timeline (leaving ends every role
    /// they hold there, and re-joining does not give it back).
    private func hasLeft(_ member: Slug, _ collaborative: Slug, after position: TimelinePosition) -> Bool {
        guard let marks = memberships[MembershipKey(member: member, group: collaborative)] else { return false }
        return marks.marks.contains { !$0.value && $0.position > position }
    }

    private static func subgroup(
        _ slug: Slug, _ record: SubGroupRecord, formation: TimelineMarks<SubGroupFormationMark>.Mark
    ) -> PresentSubGroup {
        let formedOn = formation.position.day
        let status = record.statuses.last
        let changes = [formation.position, status?.position, record.milestones.last?.position].compactMap { $0 }
        return PresentSubGroup(
            subgroup: slug, title: record.titles.last?.value ?? formation.value.title, formedOn: formedOn,
            status: status?.value ?? .planned, statusSince: status?.position.day ?? formedOn,
            lastChange: changes.max()?.day ?? formedOn, milestones: record.milestones.marks.count)
    }

    private static func sectorCounts(_ sectors: [Sector]) -> [SectorCount] {
        var counts: [Sector: Int] = [:]
        for sector in sectors { counts[sector, default: 0] += 1 }
        return Sector.allCases.compactMap { sector in counts[sector].map { SectorCount(sector: sector, count: $0) } }
    }
}
