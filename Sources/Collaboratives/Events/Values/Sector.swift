/// The sector a member works in; closed in version 1 of the catalog.
///
/// Raw values are the catalog's spelling; an unknown value is refused when reading.
public enum Sector: String, CatalogVocabulary {
    /// `primary-school`.
    case primarySchool = "primary-school"
    /// `secondary-school`.
    case secondarySchool = "secondary-school"
    /// `special-school`.
    case specialSchool = "special-school"
    /// `alternative-provision`.
    case alternativeProvision = "alternative-provision"
    /// `virtual-school`.
    case virtualSchool = "virtual-school"
    /// `la-education`.
    case laEducation = "la-education"
    /// `la-early-help`.
    case laEarlyHelp = "la-early-help"
    /// `la-send-inclusion`.
    case laSENDInclusion = "la-send-inclusion"
    /// `social-care`.
    case socialCare = "social-care"
    /// `health`.
    case health
    /// `camhs`.
    case camhs
    /// `educational-psychology`.
    case educationalPsychology = "educational-psychology"
    /// `parent-carer-forum`.
    case parentCarerForum = "parent-carer-forum"
    /// `voluntary-sector`.
    case voluntarySector = "voluntary-sector"
    /// `programme-staff`.
    case programmeStaff = "programme-staff"
    /// `other`.
    case other
}

extension Sector: StoredEnumeration {
    /// The stored codes' order (``StoredEnumeration``): new cases go at the end.
    static let storedOrder: [Sector] = [
        .primarySchool, .secondarySchool, .specialSchool, .alternativeProvision, .virtualSchool, .laEducation,
        .laEarlyHelp, .laSENDInclusion, .socialCare, .health, .camhs, .educationalPsychology, .parentCarerForum,
        .voluntarySector, .programmeStaff, .other,
    ]
}
