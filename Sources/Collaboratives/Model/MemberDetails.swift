/// A member's details on a given day: those of their latest `MemberJoined` or
/// `MemberDetailsChanged` on or before it (a field a change leaves out keeps its value).
public struct MemberDetails: Equatable, Sendable {
    /// Their name, if recorded and not erased (sealed as stored: open it with ``PersonalDataKeys``).
    public let name: PersonalText?
    /// Their sector.
    public let sector: Sector
    /// Their organisation, if recorded and not erased (sealed as stored since binary layout 2; open it with
    /// ``PersonalDataKeys``).
    public let organisation: PersonalText?

    /// Creates a member's details.
    public init(name: PersonalText?, sector: Sector, organisation: PersonalText?) {
        self.name = name
        self.sector = sector
        self.organisation = organisation
    }

    /// These details with the personal fields (name, organisation) removed.
    var erased: MemberDetails { MemberDetails(name: nil, sector: sector, organisation: nil) }
}
