import EventLog
import EventLogTestSupport
import Foundation
import Testing

@Suite struct BatchReadTests {
    /// More values than one request of a batch read carries on PostgreSQL, so that its pieces are joined.
    static let count = 1_200

    @Test(arguments: StoreKind.available) func batchReadsAnswerAsTheReadsOfOneTagEventOrSubjectAtATime(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let subjects = (0..<Self.count).map { "member-\($0)" }
            let batch = (0..<Self.count).map { index in
                var event = newEvent("s\(index % 9)")
                event.tags = ["t/\(index % 400)", "all", index % 2 == 0 ? "even" : "odd"]
                return event
            }
            try store.append(
                batch, expecting: [:],
                hooks: Hooks(onPrepare: { writer, batch in
                    // Every other subject gets a key, so that the batch lookup meets subjects with none.
                    for subject in subjects.enumerated() where subject.offset % 2 == 0 {
                        _ = try writer.createSubjectKeyIfAbsent(subject.element)
                    }
                    return batch
                }))
            let tags = (0..<500).map { "t/\($0)" } + ["all", "even", "t/1", "none"]
            let seqs =
                [0, 5, 5, 3, UInt64(Self.count), UInt64(Self.count + 1), .max] + (1...UInt64(Self.count)).map { $0 }
            try store.read { view in
                let through = UInt64(Self.count - 100)
                let tagged = try view.taggedSeqs(forEach: tags, through: through)
                var expectedTags: [String: [UInt64]] = [:]
                for tag in tags {
                    let one = try view.taggedSeqs(tag, through: through)
                    if !one.isEmpty { expectedTags[tag] = one }
                }
                #expect(tagged == expectedTags)
                #expect(tagged["all"]?.count == Self.count - 100)
                #expect(tagged["t/450"] == nil)

                let events = try view.events(at: seqs)
                var expectedEvents: [UInt64: RecordedEvent] = [:]
                for seq in seqs { expectedEvents[seq] = try view.event(at: seq) }
                #expect(events == expectedEvents)
                #expect(events.count == Self.count)

                let keys = try view.subjectKeys(for: subjects + ["member-none", subjects[0]])
                var expectedKeys: [String: SubjectKey] = [:]
                for subject in subjects { expectedKeys[subject] = try view.subjectKey(subject) }
                #expect(keys == expectedKeys)
                #expect(keys.count == Self.count / 2)
            }
        }
    }
}
