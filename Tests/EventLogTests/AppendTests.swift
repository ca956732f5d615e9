import EventLogTestSupport
import Foundation
import LMDB
import Synchronization
import Testing

@testable import EventLog

@Suite struct AppendTests {
    @Test func emptyBatchWritesNothing() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            let result = try store.append([])
            #expect(result.appended.isEmpty)
            #expect(result.head == .empty)
            #expect(try store.head() == .empty)
        }
    }

    /// Sizes below and above the one from which an append validates on another thread while it writes
    /// (and one past the stretch after which the writing stops for a refusal).
    static let validatedBatchSizes = [
        2, LMDBEventStore.concurrentValidationThreshold - 1, LMDBEventStore.concurrentValidationThreshold, 5_000,
    ]

    @Test(arguments: validatedBatchSizes) func batchWhoseValidationPassesIsWrittenAfterIt(size: Int) throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path, initialMapSize: 64 << 20)  // no map growth, so one validation
            try store.append([newEvent("a")])
            let batch = (0..<size).map { newEvent("a\($0 % 3)") }
            let seen = Mutex<[(head: UInt64, onCallersThread: Bool)]>([])
            let caller = pthread_self()
            let result = try store.append(
                batch, expecting: [:],
                hooks: Hooks(onValidate: { view, _ in
                    let head = try view.head().seq
                    let onCallersThread = pthread_equal(pthread_self(), caller) != 0
                    seen.withLock { $0.append((head, onCallersThread)) }
                }))
            let validations = seen.withLock { $0 }
            #expect(validations.map(\.head) == [1], "validated once, on the log before the batch")
            #expect(
                validations.map(\.onCallersThread) == [size < LMDBEventStore.concurrentValidationThreshold],
                "a large batch is validated on another thread")
            #expect(result.appended.count == size)
            #expect(try store.head().seq == UInt64(size) + 1)
            #expect(try store.verify().isSound)
        }
    }

    /// An index's entries are appended (`MDB_APPEND`: no search from the root) only when the first of them
    /// sorts after every stored key, byte by byte with a shorter prefix first, as LMDB compares keys.
    @Test func indexEntriesAreAppendedOnlyWhenTheFirstSortsAfterTheStoredKeys() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            func flags(_ first: [UInt8]?) throws -> PutFlags {
                try store.writing { view in try IndexBatch.flags(first: first, in: store.databases.types, view) }
            }
            #expect(try flags([0x41]) == .append, "an empty index")
            try store.append([newEvent("s", type: "M")])  // the key "M" 0x00 seq 1
            let stored = Array("M".utf8) + [0] + seqKey(1)
            #expect(try flags(Array("N".utf8)) == .append)
            #expect(try flags(stored + [0]) == .append, "longer, with the stored key as its prefix")
            #expect(try flags(stored) == .noOverwrite, "the stored key itself")
            #expect(try flags(Array("M".utf8)) == .noOverwrite, "a prefix of the stored key")
            #expect(try flags(Array("L".utf8) + [0xFF]) == .noOverwrite)
            #expect(try flags(nil) == .noOverwrite, "nothing to put")
        }
    }

    /// An index's entries go to the end of its tree when they all sort after its keys (an empty store, a new
    /// stream or type named last, later days) and among its keys otherwise: both ways, every entry is found.
    @Test func indexEntriesAfterOrAmongTheStoredKeysAreAllWrittenAndFound() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path, initialMapSize: 16 << 20)
            let batches: [[NewEvent]] = [
                (0..<400).map { newEvent("m\($0 % 9)", type: "T\($0 % 3)", occurredAt: .day(19_000 + Int64($0))) },
                // Among: streams and types between the stored ones, days before and after; ids anywhere.
                (0..<400).map {
                    newEvent("m\($0 % 9)x", type: "T\($0 % 3)a", occurredAt: .day(18_800 + Int64($0)))
                },
                // After: names that sort last and later days (the ids, random, still fall among the stored).
                (0..<400).map { newEvent("zz\($0 % 5)", type: "ZZ", occurredAt: .day(20_000 + Int64($0))) },
            ]
            for batch in batches { try store.append(batch) }
            let all = batches.flatMap { $0 }
            let report = try store.verify()
            #expect(report.isSound, "\(String(describing: report.fault))")
            #expect(report.eventCount == UInt64(all.count))
            for (offset, event) in all.enumerated() {
                #expect(try store.read { try $0.event(id: event.id)?.seq } == UInt64(offset + 1))
            }
            #expect(try store.read { try $0.streamVersion("zz0") } == 80)
            var zz = 0
            try store.read { view in
                try view.scanType("ZZ", from: 1, direction: .forward) { _ in
                    zz += 1
                    return true
                }
            }
            #expect(zz == 400)
        }
    }

    @Test func aLargeBatchThatFillsTheMapIsValidatedAgainOnTheGrownMapAndWritten() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path, initialMapSize: 64 << 10)
            let batch = (0..<3_000).map {
                newEvent("s\($0 % 11)", payload: Array(repeating: UInt8($0 % 251), count: 300))
            }
            let seen = Mutex<[(head: UInt64, offered: Int)]>([])
            let result = try store.append(
                batch, expecting: [:],
                hooks: Hooks(onValidate: { view, offered in
                    let head = try view.head().seq
                    seen.withLock { $0.append((head, offered.count)) }
                }))
            #expect(result.appended.count == batch.count)
            let validations = seen.withLock { $0 }
            #expect(validations.count >= 2, "the map filled, so the append ran again")
            #expect(validations.allSatisfy { $0.head == 0 && $0.offered == batch.count })
            #expect(try store.verify().isSound)
            #expect(try allEvents(store).map(\.payload) == batch.map(\.payload))
        }
    }

    @Test(
        arguments: [
            (newEvent("", type: "T"), "stream"),
            (newEvent("s", type: ""), "type"),
            (newEvent("s\u{0}t"), "stream"),
            (newEvent("s", type: "T\u{0}"), "type"),
            (newEvent(String(repeating: "x", count: 256)), "stream"),
            (newEvent("s", type: String(repeating: "é", count: 128)), "type"),
            (
                NewEvent(
                    stream: "s", type: "T", schemaVersion: 65_536, occurredAt: .day(0), recordedBy: "", payload: []),
                "schemaVersion"
            ),
            (
                NewEvent(stream: "s", type: "T", schemaVersion: -1, occurredAt: .day(0), recordedBy: "", payload: []),
                "schemaVersion"
            ),
            (newEvent("s", recordedBy: String(repeating: "r", count: 65_536)), "recordedBy"),
        ])
    func invalidEnvelopeFieldIsRejectedByName(event: NewEvent, field: String) throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            let error = try #require(throws: EventLogError.self) { try store.append([event]) }
            guard case .invalidEnvelope(let index, let rejected, _) = error else {
                Issue.record("expected invalidEnvelope, got \(error)")
                return
            }
            #expect(index == 0)
            #expect(rejected == field)
            #expect(error.description.hasPrefix("event 1 of the batch: \(field): "))
            #expect(try store.head() == .empty)
        }
    }
}
