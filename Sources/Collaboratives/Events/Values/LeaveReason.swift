/// Why a member left a collaborative (`MemberLeft.reason`).
///
/// Raw values are the catalog's spelling; an unknown value is refused when reading.
public enum LeaveReason: String, CaseIterable, Codable, Hashable, Sendable {
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
