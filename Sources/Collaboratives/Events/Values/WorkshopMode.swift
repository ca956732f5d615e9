/// Whether a workshop was held in person or online.
///
/// Raw values are the catalog's spelling; an unknown value is refused when reading.
public enum WorkshopMode: String, CatalogVocabulary {
    /// `in-person`.
    case inPerson = "in-person"
    /// `online`.
    case online
}

extension WorkshopMode: StoredEnumeration {
    /// The stored codes' order (``StoredEnumeration``): new cases go at the end.
    static let storedOrder: [WorkshopMode] = [.inPerson, .online]
}
