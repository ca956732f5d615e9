import EventLog
import Foundation
import Testing

@testable import PostgresEventLog

/// `chronicle.append_events` as this build writes it (set-based, see ``PostgresSchema/appendFunction(database:replacing:)``),
/// the upgrade of a store whose function an older build wrote, and the batch creation of subject keys that
/// keeps an import's `prepare` step to a few round trips.
@Suite(.enabled(if: TestServer.isAvailable, "CHRONICLE_TEST_POSTGRES names no server"))
struct PostgresAppendFunctionTests {
    @Test func aStoreWhoseAppendFunctionAnOlderBuildWroteGetsThisBuildsWhenItsOwnerOpensIt() throws {
        try withTestDatabase { database in
            let created = try database.superuserStore(create: true)
            try created.append([event("a"), event("a")])
            let ann = try database.loginRole("ann")
            try created.grant(.recorder, to: ann, scopes: nil)
            created.close()
            // What an older build left: the same function without this revision's marker.
            let older = PostgresSchema.appendFunction(database: database.name, replacing: true)
                .replacingOccurrences(of: PostgresSchema.appendFunctionMarker, with: "an older revision")
            let session = try database.session()
            try session.execute(older)
            session.shutDown()

            // A recorder, who does not own the function, opens the store: the older function stays, and works.
            let recorder = try database.store(as: "ann")
            #expect(try recorder.appendFunctionSource()?.contains("an older revision") == true)
            try recorder.append([event("a")])
            #expect(try recorder.appendFunctionSource()?.contains("an older revision") == true)

            // The owner (here the superuser) opening it replaces it; the log goes on, gapless and chained.
            let reopened = try database.superuserStore()
            #expect(try recorder.appendFunctionSource()?.contains(PostgresSchema.appendFunctionMarker) == true)
            try recorder.append([event("a"), event("b")])
            let events = try allEvents(reopened)
            #expect(events.map(\.seq) == [1, 2, 3, 4, 5])
            #expect(events.filter { $0.stream == "a" }.map(\.streamVersion) == [1, 2, 3, 4])
            #expect(try reopened.verify().isSound)
        }
    }

    @Test func aTagNamedTwiceForOneEventIsIndexedOnce() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            try store.append([event("a", tags: ["t", "u", "t"]), event("b", tags: ["t"])])
            let tagged = try store.read { view in
                (t: try view.taggedSeqs("t", through: 2), u: try view.taggedSeqs("u", through: 2))
            }
            #expect(tagged.t == [1, 2])
            #expect(tagged.u == [1])
        }
    }

    @Test func creatingKeysForThousandsOfSubjectsIsAFewQueriesAndKeepsTheKeysAlreadyStored() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            let subjects = (0..<2_500).map { "subject-\($0)" }
            let earlier = subjects.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
            var stored: [String: SubjectKey] = [:]
            try store.append(
                [event("a")], expecting: [:],
                prepare: { writer, batch in
                    for subject in earlier { stored[subject] = try writer.createSubjectKeyIfAbsent(subject) }
                    return batch
                }, validate: nil, checkpoints: nil)
            var created: [String: SubjectKey] = [:]
            var queries = 0
            try store.append(
                [event("a")], expecting: [:],
                prepare: { writer, batch in
                    let before = store.session.queryCount
                    created = try writer.createSubjectKeysIfAbsent(subjects + subjects.prefix(10))
                    queries = store.session.queryCount - before
                    return batch
                }, validate: nil, checkpoints: nil)
            #expect(queries <= 8, "\(queries) queries for \(subjects.count) subjects")
            #expect(created.count == subjects.count)
            for subject in earlier { #expect(created[subject] == stored[subject]) }
            let keys = try store.read { try $0.subjectKeys(for: subjects) }
            #expect(keys == created)
        }
    }
}
