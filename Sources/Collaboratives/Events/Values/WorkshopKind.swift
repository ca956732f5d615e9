/// The kind of workshop.
///
/// Raw values are the catalog's spelling; an unknown value is refused when reading.
public enum WorkshopKind: String, CatalogVocabulary {
    /// `launch`.
    case launch
    /// `convening`.
    case convening
    /// `collaborative`.
    case collaborative
    /// `cross-locality`.
    case crossLocality = "cross-locality"
}

extension WorkshopKind: StoredEnumeration {
    /// The stored codes' order (``StoredEnumeration``): new cases go at the end.
    static let storedOrder: [WorkshopKind] = [.launch, .convening, .collaborative, .crossLocality]
}
