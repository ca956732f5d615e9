/// How a role holder was appointed.
///
/// Raw values are the catalog's spelling; an unknown value is refused when reading.
public enum Appointment: String, CatalogVocabulary {
    /// `formal`.
    case formal
    /// `self-appointed`.
    case selfAppointed = "self-appointed"
    /// `interim`.
    case interim
}

extension Appointment: StoredEnumeration {
    /// The stored codes' order (``StoredEnumeration``): new cases go at the end.
    static let storedOrder: [Appointment] = [.formal, .selfAppointed, .interim]
}
