/// The kind of workshop.
///
/// Raw values are the catalog's spelling; an unknown value is refused when reading.
public enum WorkshopKind: String, CaseIterable, Codable, Hashable, Sendable {
    /// `launch`.
    case launch
    /// `convening`.
    case convening
    /// `collaborative`.
    case collaborative
    /// `cross-locality`.
    case crossLocality = "cross-locality"
}
