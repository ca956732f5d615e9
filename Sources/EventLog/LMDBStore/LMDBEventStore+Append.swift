internal import ChronicleSupport
internal import Foundation
internal import LMDB

extension LMDBEventStore {
    @discardableResult
    public func append(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion],
        prepare: ((any SubjectKeyWriter, [NewEvent]) throws -> [NewEvent])?,
        validate: (@Sendable (any LogView, [NewEvent]) throws -> Void)?,
        checkpoints: ((any LogView, [RecordedEvent]) throws -> [Checkpoint])?
    ) throws -> AppendResult {
        // The loops of an append read each event in place (`batch[index]`): iterating an array copies each
        // element out, a retain of each of its strings and arrays, which a million-event import feels.
        try AppendSteps.checkEnvelopes(batch)
        return try writing { view in
            var head = try view.checkedHead()
            // Idempotency comes first: a retry of an acknowledged append succeeds whatever else changed since.
            // Which events are stored already is known by their ids before the prepare step, so a large
            // batch's validation starts now, beside the prepare step and the writing.
            var storedCopies: [(index: Int, event: RecordedEvent)] = []
            for index in batch.indices {
                if let stored = try view.event(id: batch[index].id) { storedCopies.append((index, stored)) }
            }
            let offered = AppendSteps.fresh(batch, storedCopies)  // what the validation judges, as given
            // Started early only when nothing but `prepare` can refuse the batch before the writing: a
            // retry with other content or a missed expectation is refused at once, not after a validation
            // (which cannot be stopped midway) of a batch that will not be written.
            let expectationsMet = try expecting.allSatisfy { try $0.value.isSatisfied(by: view.streamVersion($0.key)) }
            let early =
                offered.count >= Self.concurrentValidationThreshold && storedCopies.isEmpty && expectationsMet
                ? try startValidation(validate, of: offered, in: view, head: head) : nil
            // However this closure is left, the validation is over first: it must not outlive the transaction.
            defer { _ = try? early?.value() }
            let batch = try AppendSteps.prepared(batch, by: prepare, in: view)
            for (index, stored) in storedCopies where !batch[index].isSameContent(as: stored) {
                throw EventLogError.duplicateIDWithDifferentContent(id: stored.id, storedSeq: stored.seq)
            }
            let duplicates = storedCopies.map(\.event)
            let fresh = AppendSteps.fresh(batch, storedCopies)
            if fresh.isEmpty { return AppendResult(appended: [], duplicates: duplicates, head: head) }
            for (stream, expected) in expecting.sorted(by: { $0.key < $1.key }) {
                let actual = try view.streamVersion(stream)
                guard expected.isSatisfied(by: actual) else {
                    throw EventLogError.wrongExpectedVersion(stream: stream, expected: expected, actual: actual)
                }
            }
            // Transaction time never decreases along the log, so "recorded at or before K" is a prefix of the
            // log and a binary search finds it. A clock that steps back a little is clamped to the last
            // recordedAt; one far behind is refused (see ClockTolerance), after the idempotency check above so
            // that a retry still succeeds.
            var recordedAt = clock.now()
            if let last = head.recordedAt, recordedAt < last {
                if !allowsClockBehind && ClockTolerance.isTooFarBehind(recordedAt, last) {
                    throw EventLogError.clockBehindHead(clock: recordedAt, head: last)
                }
                recordedAt = last
            }
            // The tag index is written only while it is complete up to the head; a lagging one (a store from an
            // earlier build, or after a restore) is left for ``catchUpTags(_:)``, so it never has holes.
            let tagging = try view.tagIndexPosition() == head.seq
            // A small batch is validated now, after everything above (as it always was).
            let validation = try early ?? startValidation(validate, of: offered, in: view, head: head)
            defer { _ = try? validation?.value() }
            var appended: [RecordedEvent] = []
            do {
                appended.reserveCapacity(fresh.count)
                var indexes = IndexBatch(capacity: fresh.count)
                for index in fresh.indices {
                    // A batch its validation refused is not written to the end: the refusal is thrown now.
                    if index % 4_096 == 4_095, let validation, validation.hasFailed { try validation.value() }
                    let stream = fresh[index].stream
                    let (streamNumber, version) = try indexes.nextVersion(of: stream) {
                        try view.streamVersion(stream)
                    }
                    let seq = head.seq + 1
                    let body = EventEncoding.body(
                        seq: seq, id: fresh[index].id, streamVersion: version, recordedAt: recordedAt,
                        event: fresh[index])
                    let hash = EventEncoding.chain(previous: head.hash, body: body)
                    let recorded = RecordedEvent(
                        seq: seq, id: fresh[index].id, stream: stream, streamVersion: version,
                        type: fresh[index].type, schemaVersion: fresh[index].schemaVersion,
                        occurredAt: fresh[index].occurredAt, recordedAt: recordedAt,
                        recordedBy: fresh[index].recordedBy, payload: fresh[index].payload, hash: hash)
                    try view.insertRecord(recorded, body: body)
                    indexes.add(recorded, stream: streamNumber)
                    if tagging { indexes.addTags(fresh[index].tags, seq: seq) }
                    appended.append(recorded)
                    head = LogHead(seq: seq, hash: hash, recordedAt: recordedAt)
                }
                try indexes.flush(into: view)
                try view.setHead(head)
                if tagging { try view.setTagIndexPosition(head.seq) }
            } catch {
                // The validation's verdict comes first, as it would had it run before the writing.
                try validation?.value()
                throw error
            }
            try validation?.value()
            if let checkpoints {
                for checkpoint in try checkpoints(view, appended) { try view.put(checkpoint) }
            }
            return AppendResult(appended: appended, duplicates: duplicates, head: head)
        }
    }

    /// Batches of at least this many new events are validated on another thread while they are written.
    static let concurrentValidationThreshold = 1_024

    /// Validates `fresh` against the log as it was before the batch: a small batch at once, in `view`; a
    /// large one on another thread, in a read snapshot of its own, while this thread writes the batch (the
    /// returned work, which the append must wait for before it commits).
    ///
    /// The snapshot shows the log before the batch because it is taken while this write transaction holds
    /// the writers' lock: nothing can be committed between the two.
    ///
    /// A snapshot does not see what this transaction wrote before (the subject keys `prepare` created): a
    /// validation must judge the log's events, not the keys. The read waits for nothing this thread holds:
    /// it does not take the environment's resize lock, which this transaction holds until the append has
    /// waited for the validation (`readBesideWrite`).
    private func startValidation(
        _ validate: (@Sendable (any LogView, [NewEvent]) throws -> Void)?, of fresh: [NewEvent], in view: LMDBLogView,
        head expected: LogHead
    ) throws -> Background<Void>? {
        guard let validate else { return nil }
        guard fresh.count >= Self.concurrentValidationThreshold else {
            try validate(view, fresh)
            return nil
        }
        return Background { [self] in
            try readBesideWrite { snapshot in
                // Only a bug could break this; were it broken, the verdict would be about another log.
                guard try snapshot.head() == expected else {
                    throw EventLogError.storage("the validation's snapshot is not the log the batch continues")
                }
                try validate(snapshot, fresh)
            }
        }
    }

    @discardableResult
    public func restore(
        _ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey], dryRun: Bool
    ) throws -> LogHead {
        try AppendSteps.checkRestored(events, tags: tags)
        do {
            return try restoring(events, tags: tags, keys: keys, dryRun: dryRun)
        } catch let abort as DryRunAbort {
            return abort.head
        }
    }

    private func restoring(
        _ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey], dryRun: Bool
    ) throws -> LogHead {
        try writing { view in
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
            let head = continuity.head
            try indexes.flush(into: view)
            try view.setHead(head)
            if tagging { try view.setTagIndexPosition(head.seq) }
            if dryRun { throw DryRunAbort(head: head) }
            return head
        }
    }

    /// Runs `body` on a view of one write transaction, committed when it returns.
    func writing<R>(_ body: (LMDBLogView) throws -> R) throws -> R {
        try storage {
            try environment.write { txn in
                try withUnsafePointer(to: txn) { pointer in
                    try body(LMDBLogView(transaction: pointer, databases: databases))
                }
            }
        }
    }
}

/// Aborts a dry-run restore's transaction once everything has been checked.
private struct DryRunAbort: Error {
    let head: LogHead
}
