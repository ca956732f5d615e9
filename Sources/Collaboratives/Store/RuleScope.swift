internal import EventLog
internal import Foundation

/// The stored events a batch's rule check needs, read through the tag index (``EventTag``) instead of
/// the whole log: everything naming the members the batch names, the formations and slugs it uses, the
/// survey waves of the collaboratives it closes one of, the targets of its retractions, the formations
/// those events use, and the retractions of all of them.
///
/// Why that is enough: a member's memberships, details, tenures and sub-group memberships change only
/// through events naming that member, and every other rule reads a formation or a slug. So the batch's
/// own events are judged on complete histories, and any stored event the batch could make invalid names
/// one of the batch's members or slugs and is in the scope; rules about other members, whose histories
/// are partial here, are not judged (``RuleCheck/validate(stored:batch:today:retractedIDs:memberScope:)``).
///
/// A scoped check that passes is final. One that fails is repeated on the whole log, whose verdict (and
/// error message, with its "did you mean") stands, so a gap in this reasoning can only cost time.
struct RuleScope {
    /// The stored events in scope (retractions and retracted events included), by `seq`.
    let entries: [TimelineEntry]
    /// The members whose histories are complete in `entries`.
    let members: Set<Slug>

    /// The scope of `batch`, or `nil` when only the whole log will do: the tag index lags the head, the
    /// batch retracts a formation (everything that names it is affected), or the batch is large next to
    /// the log (one pass over the log is then cheaper than looking up each tag).
    static func load(for batch: [TimelineEntry], in view: any LogView, decoder: EventDecoder) throws -> RuleScope? {
        let head = try view.head().seq
        guard head > 0, try EventTag.indexIsUsable(in: view, through: head), batch.count <= max(64, Int(head / 8))
        else { return nil }
        var loader = TaggedEventLoader(view: view, decoder: decoder, through: head)
        var tags = Set<String>()
        var members = Set<Slug>()
        let batchIDs = Set(batch.map(\.id))
        for entry in batch {
            Self.ruleTags(of: entry.event, into: &tags, members: &members)
            guard case .eventRetracted(let retraction) = entry.event else { continue }
            tags.insert(EventTag.retractionOf(retraction.event))
            guard !batchIDs.contains(retraction.event), let target = try loader.load(id: retraction.event) else {
                continue
            }
            switch target.event {
            case .collaborativeFormed, .subGroupFormed: return nil
            default: Self.ruleTags(of: target.event, into: &tags, members: &members)
            }
        }
        try loader.load(tags: tags)
        // The formations the loaded events use (for existence and a sub-group's collaborative).
        var context = Set<String>()
        for entry in loader.entries.values {
            for slug in entry.event.collaborativesNamed { context.insert(EventTag.collaborative(slug)) }
            if let slug = entry.event.subgroupNamed { context.insert(EventTag.subgroup(slug)) }
        }
        try loader.load(tags: context.subtracting(tags))
        // Whether each loaded event is retracted.
        try loader.loadRetractions()
        return RuleScope(entries: loader.inLogOrder, members: members)
    }

    /// The tags whose events a rule about `event` reads.
    private static func ruleTags(of event: DomainEvent, into tags: inout Set<String>, members: inout Set<Slug>) {
        for slug in event.collaborativesNamed { tags.insert(EventTag.collaborative(slug)) }
        if let slug = event.subgroupNamed { tags.insert(EventTag.subgroup(slug)) }
        for member in event.membersNamed {
            tags.insert(EventTag.member(member))
            members.insert(member)
        }
        if case .workshopHeld(let held) = event { tags.insert(EventTag.workshop(held.workshop)) }
        if case .surveyWaveClosed(let closed) = event { tags.insert(EventTag.surveyWaves(closed.collaborative)) }
    }
}
