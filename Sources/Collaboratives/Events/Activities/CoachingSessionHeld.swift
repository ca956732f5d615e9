/// A coaching session is held (or offered: nobody may have come).
///
/// Catalog type `CoachingSessionHeld`, schema version 1; fields are named as in the catalog's `data`.
public struct CoachingSessionHeld: Equatable, Sendable {
    /// The collaborative it was for.
    public let collaborative: Slug
    /// The sub-group it was for, which belongs to that collaborative.
    public let subgroup: Slug?
    /// The kind of session.
    public let kind: CoachingKind
    /// The member who coached: programme staff or an advisor that day.
    public let advisor: Slug
    /// The members who came; may be empty; no duplicates.
    public let attendees: [Slug]
    /// How long it lasted, in minutes.
    public let minutes: Int?

    /// Creates the event; optional fields default to absent.
    public init(
        collaborative: Slug,
        subgroup: Slug? = nil,
        kind: CoachingKind,
        advisor: Slug,
        attendees: [Slug],
        minutes: Int? = nil
    ) {
        self.collaborative = collaborative
        self.subgroup = subgroup
        self.kind = kind
        self.advisor = advisor
        self.attendees = attendees
        self.minutes = minutes
    }
}

extension CoachingSessionHeld: CatalogEvent {
    static let typeName = "CoachingSessionHeld"
    static let fieldNames = ["collaborative", "subgroup", "kind", "advisor", "attendees", "minutes"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            collaborative: try fields.slug("collaborative"),
            subgroup: try fields.optionalSlug("subgroup"),
            kind: try fields.value("kind", as: CoachingKind.self),
            advisor: try fields.slug("advisor"),
            attendees: try fields.attendees("attendees"),
            minutes: try fields.optionalCount("minutes")
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("collaborative", collaborative)
        fields.set("subgroup", subgroup)
        fields.set("kind", kind)
        fields.set("advisor", advisor)
        fields.set("attendees", attendees)
        fields.set("minutes", minutes)
    }
}
