public import EventLog
internal import Foundation

extension HistoryView {
    /// The view at (`asOf`, `knownAt`) of the events that concern `collaborative`, read through the tag
    /// index (``EventTag``): the events naming it, those of its sub-groups, the joins, leaves, details
    /// changes, erasures and role changes anywhere of every member those name (their sector on a day, and
    /// the other slots a holder held), and the retractions of all of them.
    ///
    /// Every figure about `collaborative` is the same as in the whole view (tests hold it to that), at a
    /// cost that grows with that collaborative's events rather than the log's. `lastSeq` and `lastHash` are
    /// the whole log's at K; `eventsKnown` and `eventsRetracted` count the events read. When the tag index
    /// lags K (a store from an earlier build before its first append), the whole view is read instead.
    public static func load(
        from reader: HistoryReader, asOf: Day, knownAt: Timestamp, collaborative: Slug
    ) throws -> HistoryView {
        try reader.log.read { view in
            let (lastSeq, lastHash) = try provenance(in: view, knownAt: knownAt)
            // Where the tag index is complete, read once for this and the erasures (the view is one snapshot;
            // on PostgreSQL each read is a round trip); nil when it was written with another scheme.
            let indexed = try view.tagScheme() == EventTag.scheme ? view.tagIndexPosition() : nil
            guard let indexed, indexed >= lastSeq else {
                return try load(from: reader.decoder, in: view, asOf: asOf, knownAt: knownAt)
            }
            var loader = TaggedEventLoader(view: view, decoder: reader.decoder, through: lastSeq)
            try loader.load(tag: EventTag.inCollaborative(collaborative))
            var subgroups = Set<Slug>()
            var members = Set<Slug>()
            for entry in loader.entries.values {
                if case .subGroupFormed(let formed) = entry.event { subgroups.insert(formed.subgroup) }
                members.formUnion(entry.event.membersNamed)
            }
            try loader.load(tags: subgroups.map(EventTag.inSubgroup))
            for entry in loader.entries.values { members.formUnion(entry.event.membersNamed) }
            try loader.load(tags: members.map(EventTag.person))
            // Members named only by the events read after the first pass (predecessors, say) need keys too.
            for entry in loader.entries.values { members.formUnion(entry.event.membersNamed) }
            try loader.loadRetractions()
            let erased = try erasedMembers(among: members, in: view, read: loader.entries, indexedThrough: indexed)
            return HistoryView(
                asOf: asOf, knownAt: knownAt, lastSeq: lastSeq, lastHash: lastHash, recorded: loader.inLogOrder,
                keys: try PersonalDataKeys(view: view, members: members, erased: erased))
        }
    }

    /// Which of `members` have a stored `PersonalDataErased`, at any `seq` (erasure is read as the store is
    /// now, whatever K: see ``PersonalDataKeys``), found through their `p/` tags, which hold each member's
    /// erasure among a handful of events. Those of `read` (the events already decoded, by `seq`) are not
    /// read again: an erasure among them is tagged `p/` with its member, so it counts when that member is
    /// one of `members`; the others come in one request for the tags and their events. Scanning every
    /// erasure in the log instead was half of such a query's work at 10M events, and grew with the log. When
    /// the tag index (complete through `indexed`) lags the head, the log's erasures are scanned as before.
    private static func erasedMembers(
        among members: Set<Slug>, in view: any LogView, read: [UInt64: TimelineEntry], indexedThrough indexed: UInt64
    ) throws -> Set<Slug> {
        let head = try view.head().seq
        guard indexed >= head else {
            return try PersonalDataKeys.erasedMembers(in: view)
        }
        var erased = Set<Slug>()
        for entry in read.values {
            if case .personalDataErased(let erasure) = entry.event, members.contains(erasure.member) {
                erased.insert(erasure.member)
            }
        }
        guard !members.isEmpty else { return erased }
        let tags = members.map(EventTag.person)
        try view.taggedEventsInPlace(forEach: tags, through: head, skipping: Set(read.keys)) { _, event in
            // Only an erasure's payload is decoded; one that does not decode, or a `seq` with no event, is
            // passed over, as the scan did.
            guard let event, event.type == PersonalDataErased.typeName,
                case .personalDataErased(let erasure) = try? EventCodec.decode(
                    type: event.type, schemaVersion: event.schemaVersion, storedPayload: Array(event.payload))
            else { return }
            erased.insert(erasure.member)
        }
        return erased
    }
}
