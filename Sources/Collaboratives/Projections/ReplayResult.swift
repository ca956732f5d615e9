/// The whole state of one collaborative on D, as known at K: what ``ReplayReport`` computes.
public struct ReplayResult: Equatable, Sendable {
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
    /// The members active on D, by slug.
    public let members: [ActiveMember]
    /// Every role slot that has had a holder by D (vacant ones included), in ``RoleSlot`` order.
    public let roles: [RoleSlotHolders]
    /// The sub-groups formed by D, by slug.
    public let subgroups: [SubGroupSnapshot]
    /// The totals.
    public let counts: ReplayCounts
}

/// A member active on D, with their details on D.
public struct ActiveMember: Equatable, Sendable {
    /// The member.
    public let member: Slug
    /// Their name on D, readable (`nil` when never recorded or erased).
    public let name: String?
    /// Whether their personal data was erased (their name then reads as `nil`).
    public let erased: Bool
    /// Their sector on D.
    public let sector: Sector
    /// Their organisation on D (`nil` when never recorded or erased).
    public let organisation: String?
    /// The start of the membership interval that contains D (after a re-join, the re-join day).
    public let since: Day
}

/// A role slot: one role in one collaborative, and for `subgroup-lead` one sub-group.
///
/// Slots order by collaborative, then role in catalog order (anchor, advisor, subgroup-lead,
/// pcf-representative), then sub-group.
public struct RoleSlot: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The collaborative.
    public let collaborative: Slug
    /// The role.
    public let role: Role
    /// The sub-group, for `subgroup-lead`.
    public let subgroup: Slug?

    /// The slot a tenure belongs to.
    init(of tenure: RoleTenure) {
        self.init(collaborative: tenure.collaborative, role: tenure.role, subgroup: tenure.subgroup)
    }

    /// Creates a slot.
    init(collaborative: Slug, role: Role, subgroup: Slug?) {
        self.collaborative = collaborative
        self.role = role
        self.subgroup = subgroup
    }

    /// `anchor`, or `subgroup-lead of transitions`.
    public var description: String {
        subgroup.map { "\(role.rawValue) of \($0)" } ?? role.rawValue
    }

    /// Orders by collaborative, role (catalog order), then sub-group.
    public static func < (lhs: RoleSlot, rhs: RoleSlot) -> Bool {
        let left = (
            lhs.collaborative.rawValue, Role.allCases.firstIndex(of: lhs.role) ?? 0, lhs.subgroup?.rawValue ?? ""
        )
        let right = (
            rhs.collaborative.rawValue, Role.allCases.firstIndex(of: rhs.role) ?? 0, rhs.subgroup?.rawValue ?? ""
        )
        return left < right
    }
}

/// A role slot and who holds it on D.
public struct RoleSlotHolders: Equatable, Sendable {
    /// The slot.
    public let slot: RoleSlot
    /// Its holders on D, by start then member; empty when vacant.
    public let holders: [RoleHolder]

    /// Whether nobody holds the slot on D.
    public var isVacant: Bool { holders.isEmpty }
}

/// One holder of a role on D.
public struct RoleHolder: Equatable, Sendable {
    /// The member.
    public let member: Slug
    /// How they were appointed.
    public let appointment: Appointment
    /// The day their tenure started.
    public let since: Day
}

/// A sub-group on D.
public struct SubGroupSnapshot: Equatable, Sendable {
    /// The sub-group.
    public let subgroup: Slug
    /// Its title on D (the latest redefinition's, if it gave one).
    public let title: String
    /// The day it was formed.
    public let formedOn: Day
    /// Its status on D: that of the latest status change on or before D, `planned` from formation.
    public let status: SubGroupStatus
    /// The day that status was set (the formation day for the initial `planned`).
    public let statusSince: Day
    /// Its leads on D (holders of `subgroup-lead` for it), by slug.
    public let leads: [Slug]
    /// Its members on D: in the sub-group and active in the collaborative that day, by slug.
    public let members: [Slug]
    /// The latest milestone reached on or before D, if any.
    public let lastMilestone: MilestoneRecord?
}

/// A milestone a sub-group reached.
public struct MilestoneRecord: Equatable, Sendable {
    /// The day it was reached.
    public let day: Day
    /// Its kind.
    public let kind: MilestoneKind
    /// What was reached.
    public let title: String
}

/// How many sub-groups have one status.
public struct SubGroupStatusCount: Equatable, Sendable {
    /// The status.
    public let status: SubGroupStatus
    /// How many sub-groups have it.
    public let count: Int
}

/// A collaborative's totals on D.
public struct ReplayCounts: Equatable, Sendable {
    /// Members active on D.
    public let members: Int
    /// Distinct sectors among them.
    public let sectors: Int
    /// Role slots that have had a holder by D.
    public let roleSlots: Int
    /// Of those, the slots nobody holds on D.
    public let vacantRoleSlots: Int
    /// Role holdings on D (a member holding two slots counts twice).
    public let roleHolders: Int
    /// Sub-groups formed by D.
    public let subgroups: Int
    /// Sub-groups by status on D, in catalog order, statuses with none left out.
    public let subgroupsByStatus: [SubGroupStatusCount]
}
