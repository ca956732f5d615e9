/// The rules an append must pass (EVENTS.md, "Rules" and "Clarifications"), by short name.
public enum Rule: String, Sendable, CaseIterable {
    /// A referenced collaborative exists on the event's day (from its `CollaborativeFormed`).
    case collaborativeExists = "collaborative-exists"
    /// A referenced sub-group exists on the event's day (from its `SubGroupFormed`).
    case subgroupExists = "subgroup-exists"
    /// A referenced member exists on the event's day (from their first `MemberJoined`).
    case memberExists = "member-exists"
    /// A member joins a collaborative only while not active in it.
    case joinWhenNotActive = "join-when-not-active"
    /// A member leaves only while active, on or after the day they joined.
    case leaveWhenActive = "leave-when-active"
    /// Attendees, role holders and sub-group members are active members of the collaborative that day.
    case memberActive = "member-active"
    /// The coaching advisor is programme staff or holds an advisor role that day.
    case coachingAdvisor = "coaching-advisor"
    /// A role is ended only by its current holder.
    case roleEndedByHolder = "role-ended-by-holder"
    /// A role is not assigned again to its current holder.
    case roleNotReassigned = "role-not-reassigned"
    /// A `subgroup-lead` role names its sub-group.
    case subgroupLeadNeedsSubgroup = "subgroup-lead-needs-subgroup"
    /// A sub-group named by a role or coaching session belongs to that collaborative.
    case subgroupOfCollaborative = "subgroup-of-collaborative"
    /// A member joins a sub-group only when not in it.
    case subgroupJoinWhenNotMember = "subgroup-join-when-not-member"
    /// A member leaves a sub-group only when in it.
    case subgroupLeaveWhenMember = "subgroup-leave-when-member"
    /// Collaborative and sub-group slugs are unique; workshop slugs among events not retracted.
    case uniqueSlug = "unique-slug"
    /// `occurredAt` is not after today in Europe/London.
    case notInFuture = "not-in-future"
    /// `attendees` and `collaboratives` hold no duplicates.
    case noDuplicates = "no-duplicates"
    /// A workshop lists at least one collaborative.
    case collaborativesNotEmpty = "collaboratives-not-empty"
    /// A retraction names an event recorded before it.
    case retractionTargetExists = "retraction-target-exists"
    /// Retractions are final: a retraction is not retracted, and an event not twice.
    case retractionFinal = "retraction-final"
    /// An erasure of personal data is final: a member is erased once, the erasure is not retracted, and no
    /// personal data is recorded for them afterwards.
    case erasureFinal = "erasure-final"
    /// Every date an event carries (`occurredAt`, a collaborative's `programmeStart`) lies between
    /// ``Day/earliestAccepted`` and ``Day/latestAccepted``.
    case dateInRange = "date-in-range"
    /// A survey wave's `responded` is not more than its `invited`.
    case surveyCounts = "survey-counts"
    /// A collaborative closes each survey wave once, among events not retracted.
    case surveyWaveOnce = "survey-wave-once"
    /// A role holder does not succeed themself.
    case succeedsOther = "succeeds-other"
    /// Only a `subgroup-lead` role names a sub-group.
    case subgroupRole = "subgroup-role"
    /// A one-to-one coaching session has at most one attendee (none: offered, nobody came).
    case oneToOneAttendees = "one-to-one-attendees"
}

/// A broken rule, before it is tied to the entry that broke it.
struct RuleFailure: Equatable, Sendable {
    let rule: Rule
    let message: String
    /// A known slug close to the unknown one the entry names, when there is one.
    let suggestion: Slug?

    init(_ rule: Rule, _ message: String, suggestion: Slug? = nil) {
        self.rule = rule
        self.message = message
        self.suggestion = suggestion
    }
}
