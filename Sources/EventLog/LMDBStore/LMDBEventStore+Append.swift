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
            let before = try view.checkedHead()
            let retries = try AppendSteps.Retries(of: batch) { try view.event(id: $0) }
            let early = try startEarlyValidation(hooks, of: retries, expecting: expecting, in: view, head: before)
            // However this closure is left, the validation is over first: it must not outlive the transaction.
            defer { _ = try? early?.value() }
            let (fresh, duplicates) = try retries.prepare(batch, with: hooks, keys: view)
            if fresh.isEmpty {
                return AppendResult(appended: [], duplicates: duplicates, head: before, isDryRun: dryRun)
            }
            try AppendSteps.checkExpectations(expecting) { try view.streamVersion($0) }
            let recordedAt = try AppendSteps.recordedAt(
                clock.now(), after: before, allowsClockBehind: allowsClockBehind)
            // A small batch is validated now, after everything above.
            let validation = try early ?? startValidation(hooks, of: retries.offered, in: view, head: before)
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
        _ hooks: any AppendHooks, of offered: [NewEvent], in view: LMDBLogView, head expected: LogHead
    ) throws -> Background<Void>? {
        // The plain append's hooks accept every batch: no snapshot, no thread.
        if hooks is NoAppendHooks { return nil }
        guard offered.count >= Self.concurrentValidationThreshold else {
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

    /// The checkpoint step: stores what the hooks returned, in the append's transaction.
    @discardableResult
    public func restore(
        _ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey], dryRun: Bool
    ) throws -> LogHead {
        try AppendSteps.checkRestored(events, tags: tags)
        return try writing(discarding: dryRun) { view in
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
    }

    /// Runs `body` on a view of one write transaction, committed when it returns.
    func writing<R>(_ body: (LMDBLogView) throws -> R) throws -> R {
        try storage {
            try environment.write { txn in
                try StoreMigration.recordCurrentFormat(in: databases, txn)
                return try withUnsafePointer(to: txn) { pointer in
                    try body(LMDBLogView(transaction: pointer, databases: databases))
                }
            }
        }
    }

    /// ``writing(_:)``, rolled back once `body` has returned when `discarding` (a dry run): what it returns
    /// says what would have been written.
    private func writing<R: Sendable>(discarding: Bool, _ body: (LMDBLogView) throws -> R) throws -> R {
        guard discarding else { return try writing(body) }
        do {
            return try writing { view -> R in throw AppendSteps.Discarded(try body(view)) }
        } catch let discarded as AppendSteps.Discarded<R> {
            return discarded.result
        }
    }
}
