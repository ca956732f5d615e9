import EventLogTestSupport
import Foundation
import Synchronization
import Testing

@testable import EventLog

/// `append(_:expecting:hooks:dryRun:)` with `dryRun`: every step runs inside the transaction, the result
/// says what would have been appended, and nothing is written.
@Suite struct DryRunTests {
    @Test(arguments: StoreKind.available) func aDryRunReturnsWhatTheAppendWouldWriteAndWritesNothing(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([newEvent("a")])
            let before = try store.head()
            let batch = [newEvent("a"), newEvent("b", payload: [7])]
            let dry = try store.append(batch, expecting: ["a": .exact(1)], hooks: NoAppendHooks(), dryRun: true)
            #expect(dry.isDryRun)
            #expect(dry.appended.map(\.seq) == [2, 3])
            #expect(dry.appended.map(\.streamVersion) == [2, 1])
            #expect(dry.head == LogHead(seq: 3, hash: try #require(dry.appended.last).hash, recordedAt: epoch))
            #expect(try store.head() == before)
            #expect(try allEvents(store).count == 1)
            #expect(try store.read { try $0.event(id: batch[0].id) } == nil)

            let real = try store.append(batch, expecting: ["a": .exact(1)])
            #expect(!real.isDryRun)
            #expect(real.appended == dry.appended, "the dry run computed what the append then wrote")
            #expect(real.head == dry.head)
            #expect(try store.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.available)
    func aDryRunPreparesAndValidatesButStoresNoKeyAndAsksForNoCheckpoint(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let validated = Mutex(0)
            let checkpointsAsked = Mutex(false)
            let hooks = Hooks(
                onPrepare: { keys, batch in
                    _ = try keys.createSubjectKeyIfAbsent("person-1")
                    return batch.map { event in
                        var prepared = event
                        prepared.payload = [9]
                        return prepared
                    }
                },
                onValidate: { _, _ in validated.withLock { $0 += 1 } },
                onCheckpoints: { _, appended in
                    checkpointsAsked.withLock { $0 = true }
                    return [Checkpoint(name: "count", position: appended.count == 0 ? 0 : 1, state: [1])]
                })
            let dry = try store.append([newEvent("a")], expecting: [:], hooks: hooks, dryRun: true)
            #expect(dry.appended.map(\.payload) == [[9]], "the events as prepared")
            #expect(validated.withLock { $0 } == 1)
            #expect(!checkpointsAsked.withLock { $0 })
            #expect(try store.read { try $0.subjectKey("person-1") } == nil, "the prepare step's key rolled back")
            #expect(try store.read { try $0.checkpoint(named: "count") } == nil)
            #expect(try store.head() == .empty)
        }
    }

    @Test(arguments: StoreKind.available) func aDryRunRefusesWhatTheAppendWouldRefuse(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let stored = newEvent("a")
            try store.append([stored])
            #expect(throws: EventLogError.wrongExpectedVersion(stream: "a", expected: .noStream, actual: 1)) {
                try store.append([newEvent("a")], expecting: ["a": .noStream], hooks: NoAppendHooks(), dryRun: true)
            }
            var changed = stored
            changed.payload = [1, 2]
            #expect(throws: EventLogError.duplicateIDWithDifferentContent(id: stored.id, storedSeq: 1)) {
                try store.append([changed], expecting: [:], hooks: NoAppendHooks(), dryRun: true)
            }
            #expect(throws: DeliberateFailure()) {
                try store.append(
                    [newEvent("b")], expecting: [:],
                    hooks: Hooks(onValidate: { _, _ in throw DeliberateFailure() }), dryRun: true)
            }
            #expect(try allEvents(store).map(\.id) == [stored.id])
        }
    }

    @Test(arguments: StoreKind.available) func aDryRunOfARetryReportsTheStoredEventAsADuplicate(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            let stored = newEvent("a")
            try store.append([stored])
            let fresh = newEvent("b")
            let dry = try store.append([stored, fresh], expecting: [:], hooks: NoAppendHooks(), dryRun: true)
            #expect(dry.duplicates.map(\.id) == [stored.id])
            #expect(dry.appended.map(\.id) == [fresh.id])
            #expect(try store.head().seq == 1)
        }
    }

    @Test(arguments: StoreKind.available) func aLargeDryRunIsValidatedOnceAndWritesNothing(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([newEvent("a")])
            let batch = (0..<(LMDBEventStore.concurrentValidationThreshold + 10)).map { newEvent("s\($0 % 5)") }
            let heads = Mutex<[UInt64]>([])
            let dry = try store.append(
                batch, expecting: [:],
                hooks: Hooks(onValidate: { log, offered in
                    let head = try log.head().seq
                    heads.withLock { $0.append(head) }
                    #expect(offered.count == batch.count)
                }),
                dryRun: true)
            #expect(heads.withLock { $0 } == [1], "validated once, on the log before the batch")
            #expect(dry.appended.count == batch.count)
            #expect(try store.head().seq == 1)
            #expect(try store.verify().isSound)
        }
    }
}
