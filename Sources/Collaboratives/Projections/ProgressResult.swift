/// The progress of one collaborative's sub-groups on D: what ``ProgressReport`` computes.
public struct ProgressResult: Equatable, Sendable {
    /// The collaborative.
    public let collaborative: Slug
    /// N: a sub-group with no change for at least this many days is stalled.
    public let stalledAfterDays: Int
    /// Its sub-groups formed by D, by slug.
    public let subgroups: [SubGroupProgress]
}

/// One sub-group's progress on D.
public struct SubGroupProgress: Equatable, Sendable {
    /// The sub-group.
    public let subgroup: Slug
    /// Its title on D.
    public let title: String
    /// The day it was formed.
    public let formedOn: Day
    /// Its status on D: that of the latest status change on or before D, `planned` from formation.
    public let status: SubGroupStatus
    /// The day that status was set (the formation day for the initial `planned`).
    public let statusSince: Day
    /// Every status change on or before D, in timeline order.
    public let statusChanges: [StatusChange]
    /// The milestones reached on or before D, in timeline order.
    public let milestones: [MilestoneRecord]
    /// The first day, on or before D, its status became `delivered` or `embedded`.
    public let deliveredOn: Day?
    /// Days from formation to ``deliveredOn``.
    public let daysToDelivery: Int?
    /// The sectors (catalog order) of its partners: members in the sub-group and active in the collaborative on D.
    public let partnerSectors: [Sector]
    /// How many partners it has on D.
    public let partners: Int
    /// Its redefinitions on or before D, in timeline order.
    public let redefinitions: [Redefinition]
    /// The last change on or before D: formation, a status change or a milestone (a redefinition is not one).
    public let lastChange: Day
    /// D minus ``lastChange``, in days.
    public let daysSinceLastChange: Int
    /// Whether it is stalled on D: its status is not delivered, embedded or closed, and
    /// ``daysSinceLastChange`` is at least N.
    public let isStalled: Bool
}

/// A sub-group's status changed.
public struct StatusChange: Equatable, Sendable {
    /// The day.
    public let day: Day
    /// The new status.
    public let status: SubGroupStatus
}

/// A sub-group's aim (and perhaps title) was redefined.
public struct Redefinition: Equatable, Sendable {
    /// The day.
    public let day: Day
    /// The new title, if it changed.
    public let title: String?
    /// The new aim.
    public let aim: String
    /// Why.
    public let reason: String
}
