import EventLog
import Foundation
import Testing

@Suite struct IdempotencyTests {
    @Test func duplicateIDWithDifferentContentSaysWhichIDAndWhere() throws {
        let id = try #require(UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"))
        let error = EventLogError.duplicateIDWithDifferentContent(id: id, storedSeq: 12)
        #expect(
            error.description
                == "event id e621e1f8-c36c-495a-93fc-0c247a3e6e5f is already stored (seq 12) with different content")
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
