internal import LMDB

extension LMDBEventStore {
    /// Walks the log once, in one snapshot, with memory that does not grow with the log, and checks:
    /// seq is gapless from 1; every record decodes and names its own seq; every hash equals
    /// SHA-256(previous hash ‖ body); `recordedAt` never decreases; each event has its entry in the `ids`,
    /// `streams`, `types` and `occurred` indexes and its stream version follows the previous one; the
    /// stored head matches the last event; and each index holds exactly one entry per event. When all that
    /// holds, every page the B-trees reach is checked too (`Environment.checkPageHeaders()`): a page header
    /// that reads well but that liblmdb's commit would mishandle breaks the store at the next write. A page the
    /// system fails to read (an I/O error, not damage) is thrown as ``EventLogError/storage(_:)``.
    ///
    /// The walk's pages are released every 16,384 events only above the store's resident budget
    /// (``Options/residentFileMemoryBudget``): its index lookups land at random over the file, and pages kept
    /// below the budget are not faulted in again.
    public func verify() throws -> VerificationReport {
        let report = try read { view in
            guard let view = view as? LMDBLogView else {
                return VerificationReport(eventCount: 0, head: .empty, fault: .init(seq: nil, problem: "unknown view"))
            }
            return try view.verify(every: 16_384) { self.environment.releaseMappedPagesBeyondBudget() }
        }
        guard report.isSound, let problem = try storage({ try environment.checkPageHeaders() }) else { return report }
        return VerificationReport(
            eventCount: report.eventCount, head: report.head, fault: .init(seq: nil, problem: problem))
    }
}

extension LMDBLogView {
    /// Verifies the log, calling `release` every `interval` events so that the pages read do not pile up
    /// in memory.
    func verify(every interval: UInt64, release: () -> Void) throws -> VerificationReport {
        let storedHead = try head()
        var count: UInt64 = 0
        var previousHash = EventHash.genesis
        var previousRecordedAt: Timestamp?
        var fault: VerificationFault?
        // What LMDB cannot read (a damaged page or node, ``LMDBError``) is a fault found, named by the seq
        // reached, not an error that hides how far the chain was checked.
        try txn.withCursor(databases.events) { cursor in
            var entry: CursorEntry?
            do {
                entry = try cursor.first()
            } catch {
                fault = .init(seq: 1, problem: "the events cannot be read (\(error))")
                return
            }
            while let current = entry {
                let expectedSeq = count + 1
                guard current.key.count == 8 else {
                    fault = .init(seq: expectedSeq, problem: "events key of \(current.key.count) bytes")
                    return
                }
                let keySeq = StoreKeys.readBigEndian(current.key, at: 0)
                guard keySeq == expectedSeq else {
                    fault = .init(seq: expectedSeq, problem: "missing: the next stored event is seq \(keySeq)")
                    return
                }
                let event: RecordedEvent
                do {
                    event = try EventEncoding.decode(record: current.value, expectedSeq: keySeq)
                } catch {
                    fault = .init(seq: keySeq, problem: "record does not decode (\(error))")
                    return
                }
                let body = UnsafeRawBufferPointer(rebasing: current.value[0..<(current.value.count - 32)])
                let problem: String?
                do {
                    problem = try check(event, keySeq: keySeq, body: body, previousHash, previousRecordedAt)
                } catch let error as LMDBError {
                    problem = "its index entries cannot be read (\(error))"
                }
                if let problem {
                    fault = .init(seq: keySeq, problem: problem)
                    return
                }
                previousHash = event.hash
                previousRecordedAt = event.recordedAt
                count = keySeq
                if count % interval == 0 { release() }
                do {
                    entry = try cursor.next()
                } catch {
                    fault = .init(seq: keySeq + 1, problem: "the stored event cannot be read (\(error))")
                    return
                }
            }
        }
        if fault == nil {
            do {
                fault = try checkTotals(
                    storedHead: storedHead, count: count, lastHash: previousHash, previousRecordedAt)
            } catch let error as LMDBError {
                fault = .init(seq: nil, problem: "an index cannot be read (\(error))")
            }
        }
        return VerificationReport(eventCount: count, head: storedHead, fault: fault)
    }

    private func check(
        _ event: RecordedEvent, keySeq: UInt64, body: UnsafeRawBufferPointer, _ previousHash: EventHash,
        _ previousRecordedAt: Timestamp?
    ) throws -> String? {
        if event.seq != keySeq { return "record says seq \(event.seq) but is stored under seq \(keySeq)" }
        let computed = EventEncoding.chain(previous: previousHash, body: body)
        if computed != event.hash { return "hash mismatch: stored \(event.hash), computed \(computed)" }
        if let previousRecordedAt, event.recordedAt < previousRecordedAt {
            return "recordedAt \(event.recordedAt) is before the previous event's \(previousRecordedAt)"
        }
        if try seq(of: event.id) != keySeq { return "ids index does not map \(event.id) to this event" }
        let streamKey = StoreKeys.stream(event.stream, version: event.streamVersion)
        let streamSeq = try txn.get(databases.streams, key: streamKey)
        if streamSeq != StoreKeys.seq(keySeq) {
            return "streams index does not map \(event.stream) version \(event.streamVersion) to this event"
        }
        if event.streamVersion > 1 {
            let previousKey = StoreKeys.stream(event.stream, version: event.streamVersion - 1)
            guard let previous = try txn.get(databases.streams, key: previousKey), previous.count == 8,
                previous.withUnsafeBytes({ StoreKeys.readBigEndian($0, at: 0) }) < keySeq
            else { return "stream \(event.stream) has no version \(event.streamVersion - 1) before this event" }
        } else if event.streamVersion == 0 {
            return "stream version 0"
        }
        if try txn.get(databases.types, key: StoreKeys.type(event.type, seq: keySeq)) == nil {
            return "types index has no entry for this event"
        }
        let occurredKey = StoreKeys.occurred(OccurredPosition(sortKey: event.occurredAt.sortKey, seq: keySeq))
        if try txn.get(databases.occurred, key: occurredKey) == nil {
            return "occurred index has no entry for this event"
        }
        return nil
    }

    private func checkTotals(
        storedHead: LogHead, count: UInt64, lastHash: EventHash, _ lastRecordedAt: Timestamp?
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
        for database in [databases.ids, databases.streams, databases.types, databases.occurred] {
            let entries = try txn.statistics(database).entries
            if entries != Int(count) {
                return .init(
                    seq: nil, problem: "\(database.name ?? "") index holds \(entries) entries for \(count) events")
            }
        }
        return try checkTags(count: count)
    }

    /// The tag index is complete through a position at most the head, and each entry names a stored event
    /// at or before that position. (Which tags an event should have is the caller's knowledge: the domain's
    /// own check compares them.)
    private func checkTags(count: UInt64) throws -> VerificationFault? {
        let position = try tagIndexPosition()
        if position > count {
            return .init(seq: nil, problem: "tag index claims position \(position) beyond the log's \(count) events")
        }
        guard let tags = databases.tags else { return nil }
        return try txn.withCursor(tags) { cursor in
            var entry = try cursor.first()
            while let current = entry {
                guard !current.key.isEmpty, current.value.count == 8 else {
                    return .init(
                        seq: nil,
                        problem: "malformed entry in the tags index (key of \(current.key.count) bytes, value of "
                            + "\(current.value.count))")
                }
                let seq = StoreKeys.readBigEndian(current.value, at: 0)
                if seq == 0 || seq > position {
                    let tag = String(decoding: current.key, as: UTF8.self)
                    return .init(
                        seq: seq,
                        problem:
                            "tags index entry \(tag.debugDescription) names an event beyond its position \(position)")
                }
                entry = try cursor.next()
            }
            return nil
        }
    }
}
