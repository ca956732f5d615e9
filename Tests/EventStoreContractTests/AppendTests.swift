import EventLogTestSupport
import Foundation
import Synchronization
import Testing

@testable import EventLog

@Suite struct AppendTests {
    /// Batch sizes either side of the LMDB store's threshold for validating on another thread.
    static let validatedBatchSizes = [
        2, LMDBEventStore.concurrentValidationThreshold - 1, LMDBEventStore.concurrentValidationThreshold, 5_000,
    ]

    @Test(arguments: StoreKind.available) func appendAssignsGaplessSeqAndGaplessVersionsPerStream(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([newEvent("a"), newEvent("b"), newEvent("a")])
            try store.append([newEvent("b")])
            try store.append([newEvent("c"), newEvent("a")])

            let events = try allEvents(store)
            #expect(events.map(\.seq) == [1, 2, 3, 4, 5, 6])
            #expect(events.map(\.stream) == ["a", "b", "a", "b", "c", "a"])
            #expect(events.map(\.streamVersion) == [1, 1, 2, 2, 1, 3])
            let head = try store.head()
            #expect(head.seq == 6)
            #expect(head.hash == events.last?.hash)
            let versions = try store.read { view in
                try ["a", "b", "c", "d"].map { try view.streamVersion($0) }
            }
            #expect(versions == [3, 2, 1, nil])
        }
    }

    @Test(arguments: StoreKind.available) func appendReturnsTheEventsExactlyAsStored(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let first = try store.append([newEvent("a", payload: [1]), newEvent("b", payload: [])])
            let second = try store.append([newEvent("a", type: "Other", occurredAt: .instant(instant(-9)))])

            #expect(try allEvents(store) == first.appended + second.appended)
            #expect(first.duplicates.isEmpty)
            #expect(second.head == LogHead(seq: 3, hash: try #require(second.appended.last).hash, recordedAt: epoch))
            #expect(try store.head() == second.head)
        }
    }

    @Test(arguments: StoreKind.available) func appendKeepsEveryEnvelopeFieldTheCallerChose(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let offered = NewEvent(
                stream: "member-ol-17", type: "MemberJoined", schemaVersion: 3, occurredAt: .instant(instant(-86_400)),
                recordedBy: "coordinator@example", payload: Array("{\"x\":1}".utf8))
            try store.append([offered])
            let stored = try #require(try store.read { try $0.event(id: offered.id) })
            #expect(stored.id == offered.id)
            #expect(stored.stream == offered.stream)
            #expect(stored.type == offered.type)
            #expect(stored.schemaVersion == 3)
            #expect(stored.occurredAt == offered.occurredAt)
            #expect(stored.recordedBy == kind.recordedBy(offered: offered.recordedBy))
            #expect(stored.payload == offered.payload)
            #expect(offered.isSameContent(as: stored))
            #expect(try store.read { try $0.event(at: 1) } == stored)
            #expect(try store.read { try $0.event(at: 2) } == nil)
            #expect(try store.read { try $0.event(id: UUID()) } == nil)
        }
    }

    @Test(arguments: StoreKind.available, validatedBatchSizes) func batchWhoseValidationThrowsWritesNothing(
        _ kind: StoreKind, size: Int
    ) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([newEvent("a")])
            let before = try store.head()
            let batch = [newEvent("a")] + (1..<size).map { newEvent("b\($0 % 7)") }
            let seen = Mutex<(headSeq: UInt64, versionOfA: UInt64?, offered: [NewEvent])?>(nil)
            #expect(throws: DeliberateFailure()) {
                try store.append(
                    batch, expecting: [:],
                    hooks: Hooks(onValidate: { view, offered in
                        let state = (try view.head().seq, try view.streamVersion("a"), offered)
                        seen.withLock { $0 = state }
                        throw DeliberateFailure()
                    }))
            }
            let state = seen.withLock { $0 }
            #expect(state?.headSeq == 1, "validation sees the log as it was before the batch")
            #expect(state?.versionOfA == 1)
            #expect(state?.offered == batch)
            #expect(try store.head() == before)
            #expect(try allEvents(store).count == 1)
            #expect(try store.read { try $0.streamVersion("b1") } == nil)
            #expect(try store.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.available, validatedBatchSizes)
    func validationIsGivenTheFreshEventsAsOfferedBeforeThePrepareStep(_ kind: StoreKind, size: Int)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            let stored = newEvent("a")
            try store.append([stored])
            let batch = [stored] + (1..<size).map { newEvent("b\($0 % 7)", payload: [1]) }
            let offered = Mutex<[NewEvent]>([])
            let result = try store.append(
                batch, expecting: [:],
                hooks: Hooks(
                    onPrepare: { _, events in
                        events.map { event in
                            var sealed = event
                            if event.id != stored.id { sealed.payload = [2] }
                            return sealed
                        }
                    },
                    onValidate: { _, events in offered.withLock { $0 = events } }))
            #expect(offered.withLock { $0 } == Array(batch.dropFirst()), "the fresh events, unprepared, in order")
            #expect(result.duplicates.map(\.id) == [stored.id])
            #expect(result.appended.map(\.id) == batch.dropFirst().map(\.id))
            #expect(try allEvents(store).dropFirst().allSatisfy { $0.payload == [2] }, "written as prepared")
        }
    }

    @Test(arguments: StoreKind.available, validatedBatchSizes)
    func errorsOfThePrepareStepAndOfRetriesComeBeforeTheValidationsVerdict(
        _ kind: StoreKind,
        size: Int
    ) throws {
        struct PrepareFailure: Error, Equatable {}
        try kind.withStores { stores in
            let store = try stores.open()
            let stored = newEvent("a")
            try store.append([stored])
            let before = try store.head()
            let fresh = (1..<size).map { newEvent("b\($0 % 7)") }
            let validations = Mutex(0)
            let refuse: @Sendable (any LogView, [NewEvent]) throws -> Void = { _, _ in
                validations.withLock { $0 += 1 }
                throw DeliberateFailure()
            }
            #expect(throws: PrepareFailure()) {
                try store.append(
                    [stored] + fresh, expecting: [:],
                    hooks: Hooks(onPrepare: { _, _ in throw PrepareFailure() }, onValidate: refuse))
            }
            validations.withLock { $0 = 0 }
            var changed = stored
            changed.payload = [9]
            #expect(throws: EventLogError.duplicateIDWithDifferentContent(id: stored.id, storedSeq: 1)) {
                try store.append([changed] + fresh, expecting: [:], hooks: Hooks(onValidate: refuse))
            }
            #expect(throws: EventLogError.wrongExpectedVersion(stream: "a", expected: .exact(7), actual: 1)) {
                try store.append(fresh, expecting: ["a": .exact(7)], hooks: Hooks(onValidate: refuse))
            }
            // Refused before any validation: a batch that will not be written is not validated at all.
            #expect(validations.withLock { $0 } == 0)
            #expect(try store.head() == before)
            #expect(try store.verify().isSound)
        }
    }

    /// Streams are told apart by their bytes, as their keys are: two spellings of "é" that `String` takes
    /// for equal are two streams, each starting at version 1, in one batch or in a restore.
    @Test(arguments: StoreKind.available) func streamsWhoseNamesAreCanonicallyEquivalentButDifferInBytesAreTwoStreams(
        _ kind: StoreKind
    ) throws {
        let (composed, decomposed) = ("caf\u{E9}", "cafe\u{301}")
        #expect(composed == decomposed && Array(composed.utf8) != Array(decomposed.utf8))
        try kind.withStores { stores in
            let store = try stores.open()
            let result = try store.append([newEvent(composed), newEvent(decomposed), newEvent(decomposed)])
            #expect(result.appended.map(\.streamVersion) == [1, 1, 2])
            #expect(try store.read { [try $0.streamVersion(composed), try $0.streamVersion(decomposed)] } == [1, 2])
            #expect(try store.verify().isSound)
            let copy = try stores.open()
            try copy.restore(result.appended, tags: nil, keys: [:], dryRun: false)
            #expect(try copy.verify().isSound)
            #expect(try copy.read { [try $0.streamVersion(composed), try $0.streamVersion(decomposed)] } == [1, 2])
        }
    }

    @Test(arguments: StoreKind.available) func batchWhoseSecondEventHasAnInvalidEnvelopeWritesNothing(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            #expect(throws: EventLogError.invalidEnvelope(index: 1, field: "stream", reason: "is empty")) {
                try store.append([newEvent("a"), newEvent(""), newEvent("c")])
            }
            #expect(try store.head() == .empty)
            #expect(try allEvents(store).isEmpty)
        }
    }

    @Test(arguments: StoreKind.available) func longestAllowedNamesAndEmptyPayloadAreAccepted(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let stream = String(repeating: "s", count: 255)
            let type = String(repeating: "t", count: 255)
            try store.append([newEvent(stream, type: type, payload: [])])
            let stored = try #require(try allEvents(store).first)
            #expect(stored.stream == stream)
            #expect(stored.type == type)
            #expect(stored.payload.isEmpty)
            #expect(try store.verify().isSound)
        }
    }
}
