internal import EventLog
internal import Foundation

/// The stored events a batch's rule check needs, read through the tag index (``EventTag``) instead of
/// the whole log: the *state* of every member the batch names (their joins, leaves, details changes,
/// erasure, role changes and sub-group memberships), the formations and slugs it uses, the survey waves of
/// the collaboratives it closes one of, the targets of its retractions; for each member whose state the
/// batch changes, the stored events naming them dated on or after the earliest day it changes; then the
/// formations all those events use, and the retractions of all of them.
///
/// Why that is enough. A rule reads, about a member M, only M's state on some day: whether M is active in
/// a collaborative, is in a sub-group, holds a role, counts as an advisor (sector or advisor tenure), exists
/// (first join), is erased. That state is a function of M's state events alone (the events whose
/// `memberWhoseStateChanges` is M: `p/M` holds all but the sub-group memberships, which `m/M` holds with
/// everything else naming M), and every other rule reads a formation, a workshop slug or a survey wave,
/// each under its own tag. So:
/// - The batch's own events are judged on complete states: every member they name is in ``members``.
/// - A stored event's verdict can change only if something it reads changes. Formations, slugs and waves
///   it shares with the batch are loaded whole (and a retracted formation sends the check to the whole
///   log). A member's state changes only through a batch event that changes it, or retracts a stored event
///   that did; such an event dated on day D (local day) changes the state from D on and never before (a
///   state is a replay in day order, and an event a batch event makes invalid is dated on or after it, and
///   is itself in scope, where its failure sends the check to the whole log). A stored event naming M is
///   judged on M's state on its own day, so only those dated on or after D can change verdict: their
///   envelopes' dates are read and the others are never decoded. Sub-group memberships are kept whatever
///   their date, so that M's state stays complete.
/// - Events loaded for another reason name other members, whose states are partial here: rules about
///   them are not judged (``RuleCheck/validate(stored:batch:today:retractedIDs:memberScope:)``), and their
///   verdicts cannot change, since the batch does not touch their states.
///
/// A scoped check that passes is final. One that fails is repeated on the whole log, whose verdict (and
/// error message, with its "did you mean") stands, so a gap in this reasoning can only cost time.
/// (Reading members' state rather than everything naming them is what keeps a day's register from costing
/// its members' whole attendance histories: an attendance changes nobody's state.)
///
/// The argument assumes the stored log keeps the rules (every append checked it): a store holding events
/// today's rules refuse (written by an earlier build, or by a PostgreSQL recorder's own code) is checked only
/// where the batch reaches, so `chronicle verify --rules` is what finds such events.
struct RuleScope {
    /// The stored events in scope (retractions and retracted events included), by `seq`.
    let entries: [TimelineEntry]
    /// The members whose states are complete in `entries`.
    let members: Set<Slug>

    /// The scope of `batch`, or `nil` when only the whole log will do: the tag index lags the head, the
    /// batch retracts a formation (everything that names it is affected), or the batch is large next to
    /// the log (one pass over the log is then cheaper than looking up each tag).
    static func load(for batch: [TimelineEntry], in view: any LogView, decoder: EventDecoder) throws -> RuleScope? {
        let head = try view.head().seq
        guard batch.count <= max(64, Int(head / 8)) else { return nil }
        var needs = Needs()
        for entry in batch { needs.add(batchEntry: entry) }
        return try load(needs, through: head, in: view, decoder: decoder)
    }

    /// The scope of the batch whose events `needs` gathered, in the log through `head` (a streamed import's
    /// check reads the log as it was before the import, in the import's own transaction), or `nil` when only
    /// the whole log will do.
    static func load(_ needs: Needs, through head: UInt64, in view: any LogView, decoder: EventDecoder) throws
        -> RuleScope?
    {
        guard head > 0, try EventTag.indexIsUsable(in: view, through: head) else { return nil }
        var needs = needs
        var loader = TaggedEventLoader(view: view, decoder: decoder, through: head)
        // A retraction's target stored before the batch (one in the batch is not found through `head`).
        for id in needs.retracted {
            guard let target = try loader.load(id: id) else { continue }
            switch target.event {
            case .collaborativeFormed, .subGroupFormed: return nil
            default: needs.add(target)
            }
        }
        try loader.load(tags: needs.tags)
        try Self.loadMentions(from: needs.changedFrom, into: &loader, through: head)
        // The formations the loaded events use (for existence and a sub-group's collaborative).
        var context = Set<String>()
        for entry in loader.entries.values {
            for slug in entry.event.collaborativesNamed { context.insert(EventTag.collaborative(slug)) }
            if let slug = entry.event.subgroupNamed { context.insert(EventTag.subgroup(slug)) }
        }
        try loader.load(tags: context.subtracting(needs.tags))
        // Whether each loaded event is retracted.
        try loader.loadRetractions()
        return RuleScope(entries: loader.inLogOrder, members: needs.members)
    }

    /// Reads, for each member in `changedFrom`, the stored events naming them (`m/M`) that are one of their
    /// sub-group memberships or dated on or after the day given: the rest are passed over on their envelope.
    private static func loadMentions(
        from changedFrom: [Slug: Day], into loader: inout TaggedEventLoader, through head: UInt64
    ) throws {
        guard !changedFrom.isEmpty else { return }
        let members = Array(changedFrom.keys)
        let tagged = try loader.view.taggedSeqs(forEach: members.map(EventTag.member), through: head)
        // Each event from the earliest day of any member it names.
        var from: [UInt64: Day] = [:]
        for member in members {
            guard let day = changedFrom[member] else { continue }
            for seq in tagged[EventTag.member(member)] ?? [] { from[seq] = min(from[seq] ?? day, day) }
        }
        try loader.load(seqs: from.keys.sorted()) { event in
            guard event.type != SubGroupMemberJoined.typeName, event.type != SubGroupMemberLeft.typeName,
                let day = from[event.seq]
            else { return true }
            return OccurredAt(event.occurredAt).localDay >= day
        }
    }

    /// What a batch's rule check reads, gathered from its events (and the targets of its retractions): it
    /// grows with the entities the batch names, not with its events, so a streamed import gathers it line
    /// by line.
    struct Needs {
        /// The tags to read whole: formations, slugs, survey waves, members' states, retractions.
        var tags = Set<String>()
        /// Every member named: their states are read whole.
        var members = Set<Slug>()
        /// The members whose state changes, each with the earliest day it changes on.
        var changedFrom: [Slug: Day] = [:]
        /// The events the batch retracts (a target in the batch is not stored through the scope's head, so
        /// it is not found there).
        var retracted = Set<UUID>()

        /// Adds an event of the batch: what a rule about it reads, and a retraction's target.
        mutating func add(batchEntry entry: TimelineEntry) {
            add(entry)
            guard case .eventRetracted(let retraction) = entry.event else { return }
            tags.insert(EventTag.retractionOf(retraction.event))
            retracted.insert(retraction.event)
        }

        /// Adds what a rule about `entry` reads, and what `entry` could make invalid.
        mutating func add(_ entry: TimelineEntry) {
            let event = entry.event
            for slug in event.collaborativesNamed { tags.insert(EventTag.collaborative(slug)) }
            if let slug = event.subgroupNamed { tags.insert(EventTag.subgroup(slug)) }
            for member in event.membersNamed where members.insert(member).inserted {
                tags.insert(EventTag.person(member))
            }
            if case .workshopHeld(let held) = event { tags.insert(EventTag.workshop(held.workshop)) }
            if case .surveyWaveClosed(let closed) = event { tags.insert(EventTag.surveyWaves(closed.collaborative)) }
            if let member = event.memberWhoseStateChanges {
                let day = entry.occurredAt.localDay
                changedFrom[member] = min(changedFrom[member] ?? day, day)
            }
        }
    }
}
