internal import Foundation

/// The steps of an append that do not depend on the backend, shared so that every store holds the
/// `prepare` step to the same contract and splits a batch the same way (PostgreSQL's store too: `package`).
package enum AppendSteps {
    /// The events of `batch` not stored already (`stored` gives the others, in batch order): without
    /// duplicates (the usual case) the batch itself, not a copy of each event.
    package static func fresh(_ batch: [NewEvent], _ stored: [(index: Int, event: RecordedEvent)]) -> [NewEvent] {
        guard !stored.isEmpty else { return batch }
        var isStored = [Bool](repeating: false, count: batch.count)
        for (index, _) in stored { isStored[index] = true }
        return batch.indices.filter { !isStored[$0] }.map { batch[$0] }
    }

    /// Runs an append's `prepare` step, holding it to its contract: the same events, in order.
    package static func prepared(
        _ batch: [NewEvent], by prepare: ((any SubjectKeyWriter, [NewEvent]) throws -> [NewEvent])?,
        in writer: any SubjectKeyWriter
    ) throws -> [NewEvent] {
        guard let prepare else { return batch }
        let result = try prepare(writer, batch)
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
}
