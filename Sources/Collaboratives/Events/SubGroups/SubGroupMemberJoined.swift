/// A member of the collaborative joins one of its sub-groups.
///
/// Catalog type `SubGroupMemberJoined`, schema version 1; fields are named as in the catalog's `data`.
public struct SubGroupMemberJoined: Equatable, Sendable {
    /// The sub-group.
    public let subgroup: Slug
    /// The person joining.
    public let member: Slug

    /// Creates the event; optional fields default to absent.
    public init(subgroup: Slug, member: Slug) {
        self.subgroup = subgroup
        self.member = member
    }
}

extension SubGroupMemberJoined: CatalogEvent {
    static let typeName = "SubGroupMemberJoined"
    static let fieldNames = ["subgroup", "member"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            subgroup: try fields.slug("subgroup"),
            member: try fields.slug("member")
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("subgroup", subgroup)
        fields.set("member", member)
    }
}
