public import EventLog
internal import Foundation
internal import PostgresNIO

extension PostgresEventStore {
    /// Appends as ``LMDBEventStore`` does, in the steps of `AppendSteps` and one transaction: the head row
    /// is locked first (so appenders, and their validations, run one at a time), then idempotency, the
    /// prepare step, expected versions and the validation on the log before the batch, then
    /// `chronicle.append_events` writes and indexes the batch (the database computes seq, versions,
    /// recordedAt, recordedBy and the hashes), then the checkpoints; any error rolls everything back, and so
    /// does the end of a dry run.
    @discardableResult
    public func append(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion], hooks: any AppendHooks, dryRun: Bool
    ) throws -> AppendResult {
        try AppendSteps.checkEnvelopes(batch)
        do {
            return try transaction(.write, discarding: dryRun) { view in
                var session: AppendSteps.SessionState?
                return try appendSteps(
                    batch, expecting: expecting, hooks: hooks, dryRun: dryRun, in: view, session: &session)
            }
        } catch let error as EventLogError {
            throw try explained(error, batch: batch)
        }
    }

    /// Runs `body` with a session of one transaction: each of its appends calls `chronicle.append_events`
    /// as a lone append does, in the same transaction, committed when `body` returns (rolled back when it
    /// throws, or in a dry run).
    @discardableResult
    public func withAppendSession<R: Sendable>(dryRun: Bool, _ body: (any AppendSession) throws -> R) throws -> R {
        try transaction(.write, discarding: dryRun) { view in
            let session = SteppedAppendSession(
                start: try lockedHead(view), dryRun: dryRun, view: view,
                append: { batch, expecting, hooks, session in
                    try self.mapped {
                        try self.appendSteps(
                            batch, expecting: expecting, hooks: hooks, dryRun: dryRun, in: view, session: &session)
                    }
                },
                restore: { events, tags, keys in
                    try self.mapped { try self.restoring(events, tags: tags, keys: keys, in: view) }
                },
                put: { checkpoint in try self.mapped { try view.put(checkpoint) } })
            return try body(session)
        }
    }

    /// The steps of one append in `view`'s transaction (outside a session, or one batch of `session`).
    private func appendSteps(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion], hooks: any AppendHooks, dryRun: Bool,
        in view: PostgresLogView, session: inout AppendSteps.SessionState?
    ) throws -> AppendResult {
        let before = try lockedHead(view)
        let retries = AppendSteps.Retries(of: batch, stored: try stored(batch.map(\.id), in: view))
        try session?.checkRetries(retries)
        let (fresh, duplicates) = try retries.prepare(batch, with: hooks, keys: view)
        if fresh.isEmpty {
            return AppendResult(appended: [], duplicates: duplicates, head: before, isDryRun: dryRun)
        }
        try AppendSteps.checkExpectations(expecting) { try view.streamVersion($0) }
        try hooks.validate(retries.offered, against: view)
        var requestedAt = clock?.now()
        if var state = session, let clock {
            // One transaction, one time: every batch of the session asks for the first one's.
            requestedAt = try state.recordedAt({ clock.now() }, after: before, allowsClockBehind: true)
            session = state
        }
        let appended = try write(fresh, requestedAt: requestedAt, in: view)
        if !dryRun {
            for checkpoint in try hooks.checkpoints(for: appended, in: view) { try view.put(checkpoint) }
        }
        let head = appended.last.map(LogHead.init(of:)) ?? before
        return AppendResult(appended: appended, duplicates: duplicates, head: head, isDryRun: dryRun)
    }

    /// Locks the head row (`chronicle.lock_head`) and checks it names the last stored event, as LMDB's
    /// `checkedHead` does: chaining onto a damaged head would bury the damage.
    func lockedHead(_ view: PostgresLogView) throws -> LogHead {
        do {
            try view.query("SELECT chronicle.lock_head()")
        } catch let failure as PostgresFailure where failure.sqlState == "42501" {
            throw EventLogError.permissionDenied(
                "appending needs the \(roleName(.recorder)) role (\(location.user) does not have it); nothing was "
                    + "written")
        }
        let head = try view.head()
        let damaged = { (reason: String) in
            EventLogError.storage("the store is damaged: \(reason); nothing was written")
        }
        let last = try view.query(
            "SELECT \(unescaped: PostgresLogView.eventColumns) FROM chronicle.events ORDER BY seq DESC LIMIT 1"
        ).first.map(PostgresLogView.decodeEvent)
        guard let last else {
            guard head.seq == 0 else { throw damaged("the head names seq \(head.seq) but no event is stored") }
            return head
        }
        guard last.seq == head.seq, last.hash == head.hash, last.recordedAt == head.recordedAt else {
            throw damaged("the head record does not match the last event (seq \(last.seq))")
        }
        let previous = head.seq == 1 ? EventHash.genesis : try view.event(at: head.seq - 1)?.hash
        guard let previous, last.chainHash(after: previous) == last.hash else {
            throw damaged("the last event (seq \(head.seq)) does not match its hash")
        }
        return head
    }

    /// The events of the batch already stored, by their ids (one query a thousand ids), in batch order.
    private func stored(_ ids: [UUID], in view: PostgresLogView) throws -> [(index: Int, event: RecordedEvent)] {
        var found: [UUID: RecordedEvent] = [:]
        for start in stride(from: 0, to: ids.count, by: PostgresLogView.pageSize) {
            let page = Array(ids[start..<min(start + PostgresLogView.pageSize, ids.count)])
            for row in try view.query(
                "SELECT \(unescaped: PostgresLogView.eventColumns) FROM chronicle.events WHERE id = ANY(\(page))")
            {
                let event = try PostgresLogView.decodeEvent(row)
                found[event.id] = event
            }
        }
        guard !found.isEmpty else { return [] }
        return ids.indices.compactMap { index in found[ids[index]].map { (index, $0) } }
    }

    /// Events per call of `chronicle.append_events`: a large import is a few calls, not one per event, and
    /// no call's arrays grow past what one message carries comfortably.
    static let appendChunk = 10_000

    /// Writes `fresh` through `chronicle.append_events` and returns the events as the database stored them.
    private func write(_ fresh: [NewEvent], requestedAt: Timestamp?, in view: PostgresLogView) throws
        -> [RecordedEvent]
    {
        var appended: [RecordedEvent] = []
        appended.reserveCapacity(fresh.count)
        let requestedAt = requestedAt?.microsecondsSinceEpoch
        for start in stride(from: 0, to: fresh.count, by: Self.appendChunk) {
            let chunk = fresh[start..<min(start + Self.appendChunk, fresh.count)]
            var tagEvents: [Int32] = []
            var tagNames: [String] = []
            for (offset, event) in chunk.enumerated() {
                for tag in event.tags {
                    tagEvents.append(Int32(offset + 1))
                    tagNames.append(tag)
                }
            }
            let query: PostgresQuery = """
                SELECT r_seq, r_stream_version, r_recorded_at, r_recorded_by, r_hash FROM chronicle.append_events(
                \(chunk.map(\.id)), \(chunk.map(\.stream)), \(chunk.map(\.type)),
                \(chunk.map { Int32($0.schemaVersion) }), \(chunk.map { Int16($0.occurredAt.kind) }),
                \(chunk.map(\.occurredAt.number)), \(chunk.map { ByteBuffer(bytes: $0.payload) }),
                \(tagEvents), \(tagNames), \(requestedAt), \(allowsClockBehind))
                """
            let rows = try view.query(query)
            guard rows.count == chunk.count else {
                throw EventLogError.storage("chronicle.append_events wrote \(rows.count) of \(chunk.count) events")
            }
            for (row, event) in zip(rows, chunk) {
                var cells = Cells(row)
                let seq = try cells.next(Int64.self)
                let version = try cells.next(Int64.self)
                let recordedAt = try cells.next(Int64.self)
                let recordedBy = try cells.next(String.self)
                guard let hash = try cells.bytes().flatMap(EventHash.init(bytes:)) else {
                    throw EventLogError.storage("chronicle.append_events returned a hash that is not 32 bytes")
                }
                appended.append(
                    RecordedEvent(
                        seq: UInt64(seq), id: event.id, stream: event.stream, streamVersion: UInt64(version),
                        type: event.type, schemaVersion: event.schemaVersion, occurredAt: event.occurredAt,
                        recordedAt: Timestamp(microsecondsSinceEpoch: recordedAt), recordedBy: recordedBy,
                        payload: event.payload, hash: hash))
            }
        }
        return appended
    }

    /// A unique violation (a writer that skipped the head lock and the idempotency check) as the error the
    /// lock would have given: the id stored already, or the stream's version taken.
    private func explained(_ error: EventLogError, batch: [NewEvent]) throws -> EventLogError {
        guard case .storage(let message) = error, message.contains("SQLSTATE 23505") else { return error }
        if message.contains("events_id_key") {
            let stored = try read { view in
                try batch.lazy.compactMap { try view.event(id: $0.id) }.first
            }
            if let stored { return .duplicateIDWithDifferentContent(id: stored.id, storedSeq: stored.seq) }
        }
        if message.contains("events_stream_stream_version_key") {
            for event in batch {
                if message.contains("(\(event.stream),") {
                    let actual = try read { try $0.streamVersion(event.stream) }
                    return .wrongExpectedVersion(stream: event.stream, expected: .any, actual: actual)
                }
            }
        }
        return error
    }
}

extension ValidTime {
    /// The envelope's occurredAt kind: 0 a day, 1 an instant.
    var kind: Int {
        if case .day = self { 0 } else { 1 }
    }

    /// Days, or microseconds since the epoch.
    var number: Int64 {
        switch self {
        case .day(let days): days
        case .instant(let instant): instant.microsecondsSinceEpoch
        }
    }
}
