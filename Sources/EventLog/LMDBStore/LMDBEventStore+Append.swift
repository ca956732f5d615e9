internal import ChronicleSupport
internal import Foundation
internal import LMDB

extension LMDBEventStore {
    /// Appends in one write transaction, in the steps of `AppendSteps`: check, deduplicate, prepare (with
    /// the expected versions and the clock), validate, write, index, checkpoint. A batch of at least
    /// `concurrentValidationThreshold` new events is validated on another thread while it is written.
    @discardableResult
    public func append(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion], hooks: any AppendHooks, dryRun: Bool
    ) throws -> AppendResult {
        try AppendSteps.checkEnvelopes(batch)
        return try writing(discarding: dryRun) { view in
            var session: AppendSteps.SessionState?
            return try appendSteps(
                batch, expecting: expecting, hooks: hooks, dryRun: dryRun, in: view, session: &session)
        }
    }

    /// Runs `body` with a session of one write transaction (see ``AppendSession``). LMDB grows its map only
    /// while no transaction is open, so the map is first grown to leave room for the session: what `room`
    /// expects (at least ``smallestSessionRoom(largest:)``), or, when it cannot tell,
    /// ``Options/largestTransaction`` (or, for a rerunnable body, the smallest room to begin with). Address space is set aside, not
    /// disk, but under a bound on it (`ulimit -v`) setting aside far more than needed would fail. A session
    /// that fills its room is rolled back; a rerunnable one is run again, from its start, with four times the
    /// room, up to ``Options/largestTransaction``; past that (or when `body` may not be run again) it throws
    /// ``EventLogError/transactionTooLarge(limit:)``.
    @discardableResult
    public func withAppendSession<R: Sendable>(
        dryRun: Bool, room: AppendSessionRoom, _ body: (any AppendSession) throws -> R
    ) throws -> R {
        var reserved = Self.sessionRoom(room, largest: largestTransaction)
        // Under MDB_WRITEMAP the room reserved lengthens data.mdb (sparse) to the map: cut it back to the
        // pages in use once the session is over, committed or not (a hint: the store is whole either way).
        defer { try? environment.trimDataFile() }
        while true {
            try storage { try environment.reserve(reserved) }
            do {
                return try writing(discarding: dryRun, once: true) { view in
                    let session = SteppedAppendSession(
                        start: try view.checkedHead(), dryRun: dryRun, view: view,
                        append: { batch, expecting, hooks, session in
                            try self.appendSteps(
                                batch, expecting: expecting, hooks: hooks, dryRun: dryRun, in: view,
                                session: &session)
                        },
                        restore: { events, tags, keys in
                            try self.restoreSteps(events, tags: tags, keys: keys, in: view)
                        },
                        put: { name, position, size, write in
                            try view.putCheckpoint(name: name, position: position, stateSize: size, write: write)
                        })
                    return try body(session)
                }
            } catch EventLogError.transactionTooLarge where room.rerunnable && reserved < largestTransaction {
                reserved = min(reserved.multipliedReportingOverflow(by: 4).partialValue, largestTransaction)
            }
        }
    }

    /// The least room an append session is given, 64 MiB (a sixteenth of the largest transaction when that
    /// is less than 1 GiB): a small import needs no estimate.
    public static func smallestSessionRoom(largest: Int) -> Int { min(64 << 20, max(largest / 16, 1 << 16)) }

    /// The room first set aside for a session (see ``withAppendSession(dryRun:room:_:)``).
    static func sessionRoom(_ room: AppendSessionRoom, largest: Int) -> Int {
        let smallest = smallestSessionRoom(largest: largest)
        guard let expected = room.expectedBytes else { return room.rerunnable ? min(smallest, largest) : largest }
        return min(max(expected, smallest), largest)
    }

    /// `bytes` in words (GiB, MiB or KiB, rounded down).
    static func byteCount(_ bytes: Int) -> String {
        if bytes >= 1 << 30 { return "\(bytes >> 30) GiB" }
        return bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB"
    }

    /// The steps of one append in `view`'s transaction: check, deduplicate, prepare (with the expected
    /// versions and the clock), validate, write, index, checkpoint. Outside a session, a batch of at least
    /// `concurrentValidationThreshold` new events is validated on another thread while it is written; in one
    /// (`session` set), the validation runs here, on the transaction that holds the session's earlier batches.
    private func appendSteps(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion], hooks: any AppendHooks, dryRun: Bool,
        in view: LMDBLogView, session: inout AppendSteps.SessionState?
    ) throws -> AppendResult {
        let before = try view.checkedHead()
        let retries = try AppendSteps.Retries(of: batch) { try view.event(id: $0) }
        try session?.checkRetries(retries)
        let early =
            session == nil
            ? try startEarlyValidation(hooks, of: retries, expecting: expecting, in: view, head: before) : nil
        // However this closure is left, the validation is over first: it must not outlive the transaction.
        defer { _ = try? early?.value() }
        let (fresh, duplicates) = try retries.prepare(batch, with: hooks, keys: view)
        if fresh.isEmpty {
            return AppendResult(appended: [], duplicates: duplicates, head: before, isDryRun: dryRun)
        }
        try AppendSteps.checkExpectations(expecting) { try view.streamVersion($0) }
        let recordedAt: Timestamp
        if var state = session {
            recordedAt = try state.recordedAt({ clock.now() }, after: before, allowsClockBehind: allowsClockBehind)
            session = state
        } else {
            recordedAt = try AppendSteps.recordedAt(clock.now(), after: before, allowsClockBehind: allowsClockBehind)
        }
        // A small batch, or one of a session, is validated now, after everything above.
        let validation =
            try early
            ?? startValidation(hooks, of: retries.offered, in: view, head: before, concurrently: session == nil)
        defer { _ = try? validation?.value() }
        // The tag index is written only while it is complete up to the head; a lagging one (after a
        // restore without tags) is left for ``catchUpTags(scheme:_:)``, so it never has holes.
        let tagging = try view.tagIndexPosition() == before.seq
        let appended = try validationFirst(validation) {
            let (appended, indexes) = try write(
                fresh, after: before, at: recordedAt, tagging: tagging, in: view, validation: validation)
            try index(indexes, head: appended.last.map(LogHead.init(of:)) ?? before, tagging: tagging, in: view)
            return appended
        }
        try validation?.value()
        if !dryRun {
            try hooks.storeCheckpoints(for: appended, in: view) { name, position, size, write in
                try view.putCheckpoint(name: name, position: position, stateSize: size, write: write)
            }
        }
        let head = appended.last.map(LogHead.init(of:)) ?? before
        return AppendResult(appended: appended, duplicates: duplicates, head: head, isDryRun: dryRun)
    }

    /// Batches of at least this many new events are validated on another thread while they are written.
    static let concurrentValidationThreshold = 1_024

    /// The validate step of a large batch, started before the prepare step when nothing but that step can
    /// refuse the batch before the writing: a retry (whose content may differ) or a missed expectation is
    /// refused at once, not after a validation (which cannot be stopped midway) of a batch that will not be
    /// written. `nil` when the validation waits for its usual place.
    private func startEarlyValidation(
        _ hooks: any AppendHooks, of retries: AppendSteps.Retries, expecting: [String: ExpectedVersion],
        in view: LMDBLogView, head: LogHead
    ) throws -> Background<Void>? {
        guard retries.offered.count >= Self.concurrentValidationThreshold, retries.stored.isEmpty,
            try AppendSteps.expectationsAreMet(expecting, streamVersion: { try view.streamVersion($0) })
        else { return nil }
        return try startValidation(hooks, of: retries.offered, in: view, head: head)
    }

    /// The validate step: judges `offered` against the log as it was before the batch, a small batch at once,
    /// in `view`; a large one on another thread, in a read snapshot of its own, while this thread writes the
    /// batch (the returned work, which the append must wait for before it commits).
    ///
    /// The snapshot shows the log before the batch because it is taken while this write transaction holds
    /// the writers' lock: nothing can be committed between the two.
    ///
    /// A snapshot does not see what this transaction wrote before (the subject keys the prepare step
    /// created): a validation must judge the log's events, not the keys. The read waits for nothing this
    /// thread holds: it does not take the environment's resize lock, which this transaction holds until the
    /// append has waited for the validation (`readBesideWrite`).
    private func startValidation(
        _ hooks: any AppendHooks, of offered: [NewEvent], in view: LMDBLogView, head expected: LogHead,
        concurrently: Bool = true
    ) throws -> Background<Void>? {
        // The plain append's hooks accept every batch: no snapshot, no thread.
        if hooks is NoAppendHooks { return nil }
        guard concurrently, offered.count >= Self.concurrentValidationThreshold else {
            try hooks.validate(offered, against: view)
            return nil
        }
        return Background { [self] in
            try readBesideWrite { snapshot in
                // Only a bug could break this; were it broken, the verdict would be about another log.
                guard try snapshot.head() == expected else {
                    throw EventLogError.storage("the validation's snapshot is not the log the batch continues")
                }
                try hooks.validate(offered, against: snapshot)
            }
        }
    }

    /// Runs `body` (the writing of a batch); when it throws, the validation's verdict comes first, as it
    /// would had the validation run before the writing.
    private func validationFirst<R>(_ validation: Background<Void>?, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch {
            try validation?.value()
            throw error
        }
    }

    /// The write step: records each of `fresh` after `head` (seq, stream version, hash) into the `events`
    /// database, and gathers the index entries for ``index(_:head:tagging:in:)``. A batch its validation refused is
    /// not written to the end: the refusal is thrown as soon as it is seen.
    private func write(
        _ fresh: [NewEvent], after head: LogHead, at recordedAt: Timestamp, tagging: Bool, in view: LMDBLogView,
        validation: Background<Void>?
    ) throws -> (appended: [RecordedEvent], indexes: IndexBatch) {
        var appended: [RecordedEvent] = []
        appended.reserveCapacity(fresh.count)
        var indexes = IndexBatch(capacity: fresh.count)
        var previous = head
        for index in fresh.indices {
            if index % 4_096 == 4_095, let validation, validation.hasFailed { try validation.value() }
            let stream = fresh[index].stream
            let (streamNumber, version) = try indexes.nextVersion(of: stream) { try view.streamVersion(stream) }
            let (recorded, body) = AppendSteps.record(
                fresh[index], seq: previous.seq + 1, streamVersion: version, recordedAt: recordedAt,
                after: previous.hash)
            try view.insertRecord(recorded, body: body)
            indexes.add(recorded, stream: streamNumber)
            if tagging { indexes.addTags(fresh[index].tags, seq: recorded.seq) }
            appended.append(recorded)
            previous = LogHead(of: recorded)
        }
        return (appended, indexes)
    }

    /// The index step: writes the entries the write step gathered (each index in key order), the new head,
    /// and, when `tagging` kept the tag index current, its position.
    private func index(_ indexes: consuming IndexBatch, head: LogHead, tagging: Bool, in view: LMDBLogView) throws {
        try indexes.flush(into: view)
        try view.setHead(head)
        if tagging { try view.setTagIndexPosition(head.seq) }
    }

    @discardableResult
    public func restore(
        _ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey], dryRun: Bool
    ) throws -> LogHead {
        try AppendSteps.checkRestored(events, tags: tags)
        return try writing(discarding: dryRun) { view in try restoreSteps(events, tags: tags, keys: keys, in: view) }
    }

    /// The steps of a restore in `view`'s transaction.
    private func restoreSteps(
        _ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey], in view: LMDBLogView
    ) throws -> LogHead {
        for (subject, key) in keys.sorted(by: { $0.key < $1.key }) { try view.store(key, for: subject) }
        var continuity = AppendSteps.RestoreContinuity(after: try view.checkedHead())
        let tagging = try tags != nil && view.tagIndexPosition() == continuity.head.seq
        var indexes = IndexBatch(capacity: events.count)
        for (index, event) in events.enumerated() {
            var streamNumber: UInt32 = 0
            let body = try continuity.admit(
                event,
                expectedVersion: {
                    let next = try indexes.nextVersion(of: event.stream) { try view.streamVersion(event.stream) }
                    streamNumber = next.stream
                    return next.version
                },
                // The restore's own ids are indexed only at its end; the check finds a repeat among them.
                storedSeq: { try view.event(id: event.id)?.seq })
            try view.insertRecord(event, body: body)
            indexes.add(event, stream: streamNumber)
            if tagging, let tags { indexes.addTags(tags[index], seq: event.seq) }
        }
        try index(indexes, head: continuity.head, tagging: tagging, in: view)
        return continuity.head
    }

    /// Runs `body` on a view of one write transaction, committed when it returns. With `once`, `body` is not
    /// run again when the map fills (see `Environment.writeOnce(_:)`).
    func writing<R>(once: Bool = false, _ body: (LMDBLogView) throws -> R) throws -> R {
        try storage {
            guard once else { return try environment.write { txn in try inView(txn, body) } }
            do {
                return try environment.writeOnce { txn in try inView(txn, body) }
            } catch LMDBError.mapFull {
                throw EventLogError.transactionTooLarge(limit: Self.byteCount(largestTransaction))
            }
        }
    }

    /// Runs `body` on a view of the write transaction `txn`, the store's format recorded first.
    private func inView<R>(_ txn: borrowing Transaction, _ body: (LMDBLogView) throws -> R) throws -> R {
        try StoreMigration.recordCurrentFormat(in: databases, txn)
        return try withUnsafePointer(to: txn) { pointer in
            try body(LMDBLogView(transaction: pointer, databases: databases))
        }
    }

    /// ``writing(once:_:)``, rolled back once `body` has returned when `discarding` (a dry run): what it
    /// returns says what would have been written.
    private func writing<R: Sendable>(discarding: Bool, once: Bool = false, _ body: (LMDBLogView) throws -> R)
        throws -> R
    {
        guard discarding else { return try writing(once: once, body) }
        do {
            return try writing(once: once) { view -> R in throw AppendSteps.Discarded(try body(view)) }
        } catch let discarded as AppendSteps.Discarded<R> {
            return discarded.result
        }
    }
}
