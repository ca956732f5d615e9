/// The kind of coaching session.
///
/// Raw values are the catalog's spelling; an unknown value is refused when reading.
public enum CoachingKind: String, CatalogVocabulary {
    /// `one-to-one`.
    case oneToOne = "one-to-one"
    /// `group`.
    case group
    /// `drop-in`.
    case dropIn = "drop-in"
    /// `catch-up`.
    case catchUp = "catch-up"
    /// `leadership`.
    case leadership
    /// `admin-support`.
    case adminSupport = "admin-support"
    /// `consultation`.
    case consultation
}

extension CoachingKind: StoredEnumeration {
    /// The stored codes' order (``StoredEnumeration``): new cases go at the end.
    static let storedOrder: [CoachingKind] = [
        .oneToOne, .group, .dropIn, .catchUp, .leadership, .adminSupport, .consultation,
    ]
}
