internal import ChronicleSupport
public import EventLog
internal import Foundation
internal import PostgresNIO

extension PostgresEventStore {
    /// Appends as ``LMDBEventStore`` does, in the steps of `AppendSteps` and one transaction: the head row
    /// is locked first (so appenders, and their validations, run one at a time), then idempotency, the
    /// prepare step, expected versions and the validation on the log before the batch, then
    /// `chronicle.append_events` writes and indexes the batch (the database computes seq, versions,
    /// recordedAt, recordedBy and the hashes), then the checkpoints; any error rolls everything back, and so
    /// does the end of a dry run. A batch of at least ``concurrentValidationThreshold`` new events is validated
    /// on another thread and connection while it is prepared and written, as on LMDB.
    @discardableResult
    public func append(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion], hooks: any AppendHooks, dryRun: Bool
    ) throws -> AppendResult {
        try AppendSteps.checkEnvelopes(batch)
        if !dryRun { try upgradeFormatBeforeWriting() }
        do {
            return try append(batch, expecting: expecting, hooks: hooks, dryRun: dryRun, validatingAside: true)
        } catch is ValidateInPlace {
            // The validation aside could not judge the batch (no second connection, or its snapshot showed
            // another head) after the batch was written: that transaction is rolled back, and the batch
            // appended again with its validation in its usual place, before the writing.
            return try append(batch, expecting: expecting, hooks: hooks, dryRun: dryRun, validatingAside: false)
        }
    }

    /// Thrown out of the append's transaction, rolling it back, when the validation aside did not judge the
    /// batch: validating the written batch against its own transaction would see the batch in the log.
    private struct ValidateInPlace: Error {}

    private func append(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion], hooks: any AppendHooks, dryRun: Bool,
        validatingAside: Bool
    ) throws -> AppendResult {
        do {
            return try transaction(.write, discarding: dryRun) { view in
                var session: AppendSteps.SessionState?
                return try appendSteps(
                    batch, expecting: expecting, hooks: hooks, dryRun: dryRun, in: view, session: &session,
                    validatingAside: validatingAside)
            }
        } catch let error as EventLogError {
            throw try explained(error, batch: batch)
        }
    }

    /// Runs `body` with a session of one transaction: each of its appends calls `chronicle.append_events`
    /// as a lone append does, in the same transaction, committed when `body` returns (rolled back when it
    /// throws, or in a dry run). `room` is not needed: the server's tables grow as they are written.
    @discardableResult
    public func withAppendSession<R: Sendable>(
        dryRun: Bool, room: AppendSessionRoom, _ body: (any AppendSession) throws -> R
    ) throws -> R {
        try transaction(.write, discarding: dryRun) { view in
            let session = SteppedAppendSession(
                start: try lockedHead(view), dryRun: dryRun, view: view,
                append: { batch, expecting, hooks, session in
                    try self.mapped {
                        // Never aside: another connection's snapshot does not show the session's earlier
                        // batches, and redoing one in place would roll back the whole session.
                        try self.appendSteps(
                            batch, expecting: expecting, hooks: hooks, dryRun: dryRun, in: view, session: &session,
                            validatingAside: false)
                    }
                },
                restore: { events, tags, keys in
                    try self.mapped { try self.restoring(events, tags: tags, keys: keys, in: view) }
                },
                put: { name, position, size, write in
                    try self.mapped { try view.put(Checkpoint(name: name, position: position, size: size, write)) }
                })
            return try body(session)
        }
    }

    /// The steps of one append in `view`'s transaction (outside a session, or one batch of `session`); a large
    /// batch is validated aside (``startValidation(_:of:expecting:in:head:)``) when `validatingAside`.
    private func appendSteps(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion], hooks: any AppendHooks, dryRun: Bool,
        in view: PostgresLogView, session: inout AppendSteps.SessionState?, validatingAside: Bool
    ) throws -> AppendResult {
        let before = try lockedHead(view)
        let retries = AppendSteps.Retries(of: batch, stored: try stored(batch.map(\.id), in: view))
        try session?.checkRetries(retries)
        let early =
            validatingAside
            ? try startValidation(hooks, of: retries, expecting: expecting, in: view, head: before) : nil
        // However this function is left, the validation is over first: it must not outlive the append.
        defer { _ = try? early?.value() }
        let (fresh, duplicates) = try retries.prepare(batch, with: hooks, keys: view)
        if fresh.isEmpty {
            return AppendResult(appended: [], duplicates: duplicates, head: before, isDryRun: dryRun)
        }
        try AppendSteps.checkExpectations(expecting) { try view.streamVersion($0) }
        var requestedAt = clock?.now()
        if var state = session, let clock {
            // One transaction, one time: every batch of the session asks for the first one's.
            requestedAt = try state.recordedAt({ clock.now() }, after: before, allowsClockBehind: allowsClockBehind)
            session = state
        }
        let appended: [RecordedEvent]
        if let early {
            do {
                appended = try write(fresh, of: batch, requestedAt: requestedAt, in: view)
            } catch {
                // The validation's verdict comes first, as it would had it run before the writing.
                _ = try early.value()
                throw error
            }
            if try !early.value() { throw ValidateInPlace() }
        } else {
            try hooks.validate(retries.offered, against: view)
            appended = try write(fresh, of: batch, requestedAt: requestedAt, in: view)
        }
        if !dryRun {
            try hooks.storeCheckpoints(for: appended, in: view) { name, position, size, write in
                try view.put(Checkpoint(name: name, position: position, size: size, write))
            }
        }
        let head = appended.last.map(LogHead.init(of:)) ?? before
        return AppendResult(appended: appended, duplicates: duplicates, head: head, isDryRun: dryRun)
    }

    /// Batches of at least this many new events are validated on another thread while they are written.
    static let concurrentValidationThreshold = 1_024

    /// The validate step of a large batch, started before the prepare step when nothing but that step can
    /// refuse the batch before the writing (no retry, whose content may differ, and every expectation met),
    /// on another thread and connection: its result says whether it judged the batch (true), or found its
    /// snapshot not to show the log the batch continues (false: the caller validates in its transaction).
    /// `nil` when the validation waits for its usual place, in the append's transaction.
    ///
    /// The snapshot (a REPEATABLE READ transaction of another connection) shows the log before the batch
    /// because it is taken while this transaction holds the head lock: no append can commit meanwhile. It does
    /// not see what this transaction wrote (the subject keys the prepare step creates): a validation judges
    /// the log's events, not the keys. Should this transaction have appended before (a head not committed
    /// yet), the heads differ and the validation is left to the caller.
    private func startValidation(
        _ hooks: any AppendHooks, of retries: AppendSteps.Retries, expecting: [String: ExpectedVersion],
        in view: PostgresLogView, head expected: LogHead
    ) throws -> Background<Bool>? {
        guard !(hooks is NoAppendHooks), retries.offered.count >= Self.concurrentValidationThreshold,
            retries.stored.isEmpty,
            try AppendSteps.expectationsAreMet(expecting, streamVersion: { try view.streamVersion($0) })
        else { return nil }
        let offered = retries.offered
        return Background { [self] in
            do {
                return try transaction(.read) { snapshot in
                    guard try snapshot.head() == expected else { return false }
                    do {
                        try hooks.validate(offered, against: snapshot)
                    } catch {
                        throw Verdict(refusal: error)
                    }
                    return true
                }
            } catch let verdict as Verdict {
                throw verdict.refusal
            } catch {
                // No second connection (a role's connection limit, a full server or pool) or no snapshot on
                // it: the batch is validated where it always could be, in the append's own transaction.
                return false
            }
        }
    }

    /// A refusal by the validation itself, told apart from a failure to get its connection or snapshot.
    private struct Verdict: Error {
        let refusal: any Error
    }

    /// Locks the head row (`chronicle.lock_head`) and checks it names the last stored event, as LMDB's
    /// `checkedHead` does: chaining onto a damaged head would bury the damage.
    ///
    /// Two round trips (every `record` pays them): the lock, which returns the head it locked, then the last
    /// two events. Not one: a statement's snapshot is taken when it starts, so events read by the statement
    /// that waited for the lock would not show the append that held it.
    func lockedHead(_ view: PostgresLogView) throws -> LogHead {
        let head: LogHead
        do {
            head = try PostgresLogView.decodeHead(
                view.query("SELECT seq, hash, recorded_at FROM chronicle.lock_head()").first)
        } catch let failure as PostgresFailure where failure.sqlState == "42501" {
            throw EventLogError.permissionDenied(
                "appending needs the \(roleName(.recorder)) role (\(location.user) does not have it); nothing was "
                    + "written")
        }
        let damaged = { (reason: String) in
            EventLogError.storage("the store is damaged: \(reason); nothing was written")
        }
        let lastTwo = try view.query(
            "SELECT \(unescaped: PostgresLogView.eventColumns) FROM chronicle.events ORDER BY seq DESC LIMIT 2"
        ).map(PostgresLogView.decodeEvent)
        guard let last = lastTwo.first else {
            guard head.seq == 0 else { throw damaged("the head names seq \(head.seq) but no event is stored") }
            return head
        }
        guard last.seq == head.seq, last.hash == head.hash, last.recordedAt == head.recordedAt else {
            throw damaged("the head record does not match the last event (seq \(last.seq))")
        }
        let previous =
            head.seq == 1 ? EventHash.genesis : lastTwo.dropFirst().first { $0.seq == head.seq - 1 }?.hash
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

    /// Writes `fresh` (the events of `batch` not stored yet) through
    /// `chronicle.append_events` and returns the events as the database stored them.
    private func write(
        _ fresh: [NewEvent], of batch: [NewEvent], requestedAt: Timestamp?, in view: PostgresLogView
    ) throws -> [RecordedEvent] {
        var appended: [RecordedEvent] = []
        var pending: (answer: PostgresSession.PendingQuery, chunk: ArraySlice<NewEvent>)?
        appended.reserveCapacity(fresh.count)
        // The rows of a chunk's answer as events; a scope refusal names the event by its place in the batch
        // the caller gave (the server counts from the start of its call, one chunk).
        func answered(_ sent: PostgresSession.PendingQuery, _ chunk: ArraySlice<NewEvent>) throws -> [RecordedEvent] {
            do {
                return try Self.stored(chunk, as: sent.rows())
            } catch let failure as PostgresFailure where failure.sqlState == PostgresSchema.State.scopeRefused {
                throw failure.renumbered { number in
                    let index = chunk.startIndex + number - 1
                    guard fresh.indices.contains(index) else { return index + 1 }
                    return (batch.firstIndex { $0.id == fresh[index].id } ?? index) + 1
                }
            }
        }
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
            // Each chunk is encoded and sent while the server writes the previous one, whose answer is read
            // after: the connection sends it the moment that answer is in, not once this thread has turned
            // the answer's rows into events.
            let sent: PostgresSession.PendingQuery
            do {
                try faults.beforeSending(chunk: start / Self.appendChunk)
                sent = try view.send(query)
            } catch {
                // The previous chunk's answer is read first: the connection is left with no answer due (the
                // rollback comes next on it), and a refusal of that chunk, the earlier failure, is reported.
                if let previous = pending { _ = try answered(previous.answer, previous.chunk) }
                throw error
            }
            if let previous = pending {
                do {
                    appended += try answered(previous.answer, previous.chunk)
                } catch {
                    // The chunk sent after a refused one fails too (the transaction is aborted): the refusal
                    // is what is reported, once that chunk is answered.
                    _ = try? sent.rows()
                    throw error
                }
            }
            pending = (sent, chunk)
        }
        if let last = pending { appended += try answered(last.answer, last.chunk) }
        return appended
    }

    /// The events `chronicle.append_events` stored for `chunk`, from the rows it returned.
    private static func stored(_ chunk: ArraySlice<NewEvent>, as rows: [PostgresRow]) throws -> [RecordedEvent] {
        guard rows.count == chunk.count else {
            throw EventLogError.storage("chronicle.append_events wrote \(rows.count) of \(chunk.count) events")
        }
        return try zip(rows, chunk).map { row, event in
            var cells = Cells(row)
            let seq = try cells.next(Int64.self)
            let version = try cells.next(Int64.self)
            let recordedAt = try cells.next(Int64.self)
            let recordedBy = try cells.next(String.self)
            guard let hash = try cells.bytes().flatMap(EventHash.init(bytes:)) else {
                throw EventLogError.storage("chronicle.append_events returned a hash that is not 32 bytes")
            }
            return RecordedEvent(
                seq: UInt64(seq), id: event.id, stream: event.stream, streamVersion: UInt64(version),
                type: event.type, schemaVersion: event.schemaVersion, occurredAt: event.occurredAt,
                recordedAt: Timestamp(microsecondsSinceEpoch: recordedAt), recordedBy: recordedBy,
                payload: event.payload, hash: hash)
        }
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

/// Failures a test injects into an append, where no server can be made to fail on cue.
package final class AppendFaults: @unchecked Sendable {
    // @unchecked: `sending` is read and written only under `lock`.
    private let lock = NSLock()
    private var sending: (@Sendable (Int) throws -> Void)?

    /// Called before each chunk of a batch is sent to `chronicle.append_events`, with the chunk's number
    /// (from 0); what it throws is a failure to send that chunk.
    package func onSending(_ body: (@Sendable (Int) throws -> Void)?) { lock.withLock { sending = body } }

    func beforeSending(chunk: Int) throws { try lock.withLock { sending }?(chunk) }
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
