/// The kind of milestone a sub-group reached.
///
/// Raw values are the catalog's spelling; an unknown value is refused when reading.
public enum MilestoneKind: String, CatalogVocabulary {
    /// `plan-agreed`.
    case planAgreed = "plan-agreed"
    /// `terms-of-reference`.
    case termsOfReference = "terms-of-reference"
    /// `pilot-started`.
    case pilotStarted = "pilot-started"
    /// `pilot-completed`.
    case pilotCompleted = "pilot-completed"
    /// `service-launched`.
    case serviceLaunched = "service-launched"
    /// `expanded`.
    case expanded
    /// `funding-secured`.
    case fundingSecured = "funding-secured"
    /// `evidence-gathered`.
    case evidenceGathered = "evidence-gathered"
    /// `handed-over`.
    case handedOver = "handed-over"
    /// `other`.
    case other
}

extension MilestoneKind: StoredEnumeration {
    /// The stored codes' order (``StoredEnumeration``): new cases go at the end.
    static let storedOrder: [MilestoneKind] = [
        .planAgreed, .termsOfReference, .pilotStarted, .pilotCompleted, .serviceLaunched, .expanded, .fundingSecured,
        .evidenceGathered, .handedOver, .other,
    ]
}
