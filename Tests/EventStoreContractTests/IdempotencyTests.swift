import EventLog
import Foundation
import Testing

@Suite struct IdempotencyTests {
    @Test(arguments: StoreKind.available)
    func retryWithTheSameIDAndContentSucceedsWritesNothingAndReturnsTheStoredEvent(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let event = newEvent("s", payload: [4, 2])
            let first = try store.append([event])
            let retry = try store.append([event])

            #expect(retry.appended.isEmpty)
            #expect(retry.duplicates == first.appended)
            #expect(retry.head == first.head)
            #expect(try store.head() == first.head)
            #expect(try allEvents(store).count == 1)
        }
    }

    @Test(arguments: StoreKind.available) func retryMayDifferInRecordedByOnly(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let event = newEvent("s", recordedBy: "first clerk")
            try store.append([event])
            var retried = event
            retried.recordedBy = "second clerk"
            let retry = try store.append([retried])
            #expect(retry.appended.isEmpty)
            #expect(retry.duplicates.map(\.recordedBy) == [kind.recordedBy(offered: "first clerk")])
        }
    }

    @Test(arguments: StoreKind.available) func retryIsAcceptedEvenWhenItsExpectationNoLongerHolds(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            let event = newEvent("s")
            try store.append([event], expecting: ["s": .noStream])
            try store.append([newEvent("s")])
            let retry = try store.append([event], expecting: ["s": .noStream])
            #expect(retry.appended.isEmpty)
            #expect(retry.duplicates.map(\.seq) == [1])
        }
    }

    @Test(arguments: StoreKind.available, ["payload", "stream", "type", "schemaVersion", "occurredAt"])
    func sameIDWithDifferentContentThrowsAndWritesNothing(_ kind: StoreKind, changedField: String) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let original = newEvent("s", type: "T", occurredAt: .day(10), payload: [1])
            try store.append([newEvent("other"), original])
            var changed = original
            switch changedField {
            case "payload": changed.payload = [2]
            case "stream": changed.stream = "s2"
            case "type": changed.type = "U"
            case "schemaVersion": changed.schemaVersion = 2
            default: changed.occurredAt = .instant(Timestamp(microsecondsSinceEpoch: 10 * 86_400_000_000))
            }
            let before = try store.head()
            #expect(throws: EventLogError.duplicateIDWithDifferentContent(id: original.id, storedSeq: 2)) {
                try store.append([newEvent("fresh"), changed])
            }
            #expect(try store.head() == before)
        }
    }

    @Test(arguments: StoreKind.available) func sameIDTwiceInOneBatchThrowsAndWritesNothing(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let event = newEvent("s")
            #expect(throws: EventLogError.duplicateIDInBatch(id: event.id)) {
                try store.append([event, newEvent("t"), event])
            }
            #expect(try store.head() == .empty)
        }
    }

    @Test(arguments: StoreKind.available) func partlyStoredBatchWritesOnlyTheNewEvents(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let stored = newEvent("s")
            try store.append([stored])
            let (before, fresh) = (newEvent("s"), newEvent("s"))
            let result = try store.append([before, stored, fresh])
            #expect(result.duplicates.map(\.id) == [stored.id])
            #expect(result.appended.map(\.id) == [before.id, fresh.id])
            #expect(result.appended.map(\.seq) == [2, 3])
            #expect(result.appended.map(\.streamVersion) == [2, 3])
        }
    }
}
