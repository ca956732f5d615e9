/// A workshop is held for one or more collaboratives, with its register of attendees.
///
/// Catalog type `WorkshopHeld`, schema version 1; fields are named as in the catalog's `data`.
public struct WorkshopHeld: Equatable, Sendable {
    /// The workshop's slug; unique among events that are not retracted.
    public let workshop: Slug
    /// The collaboratives it was held for: one, or several for a cross-locality workshop; never empty, no duplicates.
    public let collaboratives: [Slug]
    /// The kind of workshop.
    public let kind: WorkshopKind
    /// In person or online.
    public let mode: WorkshopMode
    /// Its title.
    public let title: String?
    /// The members who attended; no duplicates.
    public let attendees: [Slug]
    /// How many non-members attended.
    public let guests: Int?

    /// Creates the event; optional fields default to absent.
    public init(
        workshop: Slug,
        collaboratives: [Slug],
        kind: WorkshopKind,
        mode: WorkshopMode,
        title: String? = nil,
        attendees: [Slug],
        guests: Int? = nil
    ) {
        self.workshop = workshop
        self.collaboratives = collaboratives
        self.kind = kind
        self.mode = mode
        self.title = title
        self.attendees = attendees
        self.guests = guests
    }
}

extension WorkshopHeld: CatalogEvent {
    static let typeName = "WorkshopHeld"
    static let fieldNames = ["workshop", "collaboratives", "kind", "mode", "title", "attendees", "guests"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            workshop: try fields.slug("workshop"),
            collaboratives: try fields.slugList("collaboratives", nonEmpty: true),
            kind: try fields.value("kind", as: WorkshopKind.self),
            mode: try fields.value("mode", as: WorkshopMode.self),
            title: try fields.optionalText("title", maximum: FieldReader.shortTextLimit),
            attendees: try fields.attendees("attendees"),
            guests: try fields.optionalCount("guests")
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("workshop", workshop)
        fields.set("collaboratives", collaboratives)
        fields.set("kind", kind)
        fields.set("mode", mode)
        fields.set("title", title)
        fields.set("attendees", attendees)
        fields.set("guests", guests)
    }
}
