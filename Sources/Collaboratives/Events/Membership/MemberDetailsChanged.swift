/// A member's details change (a teacher becomes a headteacher); absent fields keep their value.
///
/// Catalog type `MemberDetailsChanged`, schema version 1; fields are named as in the catalog's `data`.
public struct MemberDetailsChanged: Equatable, Sendable {
    /// The person.
    public let member: Slug
    /// Their new name.
    public internal(set) var name: PersonalText?
    /// Their new sector.
    public let sector: Sector?
    /// Their new organisation (personal data, as in ``MemberJoined``).
    public internal(set) var organisation: PersonalText?

    /// Creates the event; optional fields default to absent.
    public init(member: Slug, name: PersonalText? = nil, sector: Sector? = nil, organisation: PersonalText? = nil) {
        self.member = member
        self.name = name
        self.sector = sector
        self.organisation = organisation
    }
}

extension MemberDetailsChanged: CatalogEvent {
    static let typeName = "MemberDetailsChanged"
    static let fieldNames = ["member", "name", "sector", "organisation"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            member: try fields.slug("member"),
            name: try fields.optionalPersonalText("name", maximum: FieldReader.shortTextLimit),
            sector: try fields.optionalValue("sector", as: Sector.self),
            organisation: try fields.optionalPersonalTextOnceInClear(
                "organisation", maximum: FieldReader.shortTextLimit)
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("member", member)
        fields.set("name", name)
        fields.set("sector", sector)
        fields.setOnceInClear("organisation", organisation)
    }
}
