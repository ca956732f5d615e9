internal import Foundation
internal import LMDB

/// ``LogView`` over one LMDB transaction. Holds a pointer to the transaction, which lives in the
/// enclosing ``Environment/read(_:)`` or ``Environment/write(_:)`` closure; the view never escapes it.
struct LMDBLogView: LogView {
    let transaction: UnsafePointer<Transaction>
    let databases: StoreDatabases

    var txn: Transaction {
        _read { yield transaction.pointee }
    }

    func head() throws -> LogHead {
        try txn.withValue(databases.meta, key: StoreKeys.headKey) { bytes throws(LMDBError) in
            bytes.flatMap(StoreKeys.decodeHead) ?? .empty
        }
    }

    /// The head an append continues the chain from, checked first against the events it names: the head
    /// record decodes; the last stored event is the one it names, decodes, carries its hash and recordedAt;
    /// and that hash is SHA-256 of the previous event's hash and its body. A store whose head cannot be read
    /// or does not check is refused (``EventLogError/storage(_:)``, nothing written): chaining onto a damaged
    /// head would bury the damage under events that seem sound. Two reads and one hash, whatever the log's
    /// length; damage deeper in the log is `verify`'s to find.
    func checkedHead() throws -> LogHead {
        let damaged = { (reason: String) in
            EventLogError.storage("the store is damaged: \(reason); nothing was written")
        }
        let stored: LogHead?? = try txn.withValue(databases.meta, key: StoreKeys.headKey) { bytes throws(LMDBError) in
            bytes.map(StoreKeys.decodeHead)
        }
        let last: (key: [UInt8], value: [UInt8])? = try txn.withCursor(databases.events) { cursor in
            try cursor.last().map { ($0.keyBytes, $0.valueBytes) }
        }
        guard let stored else {
            guard last == nil else { throw damaged("the head record is missing but events are stored") }
            return .empty
        }
        guard let head = stored else { throw damaged("the head record does not decode") }
        guard let last else {
            guard head.seq == 0 else { throw damaged("the head names seq \(head.seq) but no event is stored") }
            return head
        }
        guard head.seq > 0, last.key.elementsEqual(StoreKeys.seq(head.seq)) else {
            throw damaged("the head names seq \(head.seq) but it is not the last stored event")
        }
        let event = try last.value.withUnsafeBytes { bytes throws(EventLogError) in
            try EventEncoding.decode(record: bytes, expectedSeq: head.seq)
        }
        guard event.seq == head.seq, event.hash == head.hash, event.recordedAt == head.recordedAt else {
            throw damaged("the head record does not match the last event (seq \(head.seq))")
        }
        let previous: EventHash?
        if head.seq == 1 {
            previous = .genesis
        } else {
            previous = try txn.withValue(databases.events, key: StoreKeys.seq(head.seq - 1)) {
                bytes throws(LMDBError) in
                guard let bytes, bytes.count > EventEncoding.hashLength else { return nil }
                return EventHash(bytes: Array(bytes[(bytes.count - EventEncoding.hashLength)...]))
            }
        }
        guard let previous else { throw damaged("seq \(head.seq - 1), before the head, cannot be read") }
        let body = last.value[0..<(last.value.count - EventEncoding.hashLength)]
        guard EventEncoding.chain(previous: previous, body: Array(body)) == event.hash else {
            throw damaged("the last event (seq \(head.seq)) does not match its hash")
        }
        return head
    }

    func event(at seq: UInt64) throws -> RecordedEvent? {
        // The decoding error is carried out in a variable, not a `Result<_, EventLogError>`: instantiating that
        // generic type would look up `EventLogError: Error` at run time (a scan of every conformance record).
        var failure: EventLogError?
        let event: RecordedEvent? = try txn.withValue(databases.events, key: StoreKeys.seq(seq)) {
            bytes throws(LMDBError) in
            guard let bytes else { return nil }
            do throws(EventLogError) {
                return try EventEncoding.decode(record: bytes, expectedSeq: seq)
            } catch {
                failure = error
                return nil
            }
        }
        if let failure { throw failure }
        if let event { try Self.checkSeq(of: event.seq, storedUnder: seq) }
        return event
    }

    /// A record naming another seq than its key's is damage (a flipped byte), refused by every read: a reader
    /// that stops at the first event past a seq (a rebuild's stretch) would otherwise skip the events after it
    /// and fold a wrong present view.
    private static func checkSeq(of recorded: UInt64, storedUnder key: UInt64) throws(EventLogError) {
        guard recorded == key else {
            throw .corruptRecord(seq: key, reason: "record says seq \(recorded) but is stored under seq \(key)")
        }
    }

    func event(id: UUID) throws -> RecordedEvent? {
        guard let seq = try seq(of: id) else { return nil }
        return try event(at: seq)
    }

    func seq(of id: UUID) throws -> UInt64? {
        try txn.withValue(databases.ids, key: StoreKeys.id(id)) { bytes throws(LMDBError) in
            guard let bytes, bytes.count == 8 else { return nil }
            return StoreKeys.readBigEndian(bytes, at: 0)
        }
    }

    func streamVersion(_ stream: String) throws -> UInt64? {
        let prefix = Array(stream.utf8) + [0]
        return try txn.withCursor(databases.streams) { cursor in
            guard let entry = try cursor.seek(atOrBefore: StoreKeys.stream(stream, version: .max)),
                entry.key.count == prefix.count + 8, entry.key.starts(with: prefix)
            else { return nil }
            return StoreKeys.readBigEndian(entry.key, at: prefix.count)
        }
    }

    func lastSeq(recordedAtOrBefore instant: Timestamp) throws -> UInt64 {
        var low: UInt64 = 0
        var high = try head().seq
        while low < high {
            let middle = low + (high - low + 1) / 2
            guard let recordedAt = try recordedAt(of: middle) else {
                throw EventLogError.corruptRecord(seq: middle, reason: "missing from the events database")
            }
            if recordedAt <= instant { low = middle } else { high = middle - 1 }
        }
        return low
    }

    private func recordedAt(of seq: UInt64) throws -> Timestamp? {
        try txn.withValue(databases.events, key: StoreKeys.seq(seq)) { bytes throws(LMDBError) in
            guard let bytes, bytes.count >= EventEncoding.recordedAtOffset + 8 else { return nil }
            return Timestamp(
                microsecondsSinceEpoch: Int64(
                    bitPattern: StoreKeys.readBigEndian(bytes, at: EventEncoding.recordedAtOffset)))
        }
    }

    func checkpointPrefix(named name: String, length: Int) throws -> (position: UInt64, prefix: [UInt8])? {
        try txn.withValue(databases.checkpoints, key: Array(name.utf8)) { bytes throws(LMDBError) in
            guard let bytes, bytes.count >= 8 else { return nil }
            return (StoreKeys.readBigEndian(bytes, at: 0), Array(bytes[8..<min(bytes.count, 8 + max(length, 0))]))
        }
    }

    func checkpoint(named name: String) throws -> Checkpoint? {
        try txn.withValue(databases.checkpoints, key: Array(name.utf8)) { bytes throws(LMDBError) in
            guard let bytes, bytes.count >= 8 else { return nil }
            return Checkpoint(name: name, position: StoreKeys.readBigEndian(bytes, at: 0), state: Array(bytes[8...]))
        }
    }

    /// Writes position ‖ state straight into the page LMDB reserves, without joining them in a copy first (a
    /// large state would otherwise be held three times while it is stored).
    func put(_ checkpoint: Checkpoint) throws {
        try putCheckpoint(name: checkpoint.name, position: checkpoint.position, stateSize: checkpoint.state.count) {
            $0.copyBytes(from: checkpoint.state)
        }
    }

    /// Writes position ‖ state into the page LMDB reserves, the state filled by `write`; when `write` throws,
    /// its error is rethrown (and the caller's transaction, aborted by it, stores nothing).
    func putCheckpoint(
        name: String, position: UInt64, stateSize: Int, write: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        guard stateSize >= 0 else { throw EventLogError.storage("a checkpoint of \(stateSize) bytes") }
        let prefix = StoreKeys.bigEndian(position)
        var failure: (any Error)?
        try txn.put(databases.checkpoints, key: Array(name.utf8), reserving: prefix.count + stateSize) { buffer in
            buffer.copyBytes(from: prefix)
            do {
                try write(UnsafeMutableRawBufferPointer(rebasing: buffer[prefix.count...]))
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    func scan(from seq: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool) throws {
        try txn.withCursor(databases.events) { cursor in
            let start = StoreKeys.seq(seq)
            var names = EnvelopeNames()
            var entry = direction == .forward ? try cursor.seek(atOrAfter: start) : try cursor.seek(atOrBefore: start)
            while let current = entry {
                // A key of another size is damage (a flipped node size), not a seq to read past its end.
                guard current.key.count == 8 else { throw corruptIndex("events", current) }
                let key = StoreKeys.readBigEndian(current.key, at: 0)
                let event = try EventEncoding.decode(record: current.value, expectedSeq: key, names: &names)
                try Self.checkSeq(of: event.seq, storedUnder: key)
                guard try body(event) else { return }
                entry = direction == .forward ? try cursor.next() : try cursor.previous()
            }
        }
    }

    /// ``scan(from:direction:_:)`` forward, each event read in place from the mapped page
    /// (``EventEncoding/decodeInPlace(record:expectedSeq:names:)``).
    func scanInPlace(from seq: UInt64, _ body: (EventInPlace) throws -> Bool) throws {
        try txn.withCursor(databases.events) { cursor in
            var names = EnvelopeNames()
            var entry = try cursor.seek(atOrAfter: StoreKeys.seq(seq))
            while let current = entry {
                guard current.key.count == 8 else { throw corruptIndex("events", current) }
                let key = StoreKeys.readBigEndian(current.key, at: 0)
                let event = try EventEncoding.decodeInPlace(record: current.value, expectedSeq: key, names: &names)
                try Self.checkSeq(of: event.seq, storedUnder: key)
                guard try body(event) else { return }
                entry = try cursor.next()
            }
        }
    }

    /// The events at `seqs`, each read in place from its mapped page with every check of ``event(at:)`` (a
    /// damaged envelope, or a record naming another seq than its key, is refused), through one cursor: seqs
    /// in ascending order mostly land on the page the cursor already holds.
    func eventsInPlace(at seqs: [UInt64], _ body: (UInt64, EventInPlace?) throws -> Void) throws {
        try txn.withCursor(databases.events) { cursor in
            var names = EnvelopeNames()
            for seq in seqs {
                let key = StoreKeys.seq(seq)
                guard let current = try cursor.seek(atOrAfter: key), current.key.elementsEqual(key) else {
                    try body(seq, nil)
                    continue
                }
                let event = try EventEncoding.decodeInPlace(record: current.value, expectedSeq: seq, names: &names)
                try Self.checkSeq(of: event.seq, storedUnder: seq)
                try body(seq, event)
            }
        }
    }

    func scanStream(
        _ stream: String, from version: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool
    ) throws {
        let prefix = Array(stream.utf8) + [0]
        try scanIndex(databases.streams, prefix: prefix, start: StoreKeys.stream(stream, version: version), direction) {
            entry in
            guard entry.value.count == 8 else { throw corruptIndex("streams", entry) }
            return StoreKeys.readBigEndian(entry.value, at: 0)
        } body: {
            try body($0)
        }
    }

    func scanType(
        _ type: String, from seq: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool
    ) throws {
        let prefix = Array(type.utf8) + [0]
        try scanIndex(databases.types, prefix: prefix, start: StoreKeys.type(type, seq: seq), direction) { entry in
            StoreKeys.readBigEndian(entry.key, at: prefix.count)
        } body: {
            try body($0)
        }
    }

    func scanOccurred(
        from lower: OccurredPosition, through upper: OccurredPosition, direction: ReadDirection,
        _ body: (RecordedEvent) throws -> Bool
    ) throws {
        guard lower <= upper else { return }
        try txn.withCursor(databases.occurred) { cursor in
            var entry =
                direction == .forward
                ? try cursor.seek(atOrAfter: StoreKeys.occurred(lower))
                : try cursor.seek(atOrBefore: StoreKeys.occurred(upper))
            while let current = entry {
                guard let position = StoreKeys.occurredPosition(current.key) else {
                    throw corruptIndex("occurred", current)
                }
                if position < lower || position > upper { return }
                guard let event = try event(at: position.seq) else {
                    throw EventLogError.corruptRecord(seq: position.seq, reason: "occurred index names a missing event")
                }
                guard try body(event) else { return }
                entry = direction == .forward ? try cursor.next() : try cursor.previous()
            }
        }
    }

    /// Walks an index whose keys start with `prefix`, resolving each entry to an event through `seqOf`.
    private func scanIndex(
        _ database: Database, prefix: [UInt8], start: [UInt8], _ direction: ReadDirection,
        seqOf: (CursorEntry) throws -> UInt64, body: (RecordedEvent) throws -> Bool
    ) throws {
        try txn.withCursor(database) { cursor in
            var entry = direction == .forward ? try cursor.seek(atOrAfter: start) : try cursor.seek(atOrBefore: start)
            while let current = entry, current.key.count == prefix.count + 8, current.key.starts(with: prefix) {
                let seq = try seqOf(current)
                guard let event = try event(at: seq) else {
                    throw EventLogError.corruptRecord(
                        seq: seq, reason: "\(database.name ?? "") index names a missing event")
                }
                guard try body(event) else { return }
                entry = direction == .forward ? try cursor.next() : try cursor.previous()
            }
        }
    }

    private func corruptIndex(_ name: String, _ entry: CursorEntry) -> EventLogError {
        .corruptRecord(seq: 0, reason: "malformed entry in the \(name) index (key of \(entry.key.count) bytes)")
    }
}
