/// A sub-group's aim (and perhaps title) is redefined.
///
/// Catalog type `SubGroupRedefined`, schema version 1; fields are named as in the catalog's `data`.
public struct SubGroupRedefined: Equatable, Sendable {
    /// The sub-group.
    public let subgroup: Slug
    /// Its new title, if it changed.
    public let title: String?
    /// Its new aim.
    public let aim: String
    /// Why it was redefined.
    public let reason: String

    /// Creates the event; optional fields default to absent.
    public init(subgroup: Slug, title: String? = nil, aim: String, reason: String) {
        self.subgroup = subgroup
        self.title = title
        self.aim = aim
        self.reason = reason
    }
}

extension SubGroupRedefined: CatalogEvent {
    static let typeName = "SubGroupRedefined"
    static let fieldNames = ["subgroup", "title", "aim", "reason"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            subgroup: try fields.slug("subgroup"),
            title: try fields.optionalText("title", maximum: FieldReader.shortTextLimit),
            aim: try fields.text("aim", maximum: FieldReader.longTextLimit),
            reason: try fields.text("reason", maximum: FieldReader.longTextLimit)
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("subgroup", subgroup)
        fields.set("title", title)
        fields.set("aim", aim)
        fields.set("reason", reason)
    }
}
