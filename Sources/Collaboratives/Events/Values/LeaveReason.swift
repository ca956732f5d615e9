/// Why a member left a collaborative (`MemberLeft.reason`).
///
/// Raw values are the catalog's spelling; an unknown value is refused when reading.
public enum LeaveReason: String, CatalogVocabulary {
    /// `capacity`.
    case capacity
    /// `relevance`.
    case relevance
    /// `role-change`.
    case roleChange = "role-change"
    /// `left-organisation`.
    case leftOrganisation = "left-organisation"
    /// `programme-ended`.
    case programmeEnded = "programme-ended"
    /// `other`.
    case other
    /// `unknown`.
    case unknown
}

extension LeaveReason: StoredEnumeration {
    /// The stored codes' order (``StoredEnumeration``): new cases go at the end.
    static let storedOrder: [LeaveReason] = [
        .capacity, .relevance, .roleChange, .leftOrganisation, .programmeEnded, .other, .unknown,
    ]
}
