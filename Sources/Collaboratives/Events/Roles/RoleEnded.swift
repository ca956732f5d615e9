/// A member's tenure of a role ends (explicitly; leaving the collaborative also ends it).
///
/// Catalog type `RoleEnded`, schema version 1; fields are named as in the catalog's `data`.
public struct RoleEnded: Equatable, Sendable {
    /// The collaborative the role is in.
    public let collaborative: Slug
    /// The role.
    public let role: Role
    /// The sub-group, for `subgroup-lead`.
    public let subgroup: Slug?
    /// The holder whose tenure ends.
    public let member: Slug
    /// Why it ended.
    public internal(set) var reason: PersonalText?

    /// Creates the event; optional fields default to absent.
    public init(collaborative: Slug, role: Role, subgroup: Slug? = nil, member: Slug, reason: PersonalText? = nil) {
        self.collaborative = collaborative
        self.role = role
        self.subgroup = subgroup
        self.member = member
        self.reason = reason
    }
}

extension RoleEnded: CatalogEvent {
    static let typeName = "RoleEnded"
    static let fieldNames = ["collaborative", "role", "subgroup", "member", "reason"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        let event = Self(
            collaborative: try fields.slug("collaborative"),
            role: try fields.value("role", as: Role.self),
            subgroup: try fields.optionalSlug("subgroup"),
            member: try fields.slug("member"),
            reason: try fields.optionalPersonalText("reason", maximum: FieldReader.longTextLimit)
        )
        if event.role == .subgroupLead, event.subgroup == nil {
            throw DomainError(
                .missingSubgroup, field: fields.fieldPath("subgroup"),
                message: "required when role is subgroup-lead")
        }
        self = event
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("collaborative", collaborative)
        fields.set("role", role)
        fields.set("subgroup", subgroup)
        fields.set("member", member)
        fields.set("reason", reason)
    }
}
