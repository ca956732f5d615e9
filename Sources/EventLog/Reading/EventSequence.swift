/// A lazy read of the log: events are fetched a page at a time, each page in its own short snapshot, so
/// that neither the log nor a long-lived reader is held in memory.
///
/// The read is consistent: it sees exactly the events stored when its first page was read (the log only
/// grows, and later events are filtered out by `seq`). Swift's `Sequence` cannot throw, so iterate with
/// ``makeCursor()`` or ``forEach(_:)``:
///
/// ```swift
/// var cursor = store.events(inStream: "orders-1").makeCursor()
/// while let event = try cursor.next() { print(event.seq) }
/// ```
public struct EventSequence: Sendable {
    enum Query: Sendable {
        case global(from: UInt64)
        case stream(String, from: UInt64)
        case type(String, from: UInt64)
        case occurred(from: OccurredPosition, through: OccurredPosition)
    }

    let store: any EventStore
    let query: Query
    let direction: ReadDirection
    /// Events fetched per snapshot.
    public var pageSize = 512

    init(store: any EventStore, query: Query, direction: ReadDirection) {
        self.store = store
        self.query = query
        self.direction = direction
    }

    /// A cursor positioned before the first event of the read.
    public func makeCursor() -> EventCursor { EventCursor(sequence: self) }

    /// Calls `body` with every event of the read, in order.
    public func forEach(_ body: (RecordedEvent) throws -> Void) throws {
        var cursor = makeCursor()
        while let event = try cursor.next() { try body(event) }
    }

    /// The events of the read, at most `limit` of them.
    public func collect(limit: Int = .max) throws -> [RecordedEvent] {
        var cursor = makeCursor()
        var events: [RecordedEvent] = []
        while events.count < limit, let event = try cursor.next() { events.append(event) }
        return events
    }
}

/// Walks an ``EventSequence``, one page at a time.
public struct EventCursor {
    private let sequence: EventSequence
    private var query: EventSequence.Query?
    private var page: [RecordedEvent] = []
    private var pageIndex = 0
    private var ceiling: UInt64?

    init(sequence: EventSequence) {
        self.sequence = sequence
        self.query = sequence.query
    }

    /// The next event, or `nil` at the end.
    public mutating func next() throws -> RecordedEvent? {
        if pageIndex == page.count {
            try fetchPage()
            if page.isEmpty { return nil }
        }
        defer { pageIndex += 1 }
        return page[pageIndex]
    }

    private mutating func fetchPage() throws {
        page = []
        pageIndex = 0
        guard let query else { return }
        let limit = max(1, sequence.pageSize)  // with 0, an empty page would be indexed at -1 below
        let forward = sequence.direction == .forward
        let existingCeiling = ceiling
        let (events, headSeq) = try sequence.store.read { view -> ([RecordedEvent], UInt64) in
            let top = try existingCeiling ?? view.head().seq
            var events: [RecordedEvent] = []
            let collect: (RecordedEvent) -> Bool = { event in
                if event.seq <= top { events.append(event) } else if forward, case .global = query { return false }
                return events.count < limit
            }
            switch query {
            case .global(let from):
                // Only a backward read is clamped to the ceiling: clamping a forward read would make the page
                // after one that ended exactly at the ceiling start at the ceiling again, for ever.
                try view.scan(from: forward ? from : min(from, top), direction: sequence.direction, collect)
            case .stream(let stream, let from):
                try view.scanStream(stream, from: from, direction: sequence.direction, collect)
            case .type(let type, let from):
                try view.scanType(type, from: from, direction: sequence.direction, collect)
            case .occurred(let lower, let upper):
                try view.scanOccurred(from: lower, through: upper, direction: sequence.direction, collect)
            }
            return (events, top)
        }
        ceiling = headSeq
        page = events
        self.query = events.count < limit ? nil : Self.resume(after: events[events.count - 1], query, forward)
    }

    private static func resume(
        after last: RecordedEvent, _ query: EventSequence.Query, _ forward: Bool
    ) -> EventSequence.Query? {
        switch query {
        case .global:
            if forward { return .global(from: last.seq + 1) }
            return last.seq > 1 ? .global(from: last.seq - 1) : nil
        case .stream(let stream, _):
            if forward { return .stream(stream, from: last.streamVersion + 1) }
            return last.streamVersion > 1 ? .stream(stream, from: last.streamVersion - 1) : nil
        case .type(let type, _):
            if forward { return .type(type, from: last.seq + 1) }
            return last.seq > 1 ? .type(type, from: last.seq - 1) : nil
        case .occurred(let lower, let upper):
            let position = OccurredPosition(sortKey: last.occurredAt.sortKey, seq: last.seq)
            if forward {
                return .occurred(
                    from: OccurredPosition(sortKey: position.sortKey, seq: position.seq + 1), through: upper)
            }
            let previous =
                position.seq > 0
                ? OccurredPosition(sortKey: position.sortKey, seq: position.seq - 1)
                : OccurredPosition(sortKey: position.sortKey - 1, seq: .max)
            return .occurred(from: lower, through: previous)
        }
    }
}
