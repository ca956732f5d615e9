extension DomainEvent {
    /// The collaboratives the event names directly (sub-group events name none: their collaborative is the
    /// one their sub-group was formed in).
    public var collaborativesNamed: [Slug] {
        switch self {
        case .collaborativeFormed(let event): [event.collaborative]
        case .memberJoined(let event): [event.collaborative]
        case .memberLeft(let event): [event.collaborative]
        case .roleAssigned(let event): [event.collaborative]
        case .roleEnded(let event): [event.collaborative]
        case .subGroupFormed(let event): [event.collaborative]
        case .coachingSessionHeld(let event): [event.collaborative]
        case .surveyWaveClosed(let event): [event.collaborative]
        case .workshopHeld(let event): event.collaboratives
        case .memberDetailsChanged, .personalDataErased, .subGroupMemberJoined, .subGroupMemberLeft,
            .subGroupRedefined, .subGroupStatusChanged, .milestoneReached, .eventRetracted:
            []
        }
    }

    /// The members the event names (holders, attendees, advisors, predecessors).
    public var membersNamed: [Slug] {
        switch self {
        case .memberJoined(let event): [event.member]
        case .memberLeft(let event): [event.member]
        case .memberDetailsChanged(let event): [event.member]
        case .personalDataErased(let event): [event.member]
        case .roleAssigned(let event): [event.member] + (event.succeeds.map { [$0] } ?? [])
        case .roleEnded(let event): [event.member]
        case .subGroupMemberJoined(let event): [event.member]
        case .subGroupMemberLeft(let event): [event.member]
        case .workshopHeld(let event): event.attendees
        case .coachingSessionHeld(let event): [event.advisor] + event.attendees
        case .collaborativeFormed, .subGroupFormed, .subGroupRedefined, .subGroupStatusChanged, .milestoneReached,
            .surveyWaveClosed, .eventRetracted:
            []
        }
    }

    /// The sub-group the event concerns, if any.
    public var subgroupNamed: Slug? {
        switch self {
        case .subGroupFormed(let event): event.subgroup
        case .subGroupMemberJoined(let event): event.subgroup
        case .subGroupMemberLeft(let event): event.subgroup
        case .subGroupRedefined(let event): event.subgroup
        case .subGroupStatusChanged(let event): event.subgroup
        case .milestoneReached(let event): event.subgroup
        case .roleAssigned(let event): event.subgroup
        case .roleEnded(let event): event.subgroup
        case .coachingSessionHeld(let event): event.subgroup
        default: nil
        }
    }
}

extension DomainEvent {
    /// The member whose memberships, details, tenures or sub-group memberships this event changes, if any:
    /// the member a rule about the event's place in that history is about.
    var memberWhoseStateChanges: Slug? {
        switch self {
        case .memberJoined(let event): event.member
        case .memberLeft(let event): event.member
        case .memberDetailsChanged(let event): event.member
        case .personalDataErased(let event): event.member
        case .roleAssigned(let event): event.member
        case .roleEnded(let event): event.member
        case .subGroupMemberJoined(let event): event.member
        case .subGroupMemberLeft(let event): event.member
        default: nil
        }
    }
}
