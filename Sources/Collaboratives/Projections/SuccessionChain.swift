/// The succession audit of one collaborative on D: what ``SuccessionAudit`` computes.
public struct SuccessionResult: Equatable, Sendable {
    /// The collaborative.
    public let collaborative: Slug
    /// A gap longer than this many days is flagged.
    public let longGapDays: Int
    /// One chain per role slot that has had a holder by D, in ``RoleSlot`` order.
    public let chains: [SuccessionChain]
    /// The periods in which a member held two or more slots at once (at least one of them in this
    /// collaborative; the others may be elsewhere), by member then start.
    public let concurrentHoldings: [ConcurrentHolding]
}

/// The holders of one role slot, in order, and what happened between them.
public struct SuccessionChain: Equatable, Sendable {
    /// The slot.
    public let slot: RoleSlot
    /// Its tenures, ordered by start, then member.
    public let tenures: [SuccessionTenure]
    /// Between each tenure and the next: `handovers[i]` goes from `tenures[i]` to `tenures[i + 1]`.
    public let handovers: [Handover]
    /// Whether nobody holds the slot on D.
    public let isVacant: Bool
    /// When vacant on D, the day the last tenure ended.
    public let vacantSince: Day?
    /// The flags raised anywhere in the chain, in ``SuccessionFlag`` order.
    public let flags: [SuccessionFlag]
}

/// One holder's tenure of a slot: `[start, end)`.
public struct SuccessionTenure: Equatable, Sendable {
    /// The holder.
    public let member: Slug
    /// How they were appointed.
    public let appointment: Appointment
    /// Whom `RoleAssigned` says they succeeded.
    public let succeeds: Slug?
    /// The holder of the tenure before this one in the chain, if any.
    public let previousHolder: Slug?
    /// Whether ``succeeds`` names someone who was not a previous holder: neither the previous tenure's
    /// holder, nor one holding the slot the day before this tenure started, nor the last to leave it
    /// before then (with no earlier holder at all, any name is wrong).
    public let succeedsSomeoneElse: Bool
    /// The day it started.
    public let start: Day
    /// The day it ended; `nil` while held on D.
    public let end: Day?
    /// Whether it ended because the holder left the collaborative (with no `RoleEnded` of its own).
    public let endedByLeaving: Bool
    /// The other slots, here or in other collaboratives, the holder held on some day of this tenure.
    public let concurrentSlots: [RoleSlot]
}

/// What happened between two consecutive tenures of a slot.
public struct Handover: Equatable, Sendable {
    /// How the next holder followed the previous one.
    public enum Kind: String, Equatable, Sendable {
        /// The next started after the previous ended: the slot stood empty (gap > 0).
        case vacancy
        /// The next started the day the previous ended (gap 0): no overlap, no vacancy.
        case withoutOverlap = "without-overlap"
        /// The next started before the previous ended, or while it was still held on D (gap < 0).
        case overlap
    }

    /// The previous holder.
    public let from: Slug
    /// The next holder.
    public let to: Slug
    /// The day the previous tenure ended; `nil` when it is still held on D.
    public let previousEnd: Day?
    /// The day the next tenure started.
    public let nextStart: Day
    /// Next start − previous end, in days: positive is a vacancy, negative an overlap; `nil` when the
    /// previous tenure is still held on D (an overlap still running).
    public let gapDays: Int?
    /// The kind.
    public let kind: Kind
    /// Whether the gap is longer than the audit's limit (30 days by default).
    public let isLongGap: Bool

    /// Whether nobody overlapped the next holder: every gap ≥ 0, a vacancy as well as a same-day
    /// handover, since in neither could the previous holder hand over in person.
    public var isWithoutOverlap: Bool { kind != .overlap }
}

/// A period in which one member held two or more slots at once.
public struct ConcurrentHolding: Equatable, Sendable {
    /// The member.
    public let member: Slug
    /// The slots held throughout the period, in ``RoleSlot`` order.
    public let slots: [RoleSlot]
    /// The first day of the period.
    public let from: Day
    /// The day after its last day; `nil` when it still runs on D.
    public let until: Day?
}

/// What the succession audit flags.
public enum SuccessionFlag: String, CaseIterable, Equatable, Sendable {
    /// Nobody holds the slot on D.
    case vacant
    /// A holder appointed themselves.
    case selfAppointed = "self-appointed"
    /// A holder was appointed as interim.
    case interim
    /// A handover with no overlap: a gap ≥ 0, the same-day handover (gap 0) and the vacancy alike.
    case handoverWithoutOverlap = "handover-without-overlap"
    /// A gap longer than the limit (30 days by default).
    case longGap = "long-gap"
    /// A tenure ended because its holder left the collaborative.
    case endedByLeaving = "ended-by-leaving"
    /// A `succeeds` naming someone who was not a previous holder.
    case succeedsSomeoneElse = "succeeds-someone-else"
    /// A holder held another slot at the same time.
    case concurrentHolding = "concurrent-holding"
}
