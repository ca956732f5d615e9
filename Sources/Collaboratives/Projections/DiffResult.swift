public import EventLog
public import Foundation

/// What the entries recorded between K1 and K2 changed in the history as of D: what ``DiffReport`` computes.
public struct DiffResult: Equatable, Sendable {
    /// D.
    public let asOf: Day
    /// The events recorded in (K1, K2] that are visible at D: new events, and retractions of events
    /// that were visible at K1; by `seq`.
    public let recorded: [RecordedChange]
    /// Per collaborative formed by D at K1 or at K2, by slug: the state differences and headline figures.
    public let collaboratives: [CollaborativeDiff]
}

/// One event recorded in (K1, K2] that changes the view at D.
public struct RecordedChange: Equatable, Sendable {
    /// What the recording did.
    public enum Kind: String, Equatable, Sendable {
        /// A new event (a late entry, or the replacement of a correction).
        case added
        /// A retraction of an event visible at K1.
        case retracted
    }

    /// The kind.
    public let kind: Kind
    /// The `seq` of the new event or of the retraction.
    public let seq: UInt64
    /// When it was recorded.
    public let recordedAt: Timestamp
    /// The new event, or the event retracted.
    public let entry: TimelineEntry
    /// For a retraction: its id.
    public let retractionID: UUID?
    /// For a retraction: its reason.
    public let reason: String?
}

/// The differences in one collaborative's state on D between K1 and K2.
public struct CollaborativeDiff: Equatable, Sendable {
    /// The collaborative.
    public let collaborative: Slug
    /// Members added, removed or changed on D, by slug.
    public let members: [MemberChange]
    /// Role holders added, removed or changed on D, by slot then member.
    public let roleHolders: [RoleHolderChange]
    /// Sub-groups whose status on D differs, by slug.
    public let subgroupStatuses: [SubGroupStatusDifference]
    /// The headline figures at K1 (`nil` when the collaborative was not known then).
    public let before: HeadlineFigures?
    /// The headline figures at K2 (`nil` when it is no longer known, its formation retracted).
    public let after: HeadlineFigures?

    /// Whether anything differs.
    public var isEmpty: Bool {
        members.isEmpty && roleHolders.isEmpty && subgroupStatuses.isEmpty && before == after
    }
}

/// A member active on D at one K and not the other, or with other details.
public struct MemberChange: Equatable, Sendable {
    /// How the member differs.
    public enum Kind: String, Equatable, Sendable {
        /// Active on D at K2 only.
        case added
        /// Active on D at K1 only.
        case removed
        /// Active at both, with different details or membership start.
        case changed
    }

    /// The kind.
    public let kind: Kind
    /// The member.
    public let member: Slug
    /// As seen at K1.
    public let before: ActiveMember?
    /// As seen at K2.
    public let after: ActiveMember?
}

/// A holder of a slot on D at one K and not the other, or with another start or appointment.
public struct RoleHolderChange: Equatable, Sendable {
    /// The slot.
    public let slot: RoleSlot
    /// The member.
    public let member: Slug
    /// The holding at K1.
    public let before: RoleHolder?
    /// The holding at K2.
    public let after: RoleHolder?
}

/// A sub-group whose status on D differs between K1 and K2.
public struct SubGroupStatusDifference: Equatable, Sendable {
    /// The sub-group.
    public let subgroup: Slug
    /// Its status at K1 (`nil` when not known then).
    public let before: SubGroupStatus?
    /// The day that status was set.
    public let beforeSince: Day?
    /// Its status at K2 (`nil` when no longer known).
    public let after: SubGroupStatus?
    /// The day that status was set.
    public let afterSince: Day?
}

/// A collaborative's headline figures on D at one K.
public struct HeadlineFigures: Equatable, Sendable {
    /// Members active on D.
    public let activeMembers: Int
    /// Role slots that have had a holder by D.
    public let roleSlots: Int
    /// Of those, the slots nobody holds on D.
    public let vacantRoles: Int
    /// Sub-groups by status on D, in catalog order, statuses with none left out.
    public let subgroupsByStatus: [SubGroupStatusCount]
    /// Workshops held for the collaborative from its programme start to D.
    public let workshops: Int
    /// Their mean attendance rate (unweighted over workshops with a rate); `nil` when none has one.
    public let meanAttendanceRate: Double?
}

/// The inputs of a diff: the views at (D, K1) and (D, K2), and the events recorded between them.
public struct DiffInput: Sendable {
    /// The view at (D, K1).
    public let before: HistoryView
    /// The view at (D, K2).
    public let after: HistoryView
    /// The events with `seq` in (`before.lastSeq`, `after.lastSeq`], in `seq` order, whatever their date.
    public let recorded: [LoggedEntry]

    /// Creates the inputs; `recorded` must be the events between the two views' `lastSeq`.
    public init(before: HistoryView, after: HistoryView, recorded: [LoggedEntry]) {
        self.before = before
        self.after = after
        self.recorded = recorded
    }
}

/// A stored event on the timeline with its place in the log and its transaction time.
public struct LoggedEntry: Equatable, Sendable {
    /// Its `seq`.
    public let seq: UInt64
    /// When it was recorded.
    public let recordedAt: Timestamp
    /// The event.
    public let entry: TimelineEntry

    /// Creates a logged entry.
    public init(seq: UInt64, recordedAt: Timestamp, entry: TimelineEntry) {
        self.seq = seq
        self.recordedAt = recordedAt
        self.entry = entry
    }
}
