/// A role in a collaborative; several members may hold one at once.
///
/// Raw values are the catalog's spelling; an unknown value is refused when reading.
public enum Role: String, CatalogVocabulary {
    /// `anchor`.
    case anchor
    /// `advisor`.
    case advisor
    /// `subgroup-lead`.
    case subgroupLead = "subgroup-lead"
    /// `pcf-representative`.
    case pcfRepresentative = "pcf-representative"
}

extension Role: StoredEnumeration {
    /// The stored codes' order (``StoredEnumeration``): new cases go at the end.
    static let storedOrder: [Role] = [.anchor, .advisor, .subgroupLead, .pcfRepresentative]
}
