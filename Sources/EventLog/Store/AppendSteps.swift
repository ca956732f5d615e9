package import Foundation

/// The steps of an append that do not depend on the backend, written once for every store (PostgreSQL's
/// too: `package`), so that each holds ``AppendHooks`` to the same contract and refuses a batch for the same
/// reasons in the same order. An append runs them in this order: ``checkEnvelopes(_:)`` (check),
/// ``Retries`` (deduplicate, then prepare through ``Retries/prepare(_:with:keys:)``),
/// ``checkExpectations(_:streamVersion:)``, ``recordedAt(_:after:allowsClockBehind:)`` (the clock), the
/// hooks' validation, ``record(_:seq:streamVersion:recordedAt:after:)`` for each event it writes (write), the
/// backend's indexes, and the hooks' checkpoints.
package enum AppendSteps {
    /// Checks every event's envelope and refuses an id that appears twice in the batch.
    package static func checkEnvelopes(_ batch: [NewEvent]) throws {
        var seen = Set<UUID>(minimumCapacity: batch.count)
        for index in batch.indices {
            try EnvelopeChecks.check(batch[index], index: index)
            guard seen.insert(batch[index].id).inserted else {
                throw EventLogError.duplicateIDInBatch(id: batch[index].id)
            }
        }
    }

    /// The deduplicate step: the events of a batch stored already (idempotent retries) and those offered for
    /// the first time. It comes first: a retry of an acknowledged append succeeds whatever else changed
    /// since, and which events are retries is known by their ids before the prepare step.
    package struct Retries {
        /// The stored copy of each event of the batch stored already, by its index in the batch, in batch order.
        package let stored: [(index: Int, event: RecordedEvent)]
        /// The events not stored yet, as offered (before the prepare step): what the validation judges.
        package let offered: [NewEvent]

        /// Looks up each event of `batch` by id with `storedEvent`.
        package init(of batch: [NewEvent], storedEvent: (UUID) throws -> RecordedEvent?) throws {
            // The loops of an append read each event in place (`batch[index]`): iterating an array copies each
            // element out, a retain of each of its strings and arrays, for every event of a large import.
            var stored: [(index: Int, event: RecordedEvent)] = []
            for index in batch.indices {
                if let copy = try storedEvent(batch[index].id) { stored.append((index, copy)) }
            }
            self.init(of: batch, stored: stored)
        }

        /// `stored` gives the stored copies of events of `batch` (found in whatever way suits the backend), in
        /// batch order.
        package init(of batch: [NewEvent], stored: [(index: Int, event: RecordedEvent)]) {
            self.stored = stored
            offered = Self.fresh(batch, stored)
        }

        /// The prepare step, then the retries' content check: runs the hooks' ``AppendHooks/prepare(_:keys:)``
        /// on `batch` (held to its contract: the same events, in order) and refuses a retry whose content,
        /// prepared, differs from its stored copy.
        ///
        /// - Returns: the prepared events to write (without the retries) and the stored copies of the retries.
        /// - Throws: ``EventLogError/duplicateIDWithDifferentContent(id:storedSeq:)``, the hooks' errors, or
        ///   ``EventLogError/invalidEnvelope(index:field:reason:)`` for a prepare step that broke its contract.
        package func prepare(_ batch: [NewEvent], with hooks: any AppendHooks, keys: any SubjectKeyWriter) throws
            -> (fresh: [NewEvent], duplicates: [RecordedEvent])
        {
            let batch = try AppendSteps.prepared(batch, by: hooks, keys: keys)
            for (index, copy) in stored where !batch[index].isSameContent(as: copy) {
                throw EventLogError.duplicateIDWithDifferentContent(id: copy.id, storedSeq: copy.seq)
            }
            return (Self.fresh(batch, stored), stored.map(\.event))
        }

        /// The events of `batch` not stored already: without retries (the usual case) the batch itself, not
        /// a copy of each event.
        private static func fresh(_ batch: [NewEvent], _ stored: [(index: Int, event: RecordedEvent)]) -> [NewEvent] {
            guard !stored.isEmpty else { return batch }
            var isStored = [Bool](repeating: false, count: batch.count)
            for (index, _) in stored { isStored[index] = true }
            return batch.indices.filter { !isStored[$0] }.map { batch[$0] }
        }
    }

    /// Runs the hooks' prepare step, holding it to its contract: the same events, in order.
    private static func prepared(_ batch: [NewEvent], by hooks: any AppendHooks, keys: any SubjectKeyWriter) throws
        -> [NewEvent]
    {
        // The plain append's hooks return the batch as it is: nothing to hold to the contract.
        if hooks is NoAppendHooks { return batch }
        let result = try hooks.prepare(batch, keys: keys)
        for index in result.indices {
            guard index < batch.count, result[index].id == batch[index].id, result[index].stream == batch[index].stream
            else {
                throw EventLogError.invalidEnvelope(index: index, field: "id", reason: "changed by the prepare step")
            }
            try EnvelopeChecks.check(result[index], index: index)
        }
        guard result.count == batch.count else {
            throw EventLogError.invalidEnvelope(index: result.count, field: "id", reason: "dropped by the prepare step")
        }
        return result
    }

    /// Checks that each stream of `expecting` is at the version expected (in stream order, so that the error
    /// names the same stream on every backend).
    ///
    /// - Throws: ``EventLogError/wrongExpectedVersion(stream:expected:actual:)``; nothing is written.
    package static func checkExpectations(
        _ expecting: [String: ExpectedVersion], streamVersion: (String) throws -> UInt64?
    ) throws {
        for (stream, expected) in expecting.sorted(by: { $0.key < $1.key }) {
            let actual = try streamVersion(stream)
            guard expected.isSatisfied(by: actual) else {
                throw EventLogError.wrongExpectedVersion(stream: stream, expected: expected, actual: actual)
            }
        }
    }

    /// Whether every stream of `expecting` is at the version expected (without saying which is not).
    package static func expectationsAreMet(
        _ expecting: [String: ExpectedVersion], streamVersion: (String) throws -> UInt64?
    ) throws -> Bool {
        try expecting.allSatisfy { try $0.value.isSatisfied(by: streamVersion($0.key)) }
    }

    /// The `recordedAt` of a batch appended after `head` when the clock reads `now`.
    ///
    /// Transaction time never decreases along the log, so "recorded at or before K" is a prefix of the log
    /// and a binary search finds it. A clock that steps back a little is raised to the last `recordedAt`; one
    /// further behind than ``ClockTolerance/behindHead`` is refused unless `allowsClockBehind`. This step
    /// comes after the deduplication, so that a retry still succeeds.
    ///
    /// - Throws: ``EventLogError/clockBehindHead(clock:head:)``.
    package static func recordedAt(_ now: Timestamp, after head: LogHead, allowsClockBehind: Bool) throws
        -> Timestamp
    {
        guard let last = head.recordedAt, now < last else { return now }
        if !allowsClockBehind && ClockTolerance.isTooFarBehind(now, last) {
            throw EventLogError.clockBehindHead(clock: now, head: last)
        }
        return last
    }

    /// The write step of one event: `event` as stored at `seq`, chained after `previous`, with its body (the
    /// bytes its hash covers after the previous hash; see ``EventEncoding``) for a backend that stores it.
    package static func record(
        _ event: NewEvent, seq: UInt64, streamVersion: UInt64, recordedAt: Timestamp, after previous: EventHash
    ) -> (event: RecordedEvent, body: [UInt8]) {
        let body = EventEncoding.body(
            seq: seq, id: event.id, streamVersion: streamVersion, recordedAt: recordedAt, event: event)
        let recorded = RecordedEvent(
            seq: seq, id: event.id, stream: event.stream, streamVersion: streamVersion, type: event.type,
            schemaVersion: event.schemaVersion, occurredAt: event.occurredAt, recordedAt: recordedAt,
            recordedBy: event.recordedBy, payload: event.payload,
            hash: EventEncoding.chain(previous: previous, body: body))
        return (recorded, body)
    }

    /// Checks the envelopes of events offered to a restore (and that `tags` has one list per event).
    package static func checkRestored(_ events: [RecordedEvent], tags: [[String]]?) throws {
        if let tags, tags.count != events.count {
            throw EventLogError.invalidEnvelope(index: 0, field: "tags", reason: "one list of tags per event is needed")
        }
        for (index, event) in events.enumerated() {
            try EnvelopeChecks.check(
                NewEvent(
                    id: event.id, stream: event.stream, type: event.type, schemaVersion: event.schemaVersion,
                    occurredAt: event.occurredAt, recordedBy: event.recordedBy, payload: event.payload,
                    tags: tags?[index] ?? []),
                index: index)
        }
    }

    /// Thrown inside a write transaction to roll it back once everything was checked (a dry run), carrying
    /// what the write would have returned; the store catches it outside the transaction.
    package struct Discarded<Result: Sendable>: Error {
        /// What the write would have returned.
        package let result: Result

        /// Carries `result` out of the transaction.
        package init(_ result: Result) { self.result = result }
    }
}
