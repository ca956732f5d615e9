/// A sub-group reaches a milestone.
///
/// Catalog type `MilestoneReached`, schema version 1; fields are named as in the catalog's `data`.
public struct MilestoneReached: Equatable, Sendable {
    /// The sub-group.
    public let subgroup: Slug
    /// The kind of milestone.
    public let kind: MilestoneKind
    /// What was reached.
    public let title: String
    /// Free-text detail.
    public let note: String?

    /// Creates the event; optional fields default to absent.
    public init(subgroup: Slug, kind: MilestoneKind, title: String, note: String? = nil) {
        self.subgroup = subgroup
        self.kind = kind
        self.title = title
        self.note = note
    }
}

extension MilestoneReached: CatalogEvent {
    static let typeName = "MilestoneReached"
    static let fieldNames = ["subgroup", "kind", "title", "note"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            subgroup: try fields.slug("subgroup"),
            kind: try fields.value("kind", as: MilestoneKind.self),
            title: try fields.text("title", maximum: FieldReader.shortTextLimit),
            note: try fields.optionalText("note", maximum: FieldReader.longTextLimit)
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("subgroup", subgroup)
        fields.set("kind", kind)
        fields.set("title", title)
        fields.set("note", note)
    }
}
