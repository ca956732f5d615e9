extension DomainEvent {
    /// The stream (aggregate) this event belongs to, which the log versions separately.
    ///
    /// - `collaborative-<slug>`: `CollaborativeFormed`, `MemberJoined`, `MemberLeft`,
    ///   `RoleAssigned`, `RoleEnded`, `SubGroupFormed`, `CoachingSessionHeld`,
    ///   `SurveyWaveClosed` (each names its collaborative; `SubGroupFormed` is where a
    ///   sub-group is tied to its collaborative).
    /// - `member-<slug>`: `MemberDetailsChanged`, `PersonalDataErased` (a person spans
    ///   collaboratives, so their details live with them).
    /// - `subgroup-<slug>`: `SubGroupMemberJoined`, `SubGroupMemberLeft`,
    ///   `SubGroupRedefined`, `SubGroupStatusChanged`, `MilestoneReached` (these events do
    ///   not name the collaborative; the model knows it from `SubGroupFormed`).
    /// - `workshop-<slug>`: `WorkshopHeld` (a cross-locality workshop has several
    ///   collaboratives, so it is its own aggregate).
    /// - `retractions`: `EventRetracted`.
    public var stream: String {
        switch self {
        case .collaborativeFormed(let event): "collaborative-\(event.collaborative)"
        case .memberJoined(let event): "collaborative-\(event.collaborative)"
        case .memberLeft(let event): "collaborative-\(event.collaborative)"
        case .roleAssigned(let event): "collaborative-\(event.collaborative)"
        case .roleEnded(let event): "collaborative-\(event.collaborative)"
        case .subGroupFormed(let event): "collaborative-\(event.collaborative)"
        case .coachingSessionHeld(let event): "collaborative-\(event.collaborative)"
        case .surveyWaveClosed(let event): "collaborative-\(event.collaborative)"
        case .memberDetailsChanged(let event): "member-\(event.member)"
        case .personalDataErased(let event): "member-\(event.member)"
        case .subGroupMemberJoined(let event): "subgroup-\(event.subgroup)"
        case .subGroupMemberLeft(let event): "subgroup-\(event.subgroup)"
        case .subGroupRedefined(let event): "subgroup-\(event.subgroup)"
        case .subGroupStatusChanged(let event): "subgroup-\(event.subgroup)"
        case .milestoneReached(let event): "subgroup-\(event.subgroup)"
        case .workshopHeld(let event): "workshop-\(event.workshop)"
        case .eventRetracted: "retractions"
        }
    }
}
