public import Foundation

/// One member's holding of one role, from `RoleAssigned` until `RoleEnded` or the day
/// they leave the collaborative.
public struct RoleTenure: Equatable, Sendable {
    /// How a tenure ended.
    public enum Ending: Equatable, Sendable {
        /// By a `RoleEnded` event (also when it is dated on the day the holder left).
        case roleEnded
        /// Implicitly, because the holder left the collaborative.
        case leftCollaborative
    }

    /// The collaborative the role is in.
    public let collaborative: Slug
    /// The role.
    public let role: Role
    /// The sub-group, for `subgroup-lead`.
    public let subgroup: Slug?
    /// The holder.
    public let member: Slug
    /// How they were appointed.
    public let appointment: Appointment
    /// Whom they succeeded, if recorded.
    public let succeeds: Slug?
    /// The id of the `RoleAssigned` event.
    public let assignedBy: UUID
    /// The days held: `[assigned, ended)`.
    public internal(set) var interval: DayInterval
    /// How it ended; `nil` while held.
    public internal(set) var ending: Ending?

    /// Whether the tenure is held on `day`.
    public func isHeld(on day: Day) -> Bool { interval.contains(day) }

    /// Identity of the relationship: a member can hold the same role in the same place
    /// only once at a time.
    var key: TenureKey {
        TenureKey(collaborative: collaborative, role: role, subgroup: subgroup, member: member)
    }
}

/// Identifies a role held by one member in one collaborative (and sub-group).
struct TenureKey: Hashable, Sendable {
    let collaborative: Slug
    let role: Role
    let subgroup: Slug?
    let member: Slug

    /// `anchor` or `subgroup-lead of transitions`, for messages.
    var roleDescription: String {
        subgroup.map { "\(role.rawValue) of sub-group \($0)" } ?? role.rawValue
    }
}

/// Identifies one member's relationship with one collaborative or sub-group.
struct MembershipKey: Hashable, Sendable {
    let member: Slug
    let group: Slug
}
