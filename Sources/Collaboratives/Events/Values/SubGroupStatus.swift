/// Where a sub-group (workstream) stands.
///
/// Raw values are the catalog's spelling; an unknown value is refused when reading.
public enum SubGroupStatus: String, CatalogVocabulary {
    /// `planned`.
    case planned
    /// `in-progress`.
    case inProgress = "in-progress"
    /// `delivered`.
    case delivered
    /// `embedded`.
    case embedded
    /// `extended`.
    case extended
    /// `paused`.
    case paused
    /// `stalled`.
    case stalled
    /// `closed`.
    case closed
}

extension SubGroupStatus: StoredEnumeration {
    /// The stored codes' order (``StoredEnumeration``): new cases go at the end.
    static let storedOrder: [SubGroupStatus] = [
        .planned, .inProgress, .delivered, .embedded, .extended, .paused, .stalled, .closed,
    ]
}
