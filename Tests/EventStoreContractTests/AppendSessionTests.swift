import EventLogTestSupport
import Foundation
import Synchronization
import Testing

@testable import EventLog

/// `withAppendSession(dryRun:_:)`: several batches in one transaction, all or nothing, one batch in all but
/// memory (an id of an earlier batch is a repeat, not a retry; one `recordedAt`; the validation sees the
/// earlier batches).
@Suite struct AppendSessionTests {
    @Test(arguments: StoreKind.available) func aSessionCommitsItsBatchesTogetherAtOneRecordedAt(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let clock = ManualClock(instant(10))
            let store = try stores.open(clock: clock)
            try store.append([newEvent("a")])
            clock.set(instant(20))
            let lone = try store.append([newEvent("z")])
            let heads = try store.withAppendSession(dryRun: false) { session in
                #expect(session.headBefore == lone.head)
                let first = try session.append([newEvent("a"), newEvent("b")], expecting: [:], hooks: NoAppendHooks())
                clock.set(instant(30))
                let second = try session.append([newEvent("a")], expecting: ["a": .exact(2)], hooks: NoAppendHooks())
                return [first.head, second.head]
            }
            let events = try allEvents(store)
            #expect(events.map(\.seq) == [1, 2, 3, 4, 5])
            #expect(events.map(\.streamVersion) == [1, 1, 2, 1, 3])
            #expect(events.dropFirst(2).allSatisfy { $0.recordedAt == instant(20) }, "one transaction, one time")
            #expect(heads.last == (try store.head()))
            #expect(try store.verify().isSound)
        }
    }

    /// As a lone append: a session whose clock (an administrator's pinned one) is far behind the log's last
    /// `recordedAt` is refused, naming both instants, and writes nothing.
    @Test(arguments: StoreKind.available) func aSessionWhoseClockIsFarBehindTheHeadIsRefused(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let clock = ManualClock(instant(1_000_000))
            let store = try stores.open(clock: clock)
            let first = try store.append([newEvent("s")])
            let behind = Timestamp(
                microsecondsSinceEpoch: instant(1_000_000).microsecondsSinceEpoch - ClockTolerance.behindHead - 1)
            clock.set(behind)
            let error = try #require(throws: EventLogError.self) {
                try store.withAppendSession(dryRun: false) { session in
                    try session.append([newEvent("s")], expecting: [:], hooks: NoAppendHooks())
                    try session.append([newEvent("s")], expecting: [:], hooks: NoAppendHooks())
                }
            }
            #expect(error == .clockBehindHead(clock: behind, head: instant(1_000_000)))
            #expect(try store.head() == first.head)
        }
    }

    @Test(arguments: StoreKind.available) func aSessionThatThrowsOrIsADryRunLeavesTheStoreAsItWas(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([newEvent("a")])
            let before = try store.head()
            #expect(throws: DeliberateFailure()) {
                try store.withAppendSession(dryRun: false) { session in
                    try session.append([newEvent("a"), newEvent("b")], expecting: [:], hooks: NoAppendHooks())
                    try session.saveCheckpoint(Checkpoint(name: "count", position: 3, state: [3]))
                    throw DeliberateFailure()
                }
            }
            #expect(try store.head() == before)
            #expect(try store.read { try $0.checkpoint(named: "count") } == nil)
            let dry = try store.withAppendSession(dryRun: true) { session in
                try session.append([newEvent("c")], expecting: [:], hooks: NoAppendHooks())
                try session.append([newEvent("c")], expecting: [:], hooks: NoAppendHooks())
                try session.saveCheckpoint(Checkpoint(name: "count", position: 3, state: [3]))
                return try session.read { try $0.head() }
            }
            #expect(dry.seq == 3, "the dry run saw its own batches")
            #expect(try store.head() == before)
            #expect(try allEvents(store).count == 1)
            #expect(try store.read { try $0.checkpoint(named: "count") } == nil)
        }
    }

    @Test(arguments: StoreKind.available)
    func anIDAnEarlierBatchOfTheSessionWroteIsARepeatWhileOneStoredBeforeIsARetry(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let stored = newEvent("a")
            try store.append([stored])
            let repeated = newEvent("b")
            let retried = try store.withAppendSession(dryRun: false) { session in
                let first = try session.append([stored, repeated], expecting: [:], hooks: NoAppendHooks())
                #expect(first.duplicates.map(\.id) == [stored.id], "stored before the session: a retry")
                #expect(throws: EventLogError.duplicateIDInBatch(id: repeated.id)) {
                    try session.append([newEvent("c"), repeated], expecting: [:], hooks: NoAppendHooks())
                }
                #expect(throws: EventLogError.self, "a session whose append failed takes nothing more") {
                    try session.append([newEvent("d")], expecting: [:], hooks: NoAppendHooks())
                }
                return first.duplicates.count
            }
            #expect(retried == 1)
        }
    }

    @Test(arguments: StoreKind.available) func eachBatchIsValidatedAgainstTheEarlierBatchesOfTheSession(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let seen = Mutex<[UInt64]>([])
            let hooks = Hooks(onValidate: { log, _ in
                let head = try log.head().seq
                seen.withLock { $0.append(head) }
            })
            try store.withAppendSession(dryRun: false) { session in
                // Long enough that a lone append would validate it on another thread.
                try session.append((0..<1_100).map { _ in newEvent("a") }, expecting: [:], hooks: hooks)
                try session.append([newEvent("b")], expecting: [:], hooks: hooks)
            }
            #expect(seen.withLock { $0 } == [0, 1_100])
        }
    }

    @Test(arguments: StoreKind.available) func aSessionRestoresAnExportInStretches(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let source = try stores.open()
            try source.append([newEvent("a"), newEvent("b")])
            try source.append([newEvent("a"), newEvent("c")])
            let events = try allEvents(source)
            let target = try stores.open(clock: FixedClock(instant(-1000)))
            let head = try target.withAppendSession(dryRun: false) { session in
                try session.restore(Array(events[..<3]), tags: nil, keys: [:])
                return try session.restore(Array(events[3...]), tags: nil, keys: [:])
            }
            #expect(head == (try source.head()))
            #expect(try allEvents(target) == events)
            #expect(try target.verify().isSound)
        }
    }
}
