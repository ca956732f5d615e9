public import EventLog
internal import Foundation
internal import PostgresNIO

extension PostgresEventStore {
    /// Walks the log once, in one snapshot (a reader may run it), a page at a time, and checks as
    /// ``LMDBEventStore/verify()`` does: seq is gapless from 1; every row decodes; every hash equals SHA-256 of
    /// the previous hash and the body re-encoded from the row's fields; `recordedAt` never decreases; each
    /// stream's versions run 1, 2, 3 … in seq order; the head row matches the last event; and every tag entry
    /// names an event at or before the tag index's position. Reports the first fault.
    public func verify() throws -> VerificationReport {
        try transaction(.read) { view in
            let storedHead = try view.head()
            var count: UInt64 = 0
            var previousHash = EventHash.genesis
            var previousRecordedAt: Timestamp?
            var fault: VerificationFault?
            var next: Int64 = 0
            walk: while true {
                let rows = try view.query(
                    """
                    SELECT \(unescaped: PostgresLogView.eventColumns) FROM chronicle.events WHERE seq > \(next)
                    ORDER BY seq LIMIT \(PostgresLogView.pageSize)
                    """)
                for row in rows {
                    let expectedSeq = count + 1
                    let event: RecordedEvent
                    do {
                        event = try PostgresLogView.decodeEvent(row)
                    } catch {
                        fault = .init(seq: expectedSeq, problem: "record does not decode (\(error))")
                        break walk
                    }
                    guard event.seq == expectedSeq else {
                        fault = .init(seq: expectedSeq, problem: "missing: the next stored event is seq \(event.seq)")
                        break walk
                    }
                    let computed = event.chainHash(after: previousHash)
                    if computed != event.hash {
                        fault = .init(
                            seq: event.seq, problem: "hash mismatch: stored \(event.hash), computed \(computed)")
                        break walk
                    }
                    if let previousRecordedAt, event.recordedAt < previousRecordedAt {
                        fault = .init(
                            seq: event.seq,
                            problem:
                                "recordedAt \(event.recordedAt) is before the previous event's \(previousRecordedAt)")
                        break walk
                    }
                    previousHash = event.hash
                    previousRecordedAt = event.recordedAt
                    count = event.seq
                    next = Int64(event.seq)
                }
                if rows.count < PostgresLogView.pageSize { break }
            }
            if let streamFault = try firstStreamFault(view, through: count), streamFault.seq ?? 0 <= count {
                // A stream fault before the point the walk stopped comes first, as LMDB finds it on the way.
                if fault == nil || (streamFault.seq ?? 0) < (fault?.seq ?? .max) { fault = streamFault }
            }
            if fault == nil {
                fault = try checkTotals(
                    view, storedHead: storedHead, count: count, lastHash: previousHash, previousRecordedAt)
            }
            return VerificationReport(eventCount: count, head: storedHead, fault: fault)
        }
    }

    /// The first event (by seq, up to `last`) whose stream version does not follow the previous one of its
    /// stream.
    private func firstStreamFault(_ view: PostgresLogView, through last: UInt64) throws -> VerificationFault? {
        let rows = try view.query(
            """
            SELECT seq, stream, stream_version FROM (
                SELECT seq, stream, stream_version,
                    row_number() OVER (PARTITION BY stream ORDER BY seq) AS expected
                FROM chronicle.events WHERE seq <= \(Int64(clamping: last))) AS numbered
            WHERE stream_version <> expected ORDER BY seq LIMIT 1
            """)
        guard let row = rows.first else { return nil }
        var cells = Cells(row)
        let seq = try cells.next(Int64.self)
        let stream = try cells.next(String.self)
        let version = try cells.next(Int64.self)
        if version <= 0 { return .init(seq: UInt64(max(seq, 0)), problem: "stream version \(version)") }
        return .init(
            seq: UInt64(max(seq, 0)),
            problem: "stream \(stream) has no version \(version - 1) before this event")
    }

    private func checkTotals(
        _ view: PostgresLogView, storedHead: LogHead, count: UInt64, lastHash: EventHash, _ lastRecordedAt: Timestamp?
    ) throws -> VerificationFault? {
        if storedHead.seq != count {
            return .init(seq: nil, problem: "stored head says seq \(storedHead.seq) but the log ends at seq \(count)")
        }
        if storedHead.hash != lastHash {
            return .init(
                seq: count, problem: "stored head hash \(storedHead.hash) differs from the chain's \(lastHash)")
        }
        if storedHead.recordedAt != lastRecordedAt {
            return .init(seq: count, problem: "stored head recordedAt differs from the last event's")
        }
        let position = try view.tagIndexPosition()
        if position > count {
            return .init(seq: nil, problem: "tag index claims position \(position) beyond the log's \(count) events")
        }
        let strays =
            view.formatOne
            ? try view.formatOneTags(
                """
                SELECT tag, seq FROM chronicle.tags WHERE seq < 1 OR seq > \(Int64(position)) ORDER BY seq, tag
                LIMIT 1
                """)
            : try view.query(
                """
                SELECT t.tag, e.seq FROM chronicle.event_tags e CROSS JOIN LATERAL unnest(e.tags) AS t(tag)
                WHERE e.seq < 1 OR e.seq > \(Int64(position)) ORDER BY e.seq, t.tag LIMIT 1
                """)
        if let row = strays.first {
            var cells = Cells(row)
            let tag = try cells.next(String.self)
            let seq = try cells.next(Int64.self)
            return .init(
                seq: UInt64(max(seq, 0)),
                problem: "tags index entry \(tag.debugDescription) names an event beyond its position \(position)")
        }
        return nil
    }
}
