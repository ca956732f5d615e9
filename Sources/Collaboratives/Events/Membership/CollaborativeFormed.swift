/// A collaborative (one per locality) is formed, led by an anchor organisation.
///
/// Catalog type `CollaborativeFormed`, schema version 1; fields are named as in the catalog's `data`.
public struct CollaborativeFormed: Equatable, Sendable {
    /// The new collaborative's slug; unique.
    public let collaborative: Slug
    /// Its display name (`Oldham`).
    public let name: String
    /// The organisation that anchors it (the council's education service).
    public let anchorOrganisation: String
    /// The day the programme started for this collaborative.
    public let programmeStart: Day

    /// Creates the event; optional fields default to absent.
    public init(collaborative: Slug, name: String, anchorOrganisation: String, programmeStart: Day) {
        self.collaborative = collaborative
        self.name = name
        self.anchorOrganisation = anchorOrganisation
        self.programmeStart = programmeStart
    }
}

extension CollaborativeFormed: CatalogEvent {
    static let typeName = "CollaborativeFormed"
    static let fieldNames = ["collaborative", "name", "anchorOrganisation", "programmeStart"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            collaborative: try fields.slug("collaborative"),
            name: try fields.text("name", maximum: FieldReader.shortTextLimit),
            anchorOrganisation: try fields.text("anchorOrganisation", maximum: FieldReader.shortTextLimit),
            programmeStart: try fields.day("programmeStart")
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("collaborative", collaborative)
        fields.set("name", name)
        fields.set("anchorOrganisation", anchorOrganisation)
        fields.set("programmeStart", programmeStart)
    }
}
