/// A person joins a collaborative (or re-joins after leaving).
///
/// Catalog type `MemberJoined`, schema version 1; fields are named as in the catalog's `data`.
public struct MemberJoined: Equatable, Sendable {
    /// The collaborative joined.
    public let collaborative: Slug
    /// The person; one slug names one person across all collaboratives.
    public let member: Slug
    /// Their name, if recorded (personal data).
    public internal(set) var name: PersonalText?
    /// Their sector from this day on.
    public let sector: Sector
    /// Their organisation from this day on, if recorded (personal data: a small organisation names a person).
    public internal(set) var organisation: PersonalText?

    /// Creates the event; optional fields default to absent.
    public init(
        collaborative: Slug, member: Slug, name: PersonalText? = nil, sector: Sector, organisation: PersonalText? = nil
    ) {
        self.collaborative = collaborative
        self.member = member
        self.name = name
        self.sector = sector
        self.organisation = organisation
    }
}

extension MemberJoined: CatalogEvent {
    static let typeName = "MemberJoined"
    static let fieldNames = ["collaborative", "member", "name", "sector", "organisation"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            collaborative: try fields.slug("collaborative"),
            member: try fields.slug("member"),
            name: try fields.optionalPersonalText("name", maximum: FieldReader.shortTextLimit),
            sector: try fields.value("sector", as: Sector.self),
            organisation: try fields.optionalPersonalTextOnceInClear(
                "organisation", maximum: FieldReader.shortTextLimit)
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("collaborative", collaborative)
        fields.set("member", member)
        fields.set("name", name)
        fields.set("sector", sector)
        fields.setOnceInClear("organisation", organisation)
    }
}
