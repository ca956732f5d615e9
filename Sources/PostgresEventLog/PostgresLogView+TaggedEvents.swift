internal import EventLog
internal import PostgresNIO

/// The events under some tags, in one statement: a one-collaborative query reads its events a step at a time
/// (the collaborative, its sub-groups, its members, the retractions), and each step was a tag lookup, then an
/// event fetch of what it found, two round trips where the server can join the two.
extension PostgresLogView {
    /// ``eventColumns`` of `chronicle.events` as `e`, beside another relation that has a `seq` too.
    static let joinedEventColumns = eventColumns.split(separator: ", ").map { "e." + $0 }.joined(separator: ", ")

    /// Tags one statement looks up at most: as ``taggedSeqs(forEach:through:)``. More would save round trips
    /// for a step of a few thousand tags (the retractions), but the planner guesses 0.5% of the events a tag,
    /// and at 100k events past about 1,500 tags the statement's guessed cost passes `jit_above_cost`: a JIT
    /// compile of a few hundred ms for a statement of a few. (The guess grows with the log: at 300k events
    /// 1,000 tags pass it too, as `taggedSeqs(forEach:through:)`'s statement does; every transaction runs with
    /// JIT off since, see `PostgresEventStore.begin(_:on:)`.)
    static let taggedEventsBatchSize = batchSize

    /// One statement per ``taggedEventsBatchSize`` tags: the `seq`s under them (as
    /// ``taggedSeqs(forEach:through:)``), less those in `known`, joined to their events (a `seq` with no
    /// event comes back without one, for `body` to judge), each payload lent from the row's buffer. An event
    /// under tags of two statements is lent once. A format-1 store asks the two reads it answers.
    func taggedEventsInPlace(
        forEach tags: [String], through seq: UInt64, skipping known: Set<UInt64>,
        _ body: (UInt64, EventInPlace?) throws -> Void
    ) throws {
        let unique = Array(Set(tags))
        guard !unique.isEmpty else { return }
        if formatOne {
            return try taggedEventsInPlaceInTwoReads(forEach: unique, through: seq, skipping: known, body)
        }
        var skipped = known
        for chunk in Self.chunks(unique, of: Self.taggedEventsBatchSize) {
            // The `seq`s are gathered into an array first, so that the planner, which guesses 0.5% of the
            // events a tag, reads each event by its key rather than the whole table (and, at 100k events, keeps
            // the statement's cost under `jit_above_cost`: a JIT compile cost 200 ms where it takes 5). The
            // rows come in `seq` order, as the events of a fetch by `seq`s do.
            let rows = try query(
                """
                WITH w AS MATERIALIZED (
                    SELECT ARRAY(
                        SELECT x.seq FROM unnest(\(chunk)::text[]) AS q(tag) CROSS JOIN LATERAL (
                            SELECT t.seq FROM chronicle.event_tags t
                            WHERE t.tags @> ARRAY[q.tag] AND t.seq <= \(Int64(clamping: seq))) x
                        EXCEPT SELECT unnest(\(skipped.map { Int64(clamping: $0) })::int8[])) AS seqs
                )
                SELECT s.seq, \(unescaped: Self.joinedEventColumns) FROM w CROSS JOIN LATERAL unnest(w.seqs) AS s(seq)
                LEFT JOIN LATERAL (SELECT * FROM chronicle.events e WHERE e.seq = s.seq LIMIT 1) e ON true
                ORDER BY s.seq
                """)
            for row in rows {
                var cells = Cells(row)
                let wanted = UInt64(max(try cells.next(Int64.self), 0))
                guard skipped.insert(wanted).inserted else { continue }
                guard let stored = try cells.next(Int64?.self) else {
                    try body(wanted, nil)
                    continue
                }
                let (event, payload) = try Self.decodeEvent(seq: stored, rest: &cells, copyingPayload: false)
                try payload.withUnsafeReadableBytes { try body(wanted, EventInPlace(event, payload: $0)) }
            }
        }
    }
}
