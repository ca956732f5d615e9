/// A member leaves a sub-group.
///
/// Catalog type `SubGroupMemberLeft`, schema version 1; fields are named as in the catalog's `data`.
public struct SubGroupMemberLeft: Equatable, Sendable {
    /// The sub-group.
    public let subgroup: Slug
    /// The person leaving.
    public let member: Slug
    /// Why.
    public internal(set) var reason: PersonalText?

    /// Creates the event; optional fields default to absent.
    public init(subgroup: Slug, member: Slug, reason: PersonalText? = nil) {
        self.subgroup = subgroup
        self.member = member
        self.reason = reason
    }
}

extension SubGroupMemberLeft: CatalogEvent {
    static let typeName = "SubGroupMemberLeft"
    static let fieldNames = ["subgroup", "member", "reason"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            subgroup: try fields.slug("subgroup"),
            member: try fields.slug("member"),
            reason: try fields.optionalPersonalText("reason", maximum: FieldReader.longTextLimit)
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("subgroup", subgroup)
        fields.set("member", member)
        fields.set("reason", reason)
    }
}
