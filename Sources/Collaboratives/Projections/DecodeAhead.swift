internal import Dispatch
internal import EventLog
internal import Synchronization

extension Chronicle {
    /// How many events a rebuild decodes per stretch while it folds the stretch before.
    static let decodeStretch: UInt64 = 4_096

    /// Calls `body` with the log's events through `last`, decoded for folding, in `seq` order.
    ///
    /// Decoding (reading records, envelopes and payloads) is half a rebuild's work and needs nothing from
    /// the fold, so it runs a stretch ahead on another thread: while `body` folds one stretch, the next is
    /// being decoded. Each stretch is read in its own snapshot; the log only grows, so every snapshot holds
    /// the events through `last`.
    func forEachDecodedEntry(
        through last: UInt64, stretch: UInt64 = decodeStretch, _ body: (RecordedEntry) throws -> Void
    ) throws {
        let stretch = max(stretch, 1)
        func decodeAhead(from start: UInt64) -> Decoding<[RecordedEntry]>? {
            guard start <= last else { return nil }
            let end = min(last, start + stretch - 1)
            return Decoding { try self.decodedEntries(from: start, through: end) }
        }
        var start: UInt64 = 1
        var pending = decodeAhead(from: start)
        // When the fold throws, the stretch being decoded is waited for, so that no read transaction of it
        // outlives the call.
        defer { _ = try? pending?.value() }
        while let current = pending {
            let entries = try current.value()
            start += stretch
            pending = decodeAhead(from: start)
            for entry in entries { try body(entry) }
        }
    }

    /// The events `start...end`, decoded for folding, from one snapshot.
    func decodedEntries(from start: UInt64, through end: UInt64) throws -> [RecordedEntry] {
        try log.read { view in
            var entries: [RecordedEntry] = []
            entries.reserveCapacity(Int(end - start + 1))
            try view.scan(from: start, direction: .forward) { event in
                guard event.seq <= end else { return false }
                entries.append(try self.recordedEntry(of: event, in: view))
                return true
            }
            return entries
        }
    }
}

/// Work started on another thread now, whose result (or error) ``value()`` waits for.
final class Decoding<Value: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let result = Mutex<Result<Value, any Error>?>(nil)

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let outcome = Result { try work() }
            result.withLock { $0 = outcome }
            done.signal()
        }
    }

    func value() throws -> Value {
        done.wait()
        done.signal()  // so that a second call returns at once too
        // The semaphore is signalled only after the result is set.
        guard let outcome = result.withLock({ $0 }) else { throw CancellationError() }
        return try outcome.get()
    }
}
