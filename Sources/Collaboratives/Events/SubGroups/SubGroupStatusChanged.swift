/// A sub-group's status moves (planned, in progress, delivered, …).
///
/// Catalog type `SubGroupStatusChanged`, schema version 1; fields are named as in the catalog's `data`.
public struct SubGroupStatusChanged: Equatable, Sendable {
    /// The sub-group.
    public let subgroup: Slug
    /// Its new status.
    public let status: SubGroupStatus
    /// Free-text detail.
    public let note: String?

    /// Creates the event; optional fields default to absent.
    public init(subgroup: Slug, status: SubGroupStatus, note: String? = nil) {
        self.subgroup = subgroup
        self.status = status
        self.note = note
    }
}

extension SubGroupStatusChanged: CatalogEvent {
    static let typeName = "SubGroupStatusChanged"
    static let fieldNames = ["subgroup", "status", "note"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            subgroup: try fields.slug("subgroup"),
            status: try fields.value("status", as: SubGroupStatus.self),
            note: try fields.optionalText("note", maximum: FieldReader.longTextLimit)
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("subgroup", subgroup)
        fields.set("status", status)
        fields.set("note", note)
    }
}
