/// Whether a workshop was held in person or online.
///
/// Raw values are the catalog's spelling; an unknown value is refused when reading.
public enum WorkshopMode: String, CaseIterable, Codable, Hashable, Sendable {
    /// `in-person`.
    case inPerson = "in-person"
    /// `online`.
    case online
}
