import EventLog
import Foundation
import Synchronization

/// An ``EventStore`` whose append sessions fail one read of the log, the first scan forward from `seq` 1 once
/// at least `after` events are in the session's view (as a read error of the store would), and read as the
/// store reads otherwise: what a test needs to see an import report a read error rather than fold again.
final class FailingReadStore: ForwardingEventStore {
    let base: any EventStore
    /// Events the session's log must hold before its first scan from the start fails.
    let after: UInt64
    /// Whether that read has failed yet.
    let failed = Atomic<Bool>(false)

    /// The error the failing read throws.
    static let failure = EventLogError.storage("the test's store failed a read")

    init(_ base: any EventStore, failingAfter after: UInt64) {
        self.base = base
        self.after = after
    }

    func withAppendSession<R: Sendable>(
        dryRun: Bool, room: AppendSessionRoom, _ body: (any AppendSession) throws -> R
    ) throws -> R {
        try base.withAppendSession(dryRun: dryRun, room: room) { try body(FailingReadSession(base: $0, store: self)) }
    }
}

/// A session whose views are ``FailingReadView``s.
private final class FailingReadSession: AppendSession {
    let base: any AppendSession
    let store: FailingReadStore

    init(base: any AppendSession, store: FailingReadStore) {
        self.base = base
        self.store = store
    }

    var headBefore: LogHead { base.headBefore }

    func append(_ batch: [NewEvent], expecting: [String: ExpectedVersion], hooks: any AppendHooks) throws
        -> AppendResult
    {
        try base.append(batch, expecting: expecting, hooks: hooks)
    }

    func restore(_ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey]) throws -> LogHead {
        try base.restore(events, tags: tags, keys: keys)
    }

    func read<R>(_ body: (any LogView) throws -> R) throws -> R {
        try base.read { try body(FailingReadView(base: $0, store: store)) }
    }

    func saveCheckpoint(_ checkpoint: Checkpoint) throws { try base.saveCheckpoint(checkpoint) }

    func saveCheckpoint(
        name: String, position: UInt64, stateSize: Int, write: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        try base.saveCheckpoint(name: name, position: position, stateSize: stateSize, write: write)
    }
}

/// A view that fails its store's one read (see ``FailingReadStore``) and forwards every other.
private struct FailingReadView: ForwardingLogView {
    let base: any LogView
    let store: FailingReadStore

    func scan(from seq: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool) throws {
        if seq == 1, direction == .forward, try base.head().seq >= store.after,
            store.failed.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged
        {
            throw FailingReadStore.failure
        }
        try base.scan(from: seq, direction: direction, body)
    }
}
