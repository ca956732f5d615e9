import EventLog
import Foundation
import Testing

@Suite struct IdempotencyTests {
    @Test func retryWithTheSameIDAndContentSucceedsWritesNothingAndReturnsTheStoredEvent() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
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

    @Test func retryMayDifferInRecordedByOnly() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            let event = newEvent("s", recordedBy: "first clerk")
            try store.append([event])
            var retried = event
            retried.recordedBy = "second clerk"
            let retry = try store.append([retried])
            #expect(retry.appended.isEmpty)
            #expect(retry.duplicates.map(\.recordedBy) == ["first clerk"])
        }
    }

    @Test func retryIsAcceptedEvenWhenItsExpectationNoLongerHolds() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            let event = newEvent("s")
            try store.append([event], expecting: ["s": .noStream])
            try store.append([newEvent("s")])
            let retry = try store.append([event], expecting: ["s": .noStream])
            #expect(retry.appended.isEmpty)
            #expect(retry.duplicates.map(\.seq) == [1])
        }
    }

    @Test(arguments: ["payload", "stream", "type", "schemaVersion", "occurredAt"])
    func sameIDWithDifferentContentThrowsAndWritesNothing(changedField: String) throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
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

    @Test func duplicateIDWithDifferentContentSaysWhichIDAndWhere() throws {
        let id = try #require(UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"))
        let error = EventLogError.duplicateIDWithDifferentContent(id: id, storedSeq: 12)
        #expect(
            error.description
                == "event id e621e1f8-c36c-495a-93fc-0c247a3e6e5f is already stored (seq 12) with different content")
    }

    @Test func sameIDTwiceInOneBatchThrowsAndWritesNothing() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            let event = newEvent("s")
            #expect(throws: EventLogError.duplicateIDInBatch(id: event.id)) {
                try store.append([event, newEvent("t"), event])
            }
            #expect(try store.head() == .empty)
        }
    }

    @Test func partlyStoredBatchWritesOnlyTheNewEvents() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
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

    @Test func idempotencySurvivesReopeningTheStore() throws {
        try withTemporaryDirectory { path in
            let event = newEvent("s", payload: [7])
            let first = try openStore(path).append([event])

            let store = try openStore(path, create: false, clock: FixedClock(instant(3600)))
            let retry = try store.append([event])
            #expect(retry.appended.isEmpty)
            #expect(retry.duplicates == first.appended)
            var changed = event
            changed.payload = [8]
            #expect(throws: EventLogError.duplicateIDWithDifferentContent(id: event.id, storedSeq: 1)) {
                try store.append([changed])
            }
            #expect(try store.head() == first.head)
        }
    }
}
