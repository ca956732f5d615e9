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
            guard try EventTag.indexIsUsable(in: view, through: lastSeq) else {
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
            return HistoryView(
                asOf: asOf, knownAt: knownAt, lastSeq: lastSeq, lastHash: lastHash, recorded: loader.inLogOrder,
                keys: try PersonalDataKeys(view: view, members: members))
        }
    }
}
