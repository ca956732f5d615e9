/// A member takes on a role in a collaborative.
///
/// Catalog type `RoleAssigned`, schema version 1; fields are named as in the catalog's `data`.
public struct RoleAssigned: Equatable, Sendable {
    /// The collaborative the role is in.
    public let collaborative: Slug
    /// The role.
    public let role: Role
    /// The sub-group led; required for `subgroup-lead`.
    public let subgroup: Slug?
    /// The new holder.
    public let member: Slug
    /// How they were appointed.
    public let appointment: Appointment
    /// The member they replace, if any.
    public let succeeds: Slug?

    /// Creates the event; optional fields default to absent.
    public init(
        collaborative: Slug,
        role: Role,
        subgroup: Slug? = nil,
        member: Slug,
        appointment: Appointment,
        succeeds: Slug? = nil
    ) {
        self.collaborative = collaborative
        self.role = role
        self.subgroup = subgroup
        self.member = member
        self.appointment = appointment
        self.succeeds = succeeds
    }
}

extension RoleAssigned: CatalogEvent {
    static let typeName = "RoleAssigned"
    static let fieldNames = ["collaborative", "role", "subgroup", "member", "appointment", "succeeds"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        let event = Self(
            collaborative: try fields.slug("collaborative"),
            role: try fields.value("role", as: Role.self),
            subgroup: try fields.optionalSlug("subgroup"),
            member: try fields.slug("member"),
            appointment: try fields.value("appointment", as: Appointment.self),
            succeeds: try fields.optionalSlug("succeeds")
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
        fields.set("appointment", appointment)
        fields.set("succeeds", succeeds)
    }
}
