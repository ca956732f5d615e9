internal import EventLog
internal import Foundation
internal import PostgresNIO

/// ``LogView`` over the transaction open on a store's connection: every call is a query in that
/// transaction, so the view sees one snapshot (a read's `REPEATABLE READ`) or the append's own writes.
/// Scans page through the rows, ``pageSize`` at a time, so that memory does not grow with the log.
struct PostgresLogView: LogView, SubjectKeyWriter {
    let session: PostgresSession
    /// The admin role's name, for messages.
    let adminRole: String
    /// Whether the store is of format 1 (see ``PostgresEventStore/upgradeFormat()``): its tag index is then
    /// `chronicle.tags`, a row per tag and event, read as it is.
    let formatOne: Bool
    /// The store's record of its format, told when `chronicle.tags` is found gone (see ``formatOneTags(_:)``).
    var storedFormat: StoredFormat?

    /// Rows a scan fetches per query.
    static let pageSize = 1_000

    /// The columns of an event, in the order ``decodeEvent(_:)`` reads them.
    static let eventColumns =
        "seq, id, stream, stream_version, type, schema_version, occurred_kind, occurred_value, recorded_at, "
        + "recorded_by, payload, hash"

    @discardableResult
    func query(_ query: PostgresQuery) throws -> [PostgresRow] { try session.query(query) }

    /// Sends `query` without waiting for its answer (see ``PostgresSession/send(_:)``).
    func send(_ query: PostgresQuery) throws -> PostgresSession.PendingQuery { try session.send(query) }

    func head() throws -> LogHead {
        try Self.decodeHead(query("SELECT seq, hash, recorded_at FROM chronicle.head").first)
    }

    /// The head in `row` (seq, hash, recorded_at: `chronicle.head`'s columns, or `chronicle.lock_head()`'s).
    static func decodeHead(_ row: PostgresRow?) throws -> LogHead {
        guard let row else { throw EventLogError.storage("the store is damaged: chronicle.head has no row") }
        var cells = Cells(row)
        let seq = try cells.next(Int64.self)
        guard seq >= 0, let hash = try cells.bytes().flatMap(EventHash.init(bytes:)) else {
            throw EventLogError.storage("the store is damaged: chronicle.head does not decode")
        }
        let recordedAt = try cells.next(Int64?.self)
        return LogHead(
            seq: UInt64(seq), hash: hash, recordedAt: recordedAt.map(Timestamp.init(microsecondsSinceEpoch:)))
    }

    func event(at seq: UInt64) throws -> RecordedEvent? {
        guard seq <= UInt64(Int64.max) else { return nil }
        return try query("SELECT \(unescaped: Self.eventColumns) FROM chronicle.events WHERE seq = \(Int64(seq))")
            .first.map(Self.decodeEvent)
    }

    func event(id: UUID) throws -> RecordedEvent? {
        try query("SELECT \(unescaped: Self.eventColumns) FROM chronicle.events WHERE id = \(id)").first.map(
            Self.decodeEvent)
    }

    func streamVersion(_ stream: String) throws -> UInt64? {
        guard let row = try query("SELECT max(stream_version) FROM chronicle.events WHERE stream = \(stream)").first
        else { return nil }
        var cells = Cells(row)
        return try cells.next(Int64?.self).map { UInt64(max($0, 0)) }
    }

    func lastSeq(recordedAtOrBefore instant: Timestamp) throws -> UInt64 {
        let rows = try query(
            """
            SELECT seq FROM chronicle.events WHERE recorded_at <= \(instant.microsecondsSinceEpoch)
            ORDER BY recorded_at DESC, seq DESC LIMIT 1
            """)
        guard let row = rows.first else { return 0 }
        var cells = Cells(row)
        return UInt64(max(try cells.next(Int64.self), 0))
    }

    func tagIndexPosition() throws -> UInt64 {
        guard let value = try meta("tag_position"), let position = UInt64(value) else { return 0 }
        return position
    }

    func tagScheme() throws -> String? { try meta("tag_scheme") }

    func meta(_ key: String) throws -> String? {
        guard let row = try query("SELECT value FROM chronicle.meta WHERE key = \(key)").first else { return nil }
        var cells = Cells(row)
        return try cells.next(String.self)
    }

    // The tag index (format 2) is a row per tagged event with its tags as an array: `@>` finds the events
    // through the GIN index, one lookup per tag (a single `&&` of a thousand tags rechecks every row against
    // all of them: seconds where these take milliseconds).
    func taggedSeqs(_ tag: String, through seq: UInt64) throws -> [UInt64] {
        if formatOne {
            return try formatOneTags(
                "SELECT seq FROM chronicle.tags WHERE tag = \(tag) AND seq <= \(Int64(clamping: seq)) ORDER BY seq"
            ).map { row in
                var cells = Cells(row)
                return UInt64(max(try cells.next(Int64.self), 0))
            }
        }
        return try query(
            """
            SELECT seq FROM chronicle.event_tags WHERE tags @> ARRAY[\(tag)] AND seq <= \(Int64(clamping: seq))
            ORDER BY seq
            """
        ).map { row in
            var cells = Cells(row)
            return UInt64(max(try cells.next(Int64.self), 0))
        }
    }

    func isTagged(_ seq: UInt64, with tag: String) throws -> Bool {
        if formatOne {
            return try !formatOneTags(
                "SELECT 1 FROM chronicle.tags WHERE tag = \(tag) AND seq = \(Int64(clamping: seq))"
            ).isEmpty
        }
        return try !query(
            "SELECT 1 FROM chronicle.event_tags WHERE seq = \(Int64(clamping: seq)) AND \(tag) = ANY(tags)"
        ).isEmpty
    }

    func tagEntryCount() throws -> Int {
        let rows =
            formatOne
            ? try formatOneTags("SELECT count(*) FROM chronicle.tags")
            : try query("SELECT coalesce(sum(cardinality(tags)), 0)::bigint FROM chronicle.event_tags")
        guard let row = rows.first else { return 0 }
        var cells = Cells(row)
        return Int(try cells.next(Int64.self))
    }

    /// A query of a format-1 store's `chronicle.tags`. Should the store's owner have upgraded it since this
    /// command opened it (the table dropped), the transaction fails saying so: what its snapshot would read of
    /// the new table is not its tags. The store reads its format again once it is rolled back, so that the
    /// next transaction of a long-lived process reads the new table rather than failing in turn.
    func formatOneTags(_ sql: PostgresQuery) throws -> [PostgresRow] {
        do {
            return try query(sql)
        } catch let failure as PostgresFailure
            where failure.sqlState == "42P01" || failure.message.contains("could not open relation")
        {
            storedFormat?.tableGone = true
            throw EventLogError.storage(
                "the store was upgraded to format \(PostgresSchema.format) while this command read it; nothing "
                    + "was written by it: run it again")
        }
    }

    func checkpointPrefix(named name: String, length: Int) throws -> (position: UInt64, prefix: [UInt8])? {
        let length = Int32(clamping: max(length, 0))
        guard
            let row = try query(
                "SELECT position, substring(state FROM 1 FOR \(length)) FROM chronicle.checkpoints WHERE name = \(name)"
            ).first
        else { return nil }
        var cells = Cells(row)
        return (UInt64(bitPattern: try cells.next(Int64.self)), try cells.bytes() ?? [])
    }

    func checkpoint(named name: String) throws -> Checkpoint? {
        guard let row = try query("SELECT position, state FROM chronicle.checkpoints WHERE name = \(name)").first
        else { return nil }
        var cells = Cells(row)
        return Checkpoint(
            name: name, position: UInt64(bitPattern: try cells.next(Int64.self)), state: try cells.bytes() ?? [])
    }

    /// Stores `checkpoint`, replacing the one of the same name.
    func put(_ checkpoint: Checkpoint) throws {
        try query(
            """
            INSERT INTO chronicle.checkpoints VALUES (\(checkpoint.name), \(Int64(bitPattern: checkpoint.position)),
            \(ByteBuffer(bytes: checkpoint.state)))
            ON CONFLICT (name) DO UPDATE SET position = excluded.position, state = excluded.state
            """)
    }

    /// Values one `= ANY($1)` query names at most, so that a request for very many stays a few queries.
    static let batchSize = 1_000

    func taggedSeqs(forEach tags: [String], through seq: UInt64) throws -> [String: [UInt64]] {
        var found: [String: [UInt64]] = [:]
        for chunk in Self.chunks(Array(Set(tags))) {
            let rows =
                formatOne
                ? try formatOneTags(
                    """
                    SELECT tag, seq FROM chronicle.tags WHERE tag = ANY(\(chunk)) AND seq <= \(Int64(clamping: seq))
                    ORDER BY tag, seq
                    """)
                : try query(
                    """
                    SELECT q.tag, e.seq FROM unnest(\(chunk)::text[]) AS q(tag) CROSS JOIN LATERAL (
                        SELECT x.seq FROM chronicle.event_tags x
                        WHERE x.tags @> ARRAY[q.tag] AND x.seq <= \(Int64(clamping: seq))) e
                    ORDER BY q.tag, e.seq
                    """)
            for row in rows {
                var cells = Cells(row)
                let tag = try cells.next(String.self)
                found[tag, default: []].append(UInt64(max(try cells.next(Int64.self), 0)))
            }
        }
        return found
    }

    func events(at seqs: [UInt64]) throws -> [UInt64: RecordedEvent] {
        var found: [UInt64: RecordedEvent] = [:]
        let wanted = Set(seqs.filter { $0 <= UInt64(Int64.max) }).map { Int64($0) }
        found.reserveCapacity(wanted.count)
        for chunk in Self.chunks(wanted, of: Self.rowBatchSize) {
            for row in try query(
                "SELECT \(unescaped: Self.eventColumns) FROM chronicle.events WHERE seq = ANY(\(chunk))")
            {
                let event = try Self.decodeEvent(row)
                found[event.seq] = event
            }
        }
        return found
    }

    func events(ids: [UUID]) throws -> [UUID: RecordedEvent] {
        var found: [UUID: RecordedEvent] = [:]
        for chunk in Self.chunks(Array(Set(ids)), of: Self.rowBatchSize) {
            for row in try query(
                "SELECT \(unescaped: Self.eventColumns) FROM chronicle.events WHERE id = ANY(\(chunk))")
            {
                let event = try Self.decodeEvent(row)
                found[event.id] = event
            }
        }
        return found
    }

    /// Events (or keys) one `= ANY($1)` query fetches at most: a one-collaborative query reads a few thousand
    /// events, and each round trip costs more than the server's work for a thousand rows, while ten thousand
    /// rows (a few MB) still bound what one answer holds.
    static let rowBatchSize = 10_000

    /// `values` in pieces of at most `size` (``batchSize`` unless told).
    static func chunks<T>(_ values: [T], of size: Int = batchSize) -> [[T]] {
        stride(from: 0, to: values.count, by: size).map { Array(values[$0..<min($0 + size, values.count)]) }
    }

    func scan(from seq: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool) throws {
        let start = Int64(clamping: seq)
        try paged(body) { last in
            if direction == .forward {
                let next = last.map { Int64($0.seq) + 1 } ?? start
                return try query(
                    """
                    SELECT \(unescaped: Self.eventColumns) FROM chronicle.events WHERE seq >= \(next)
                    ORDER BY seq LIMIT \(Self.pageSize)
                    """)
            }
            let next = last.map { Int64($0.seq) - 1 } ?? start
            return try query(
                """
                SELECT \(unescaped: Self.eventColumns) FROM chronicle.events WHERE seq <= \(next)
                ORDER BY seq DESC LIMIT \(Self.pageSize)
                """)
        }
    }

    func scanStream(
        _ stream: String, from version: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool
    ) throws {
        let start = Int64(clamping: version)
        try paged(body) { last in
            if direction == .forward {
                let next = last.map { Int64(clamping: $0.streamVersion) + 1 } ?? start
                return try query(
                    """
                    SELECT \(unescaped: Self.eventColumns) FROM chronicle.events
                    WHERE stream = \(stream) AND stream_version >= \(next) ORDER BY stream_version LIMIT \(Self.pageSize)
                    """)
            }
            let next = last.map { Int64(clamping: $0.streamVersion) - 1 } ?? start
            return try query(
                """
                SELECT \(unescaped: Self.eventColumns) FROM chronicle.events
                WHERE stream = \(stream) AND stream_version <= \(next)
                ORDER BY stream_version DESC LIMIT \(Self.pageSize)
                """)
        }
    }

    func scanType(
        _ type: String, from seq: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool
    ) throws {
        let start = Int64(clamping: seq)
        try paged(body) { last in
            if direction == .forward {
                let next = last.map { Int64($0.seq) + 1 } ?? start
                return try query(
                    """
                    SELECT \(unescaped: Self.eventColumns) FROM chronicle.events
                    WHERE type = \(type) AND seq >= \(next) ORDER BY type, seq LIMIT \(Self.pageSize)
                    """)
            }
            let next = last.map { Int64($0.seq) - 1 } ?? start
            return try query(
                """
                SELECT \(unescaped: Self.eventColumns) FROM chronicle.events
                WHERE type = \(type) AND seq <= \(next) ORDER BY type DESC, seq DESC LIMIT \(Self.pageSize)
                """)
        }
    }

    func scanOccurred(
        from lower: OccurredPosition, through upper: OccurredPosition, direction: ReadDirection,
        _ body: (RecordedEvent) throws -> Bool
    ) throws {
        guard lower <= upper else { return }
        let low = (lower.sortKey, Int64(clamping: lower.seq))
        let high = (upper.sortKey, Int64(clamping: upper.seq))
        // Keyset paging on (occurred_sort, seq): the first page includes the bound it starts from, each later
        // one starts after the last row of the one before.
        try paged(body) { last in
            let position = last.map { ($0.occurredAt.sortKey, Int64(clamping: $0.seq)) }
            if direction == .forward {
                let (from, comparison) = position.map { ($0, ">") } ?? (low, ">=")
                return try query(
                    """
                    SELECT \(unescaped: Self.eventColumns) FROM chronicle.events
                    WHERE (occurred_sort, seq) \(unescaped: comparison) (\(from.0), \(from.1))
                    AND (occurred_sort, seq) <= (\(high.0), \(high.1))
                    ORDER BY occurred_sort, seq LIMIT \(Self.pageSize)
                    """)
            }
            let (to, comparison) = position.map { ($0, "<") } ?? (high, "<=")
            return try query(
                """
                SELECT \(unescaped: Self.eventColumns) FROM chronicle.events
                WHERE (occurred_sort, seq) >= (\(low.0), \(low.1))
                AND (occurred_sort, seq) \(unescaped: comparison) (\(to.0), \(to.1))
                ORDER BY occurred_sort DESC, seq DESC LIMIT \(Self.pageSize)
                """)
        }
    }

    /// Keyset paging, the one loop of every scan: `page` fetches the next page of at most ``pageSize`` rows,
    /// given the last event of the page before (`nil` for the first), and each row's event goes to `body`
    /// until it returns `false` or a page comes back short (the scan's end).
    private func paged(
        _ body: (RecordedEvent) throws -> Bool, page: (_ after: RecordedEvent?) throws -> [PostgresRow]
    ) throws {
        var last: RecordedEvent?
        while true {
            let rows = try page(last)
            for row in rows {
                let event = try Self.decodeEvent(row)
                guard try body(event) else { return }
                last = event
            }
            if rows.count < Self.pageSize { return }
        }
    }
}
