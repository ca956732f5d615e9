internal import EventLog

/// What ``HistoryReader/verifyTagIndex(progress:)`` found.
public struct TagIndexCheck: Equatable, Sendable {
    /// The `seq` through which the index claims to be complete.
    public let position: UInt64
    /// How many (tag, event) entries the log implies up to that position.
    public let entries: Int
    /// The first difference between the index and the log, if any.
    public let fault: String?

    /// Whether the index is exactly what the log implies.
    public var isSound: Bool { fault == nil }
}

extension HistoryReader {
    /// Derives every event's tags (``EventTag``) again from the log, up to the tag index's position, and
    /// compares them with the index: every tag present, and no entries beyond them. The rule checks and
    /// one-collaborative queries trust the index, so a missing entry (damage underneath) is a fault here.
    ///
    /// - Complexity: one pass decoding the events, plus one index lookup per tag.
    public func verifyTagIndex(progress: (_ checked: UInt64, _ total: UInt64) -> Void = { _, _ in }) throws
        -> TagIndexCheck
    {
        try log.read { view in
            let position = try view.tagIndexPosition()
            var expected = 0
            var fault: String?
            progress(0, position)
            try view.scan(from: 1, direction: .forward) { event in
                guard event.seq <= position else { return false }
                for tag in EventTag.tags(of: try decoder.decode(event)) {
                    expected += 1
                    guard try view.isTagged(event.seq, with: tag) else {
                        fault = "seq \(event.seq): the tag index lacks \(tag.debugDescription)"
                        return false
                    }
                }
                if event.seq % 1024 == 0 { progress(event.seq, position) }
                if event.seq % 16_384 == 0 { log.releaseReadMemory() }
                return true
            }
            progress(position, position)
            if fault == nil {
                let stored = try view.tagEntryCount()
                if stored != expected {
                    fault = "the tag index holds \(stored) entries where the log implies \(expected)"
                }
            }
            return TagIndexCheck(position: position, entries: expected, fault: fault)
        }
    }
}
