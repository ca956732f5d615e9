/// A member's personal fields are erased on request; counts, sectors and dates stay.
///
/// Catalog type `PersonalDataErased`, schema version 1; fields are named as in the catalog's `data`.
public struct PersonalDataErased: Equatable, Sendable {
    /// The person whose personal data is erased.
    public let member: Slug
    /// Why (the request it answers).
    public let reason: String

    /// Creates the event; optional fields default to absent.
    public init(member: Slug, reason: String) {
        self.member = member
        self.reason = reason
    }
}

extension PersonalDataErased: CatalogEvent {
    static let typeName = "PersonalDataErased"
    static let fieldNames = ["member", "reason"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            member: try fields.slug("member"),
            reason: try fields.text("reason", maximum: FieldReader.longTextLimit)
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("member", member)
        fields.set("reason", reason)
    }
}
