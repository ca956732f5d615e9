/// A sub-group (workstream) of a collaborative is formed.
///
/// Catalog type `SubGroupFormed`, schema version 1; fields are named as in the catalog's `data`.
public struct SubGroupFormed: Equatable, Sendable {
    /// The collaborative it belongs to, for good.
    public let collaborative: Slug
    /// The sub-group's slug; unique across collaboratives.
    public let subgroup: Slug
    /// Its title.
    public let title: String
    /// What it sets out to do.
    public let aim: String

    /// Creates the event; optional fields default to absent.
    public init(collaborative: Slug, subgroup: Slug, title: String, aim: String) {
        self.collaborative = collaborative
        self.subgroup = subgroup
        self.title = title
        self.aim = aim
    }
}

extension SubGroupFormed: CatalogEvent {
    static let typeName = "SubGroupFormed"
    static let fieldNames = ["collaborative", "subgroup", "title", "aim"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            collaborative: try fields.slug("collaborative"),
            subgroup: try fields.slug("subgroup"),
            title: try fields.text("title", maximum: FieldReader.shortTextLimit),
            aim: try fields.text("aim", maximum: FieldReader.longTextLimit)
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("collaborative", collaborative)
        fields.set("subgroup", subgroup)
        fields.set("title", title)
        fields.set("aim", aim)
    }
}
