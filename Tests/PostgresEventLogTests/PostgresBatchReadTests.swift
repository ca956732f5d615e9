import EventLog
import EventLogTestSupport
import Foundation
import Testing

@testable import PostgresEventLog

/// The batch reads (``LogView/taggedSeqs(forEach:through:)``, ``LogView/events(at:)``,
/// ``LogView/subjectKeys(for:)``) are what keep a one-collaborative query on PostgreSQL to a few round trips:
/// asked for thousands of tags, events or subjects, they send a few queries, not one each.
@Suite(.enabled(if: TestServer.isAvailable, "CHRONICLE_TEST_POSTGRES names no server"))
struct PostgresBatchReadTests {
    /// More than one `= ANY` chunk of each (``PostgresLogView/batchSize``).
    static let count = 2_500

    @Test func thousandsOfEventsOrKeysAreReadInOneQueryEach() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            let subjects = (0..<Self.count).map { "subject-\($0)" }
            try store.append(
                (0..<Self.count).map { event("s\($0 % 7)", tags: ["t/\($0)"]) }, expecting: [:],
                hooks: Hooks(onPrepare: { writer, batch in
                    _ = try writer.createSubjectKeysIfAbsent(subjects)
                    return batch
                }))
            try store.read { view in
                let before = store.session.queryCount
                let events = try view.events(at: (1...UInt64(Self.count)).reversed())
                let keys = try view.subjectKeys(for: subjects)
                // Each round trip costs more than the server's work for a thousand rows.
                #expect(store.session.queryCount - before == 2)
                #expect(events.count == Self.count)
                #expect(events.keys.sorted() == Array(1...UInt64(Self.count)))
                #expect(keys.count == Self.count)
            }
        }
    }

    @Test func batchReadsOfThousandsOfTagsEventsAndSubjectsAreAFewQueries() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            let subjects = (0..<Self.count).map { "subject-\($0)" }
            try store.append(
                (0..<Self.count).map { event("s\($0 % 7)", tags: ["t/\($0)", "all"]) }, expecting: [:],
                hooks: Hooks(onPrepare: { writer, batch in
                    for subject in subjects { _ = try writer.createSubjectKeyIfAbsent(subject) }
                    return batch
                }))
            let tags = (0..<Self.count).map { "t/\($0)" } + ["absent"]
            let seqs = (1...UInt64(Self.count + 3)).map { $0 }
            try store.read { view in
                let before = store.session.queryCount
                let tagged = try view.taggedSeqs(forEach: tags, through: UInt64(Self.count - 1))
                let events = try view.events(at: seqs)
                let keys = try view.subjectKeys(for: subjects + ["nobody"])
                let queries = store.session.queryCount - before
                #expect(queries <= 9, "\(queries) queries for \(Self.count) tags, events and subjects")
                #expect(tagged.count == Self.count - 1)
                #expect(tagged["t/0"] == [1])
                #expect(tagged["t/\(Self.count - 1)"] == nil, "beyond `through`")
                #expect(tagged["absent"] == nil)
                #expect(events.count == Self.count)
                #expect(events[UInt64(Self.count + 1)] == nil)
                #expect(keys.count == Self.count)
                #expect(keys["nobody"] == nil)
                // The batch answers are the one-at-a-time answers.
                for index in stride(from: 0, to: Self.count, by: 97) {
                    let seq = UInt64(index + 1)
                    #expect(events[seq] == (try view.event(at: seq)))
                    #expect(keys[subjects[index]] == (try view.subjectKey(subjects[index])))
                    #expect(
                        tagged["t/\(index)"] ?? []
                            == (try view.taggedSeqs("t/\(index)", through: UInt64(Self.count - 1))))
                }
            }
        }
    }

    @Test func theEventsUnderAThousandTagsAreOneQueryAndAMissingOrDamagedRowIsReportedAsTheEventFetchReportsIt()
        throws
    {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            try store.append((0..<Self.count).map { event("s\($0 % 7)", tags: ["t/\($0)", "all"]) })
            let tags = (0..<Self.count).map { "t/\($0)" } + ["absent"]
            try store.read { view in
                let before = store.session.queryCount
                var lent: [UInt64] = []
                try view.taggedEventsInPlace(forEach: tags, through: UInt64(Self.count), skipping: [1, 3]) {
                    seq, event in
                    if event?.seq == seq { lent.append(seq) }
                }
                // One round trip for each thousand tags and their events, not one for the tags and one for the events.
                #expect(store.session.queryCount - before == 3)
                #expect(lent.sorted() == (1...UInt64(Self.count)).filter { $0 != 1 && $0 != 3 })
            }
            // Behind the store's back: event 5's row gone (the tag index still names it), event 7's schema
            // version out of range.
            let session = try database.session()
            try session.execute("SET session_replication_role = replica")
            try session.execute("DELETE FROM chronicle.events WHERE seq = 5")
            try session.execute("UPDATE chronicle.events SET schema_version = -1 WHERE seq = 7")
            try store.read { view in
                var missing: [UInt64] = []
                try view.taggedEventsInPlace(forEach: ["t/4", "t/5"], through: .max, skipping: []) { seq, event in
                    if event == nil { missing.append(seq) }
                }
                #expect(missing == [5])
                let fetched = #expect(throws: EventLogError.self) { try view.events(at: [7]) }
                let joined = #expect(throws: EventLogError.self) {
                    try view.taggedEventsInPlace(forEach: ["t/6"], through: .max, skipping: []) { _, _ in }
                }
                #expect(fetched != nil)
                #expect(joined == fetched)
            }
        }
    }
}
