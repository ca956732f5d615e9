/// A wave of the yearly member survey closes.
///
/// Catalog type `SurveyWaveClosed`, schema version 1; fields are named as in the catalog's `data`.
public struct SurveyWaveClosed: Equatable, Sendable {
    /// The collaborative surveyed.
    public let collaborative: Slug
    /// The wave's name (`2023`).
    public let wave: String
    /// How many members were invited.
    public let invited: Int
    /// How many responded.
    public let responded: Int

    /// Creates the event; optional fields default to absent.
    public init(collaborative: Slug, wave: String, invited: Int, responded: Int) {
        self.collaborative = collaborative
        self.wave = wave
        self.invited = invited
        self.responded = responded
    }
}

extension SurveyWaveClosed: CatalogEvent {
    static let typeName = "SurveyWaveClosed"
    static let fieldNames = ["collaborative", "wave", "invited", "responded"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            collaborative: try fields.slug("collaborative"),
            wave: try fields.text("wave", maximum: FieldReader.shortTextLimit),
            invited: try fields.count("invited"),
            responded: try fields.count("responded")
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("collaborative", collaborative)
        fields.set("wave", wave)
        fields.set("invited", invited)
        fields.set("responded", responded)
    }
}
