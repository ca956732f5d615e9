import EventLog
import EventLogTestSupport
import Foundation
import Testing

/// What the read lends of one event, kept past the call.
private struct LentEvent: Equatable {
    let seq: UInt64
    let id: UUID
    let type: String
    let schemaVersion: Int
    let occurredAt: ValidTime
    let recordedAt: Timestamp
    let payload: [UInt8]
    let hash: EventHash

    init(_ event: EventInPlace) {
        seq = event.seq
        id = event.id
        type = event.type
        schemaVersion = event.schemaVersion
        occurredAt = event.occurredAt
        recordedAt = event.recordedAt
        payload = Array(event.payload)
        hash = event.hash
    }
}

/// ``LogView/taggedEventsInPlace(forEach:through:skipping:_:)`` is one request where a one-collaborative query
/// made two (the tag lookup, then the events it found): it must lend exactly what those two give.
@Suite struct TaggedEventsReadTests {
    @Test(arguments: StoreKind.available)
    func taggedEventsAreWhatTheTagLookupThenTheFetchOfTheSeqsNotKnownGiveEachOnce(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let count = BatchReadTests.count
            try store.append(
                (0..<count).map { index in
                    var event = newEvent(
                        "s\(index % 9)", type: index % 3 == 0 ? "Third" : "Other", payload: [UInt8(index % 251), 7])
                    event.tags = ["t/\(index % 400)", index % 2 == 0 ? "even" : "odd"]
                    return event
                }, expecting: [:], hooks: Hooks())
            let through = UInt64(count - 100)
            // More tags than one request carries on PostgreSQL (1,000), so that an event under two tags of
            // two requests is met twice; tags with no event, one named twice, and tags whose later events are
            // past `through`.
            let many = (0..<400).map { "t/\($0)" } + (0..<9_700).map { "absent/\($0)" } + ["none", "t/3", "even"]
            let cases: [(tags: [String], known: Set<UInt64>)] = [
                (many, Set(stride(from: 1, through: UInt64(count), by: 5))),
                (["even", "none"], []),
                (["none"], [1, 2]),
                (["odd", "t/1"], Set(1...UInt64(count))),
            ]
            try store.read { view in
                #expect(try view.taggedSeqs("even", through: UInt64(count)).contains { $0 > through })
                for (tags, known) in cases {
                    var lent: [UInt64: LentEvent?] = [:]
                    var calls = 0
                    try view.taggedEventsInPlace(forEach: tags, through: through, skipping: known) { seq, event in
                        calls += 1
                        lent.updateValue(event.map(LentEvent.init), forKey: seq)
                    }
                    let tagged = try view.taggedSeqs(forEach: tags, through: through)
                    let wanted = Set(tagged.values.joined()).subtracting(known).sorted()
                    var expected: [UInt64: LentEvent?] = [:]
                    try view.eventsInPlace(at: wanted) { seq, event in
                        expected.updateValue(event.map(LentEvent.init), forKey: seq)
                    }
                    #expect(calls == wanted.count, "each event once: \(tags.count) tags")
                    #expect(lent == expected, "\(tags.count) tags")
                    #expect(lent.keys.allSatisfy { $0 <= through && !known.contains($0) })
                }
            }
        }
    }
}
