internal import EventLog
public import Foundation

/// The names under which the log indexes a Collaboratives event (``NewEvent/tags``), so that a rule check
/// or a query reads only the events of the entities it concerns, not the whole log.
///
/// | tag | on | read by |
/// |---|---|---|
/// | `c/C` | `CollaborativeFormed` of C | rules: existence and uniqueness of C |
/// | `s/S` | `SubGroupFormed` of S | rules: existence, uniqueness and owner of S |
/// | `w/W` | `WorkshopHeld` with slug W | rules: unique workshop slugs |
/// | `v/C` | `SurveyWaveClosed` of C | rules: each wave closed once |
/// | `m/M` | every event naming member M (holder, attendee, advisor, predecessor…) | rules: M's state |
/// | `p/M` | M's joins, leaves, details changes, erasure, role assignments and ends | queries: M's details and tenures |
/// | `in/C` | every event naming collaborative C | queries of one collaborative |
/// | `g/S` | every event naming sub-group S | queries: the sub-groups of a collaborative |
/// | `r/ID` | the `EventRetracted` of event ID | rules and queries: is it retracted |
///
/// Tags are a pure function of the event, so they can be recomputed from the log at any time
/// (``Chronicle/catchUpTags()``).
public enum EventTag {
    /// The version of these tags, stored with the index: a build that tags differently changes it, and the
    /// index is then rebuilt rather than trusted (``Chronicle/catchUpTags()``).
    public static let scheme = "collaboratives-tags-2"

    /// Whether the index in `view` was written with these tags and is complete through `seq`.
    static func indexIsUsable(in view: any LogView, through seq: UInt64) throws -> Bool {
        try view.tagScheme() == scheme && view.tagIndexPosition() >= seq
    }

    /// The tags of `event`, without repeats.
    public static func tags(of event: DomainEvent) -> [String] {
        var tags: [String] = []
        switch event {
        case .collaborativeFormed(let formed): tags.append(collaborative(formed.collaborative))
        case .subGroupFormed(let formed): tags.append(subgroup(formed.subgroup))
        case .workshopHeld(let held): tags.append(workshop(held.workshop))
        case .surveyWaveClosed(let closed): tags.append(surveyWaves(closed.collaborative))
        case .eventRetracted(let retraction): tags.append(retractionOf(retraction.event))
        default: break
        }
        for slug in event.collaborativesNamed { tags.append(inCollaborative(slug)) }
        if let subgroup = event.subgroupNamed { tags.append(inSubgroup(subgroup)) }
        for slug in event.membersNamed { tags.append(member(slug)) }
        for slug in personMembers(of: event) { tags.append(person(slug)) }
        return withoutRepeats(tags)
    }

    /// `tags` with each one's first occurrence only: an event has a handful, which a scan dedupes for less
    /// than a set costs to build; a large attendance list goes through a set.
    static func withoutRepeats(_ tags: [String]) -> [String] {
        if tags.count > 32 {
            var seen = Set<String>()
            return tags.filter { seen.insert($0).inserted }
        }
        var kept: [String] = []
        kept.reserveCapacity(tags.count)
        for tag in tags where !kept.contains(tag) { kept.append(tag) }
        return kept
    }

    /// The members whose details or tenures `event` shapes (the `p/` tags).
    /// (The member whose state the event changes, sub-group memberships aside: a collaborative's view reads
    /// its sub-groups' events through `g/`.)
    static func personMembers(of event: DomainEvent) -> [Slug] {
        switch event {
        case .subGroupMemberJoined, .subGroupMemberLeft: []
        default: event.memberWhoseStateChanges.map { [$0] } ?? []
        }
    }

    /// `c/C`: the formation of collaborative C.
    public static func collaborative(_ slug: Slug) -> String { "c/" + slug.rawValue }
    /// `s/S`: the formation of sub-group S.
    public static func subgroup(_ slug: Slug) -> String { "s/" + slug.rawValue }
    /// `w/W`: the workshop with slug W.
    public static func workshop(_ slug: Slug) -> String { "w/" + slug.rawValue }
    /// `v/C`: the survey waves collaborative C closed.
    public static func surveyWaves(_ slug: Slug) -> String { "v/" + slug.rawValue }
    /// `m/M`: every event naming member M.
    public static func member(_ slug: Slug) -> String { "m/" + slug.rawValue }
    /// `p/M`: the events shaping member M's details, memberships and tenures.
    public static func person(_ slug: Slug) -> String { "p/" + slug.rawValue }
    /// `in/C`: every event naming collaborative C.
    public static func inCollaborative(_ slug: Slug) -> String { "in/" + slug.rawValue }
    /// `g/S`: every event naming sub-group S.
    public static func inSubgroup(_ slug: Slug) -> String { "g/" + slug.rawValue }
    /// `r/ID`: the retraction of event ID.
    public static func retractionOf(_ id: UUID) -> String { "r/" + id.lowercased }
}
