/// One event of the catalog (EVENTS.md, version 1), with its payload.
///
/// ```swift
/// let event = DomainEvent.memberLeft(MemberLeft(collaborative: oldham, member: ol17, reason: .capacity))
/// event.typeName   // "MemberLeft"
/// event.stream     // "collaborative-oldham"
/// ```
public enum DomainEvent: Equatable, Sendable {
    /// `CollaborativeFormed`.
    case collaborativeFormed(CollaborativeFormed)
    /// `MemberJoined`.
    case memberJoined(MemberJoined)
    /// `MemberDetailsChanged`.
    case memberDetailsChanged(MemberDetailsChanged)
    /// `MemberLeft`.
    case memberLeft(MemberLeft)
    /// `RoleAssigned`.
    case roleAssigned(RoleAssigned)
    /// `RoleEnded`.
    case roleEnded(RoleEnded)
    /// `SubGroupFormed`.
    case subGroupFormed(SubGroupFormed)
    /// `SubGroupMemberJoined`.
    case subGroupMemberJoined(SubGroupMemberJoined)
    /// `SubGroupMemberLeft`.
    case subGroupMemberLeft(SubGroupMemberLeft)
    /// `SubGroupRedefined`.
    case subGroupRedefined(SubGroupRedefined)
    /// `SubGroupStatusChanged`.
    case subGroupStatusChanged(SubGroupStatusChanged)
    /// `MilestoneReached`.
    case milestoneReached(MilestoneReached)
    /// `WorkshopHeld`.
    case workshopHeld(WorkshopHeld)
    /// `CoachingSessionHeld`.
    case coachingSessionHeld(CoachingSessionHeld)
    /// `SurveyWaveClosed`.
    case surveyWaveClosed(SurveyWaveClosed)
    /// `EventRetracted`.
    case eventRetracted(EventRetracted)
    /// `PersonalDataErased`.
    case personalDataErased(PersonalDataErased)

    /// The newest schema version of every type; version 1 is the only one so far.
    public static let latestSchemaVersion = 1

    /// Every catalog type name, in catalog order.
    public static let typeNames: [String] = [
        CollaborativeFormed.typeName, MemberJoined.typeName, MemberDetailsChanged.typeName, MemberLeft.typeName,
        RoleAssigned.typeName, RoleEnded.typeName, SubGroupFormed.typeName, SubGroupMemberJoined.typeName,
        SubGroupMemberLeft.typeName, SubGroupRedefined.typeName, SubGroupStatusChanged.typeName,
        MilestoneReached.typeName, WorkshopHeld.typeName, CoachingSessionHeld.typeName, SurveyWaveClosed.typeName,
        EventRetracted.typeName, PersonalDataErased.typeName,
    ]

    /// The catalog's name of this event's type (`MemberJoined`).
    public var typeName: String { type(of: payload).typeName }

    /// The payload as the codec sees it.
    var payload: any CatalogEvent {
        switch self {
        case .collaborativeFormed(let event): event
        case .memberJoined(let event): event
        case .memberDetailsChanged(let event): event
        case .memberLeft(let event): event
        case .roleAssigned(let event): event
        case .roleEnded(let event): event
        case .subGroupFormed(let event): event
        case .subGroupMemberJoined(let event): event
        case .subGroupMemberLeft(let event): event
        case .subGroupRedefined(let event): event
        case .subGroupStatusChanged(let event): event
        case .milestoneReached(let event): event
        case .workshopHeld(let event): event
        case .coachingSessionHeld(let event): event
        case .surveyWaveClosed(let event): event
        case .eventRetracted(let event): event
        case .personalDataErased(let event): event
        }
    }
}
