import EventLog
import EventLogTestSupport
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

    @Test func aStoreWhoseAppendFunctionIsTheSetBasedRevisionTwoGetsThisBuildsWhenItsOwnerOpensIt() throws {
        try withTestDatabase { database in
            let created = try database.superuserStore(create: true)
            created.close()
            let revisionTwo = PostgresSchema.appendFunction(database: database.name, replacing: true)
                .replacingOccurrences(
                    of: PostgresSchema.appendFunctionMarker, with: "chronicle.append_events revision 2 (set-based)")
            let session = try database.session()
            try session.execute(revisionTwo)
            session.shutDown()

            let reopened = try database.superuserStore()
            #expect(try reopened.appendFunctionSource()?.contains(PostgresSchema.appendFunctionMarker) == true)
        }
    }

    @Test func aStoreWhoseAppendFunctionCarriesAHigherRevisionIsLeftAloneWhenItsOwnerOpensIt() throws {
        try withTestDatabase { database in
            let created = try database.superuserStore(create: true)
            try created.append([event("a")])
            created.close()
            // What a newer build left: its own revision number (same semantics, as the format is the same).
            let newer = "chronicle.append_events revision \(PostgresSchema.appendFunctionRevision + 1) (newer)"
            let session = try database.session()
            try session.execute(
                PostgresSchema.appendFunction(database: database.name, replacing: true)
                    .replacingOccurrences(of: PostgresSchema.appendFunctionMarker, with: newer))
            session.shutDown()

            let reopened = try database.superuserStore()
            #expect(try reopened.appendFunctionSource()?.contains(newer) == true)
            try reopened.append([event("a")])
            #expect(try reopened.appendFunctionSource()?.contains(newer) == true)
            #expect(try allEvents(reopened).map(\.seq) == [1, 2])
        }
    }

    @Test func anUpgradeTheServerRefusesForAnUnexpectedReasonFailsTheOpeningWithTheServersWords() throws {
        try withTestDatabase { database in
            let created = try database.superuserStore(create: true)
            created.close()
            // An older function of the same arguments that CREATE OR REPLACE cannot replace (another result).
            let session = try database.session()
            try session.execute("DROP FUNCTION \(PostgresEventStore.appendFunctionSignature)")
            try session.execute(
                """
                CREATE FUNCTION \(PostgresEventStore.appendFunctionSignature) RETURNS void LANGUAGE sql AS 'SELECT'
                """)
            session.shutDown()

            #expect {
                _ = try database.superuserStore()
            } throws: { error in
                guard case .storage(let message) = error as? EventLogError else { return false }
                return message.contains("could not replace chronicle.append_events")
                    && message.contains("return type")
            }
        }
    }

    @Test func anOwnerOpeningAStoreWhoseTransactionsAreReadOnlyKeepsTheOlderFunctionAndReads() throws {
        try withTestDatabase { database in
            let created = try database.superuserStore(create: true)
            try created.append([event("a")])
            created.close()
            let session = try database.session()
            try session.execute(
                PostgresSchema.appendFunction(database: database.name, replacing: true)
                    .replacingOccurrences(of: PostgresSchema.appendFunctionMarker, with: "an older revision"))
            try session.execute("ALTER DATABASE \(database.name) SET default_transaction_read_only = on")
            session.shutDown()

            let reopened = try database.superuserStore()
            #expect(try allEvents(reopened).map(\.seq) == [1])
            #expect(try reopened.appendFunctionSource()?.contains("an older revision") == true)
        }
    }

    @Test func anAppendWithTagsOpensNoSubtransaction() throws {
        try withTestDatabase { database in
            let created = try database.superuserStore(create: true)
            created.close()
            // An import calls the function a hundred times in one transaction: more than 64 subtransactions that
            // write (each takes an XID of its own) overflow the subxid cache every other session's snapshots
            // consult. A row written in a subtransaction carries its XID as xmin, not the transaction's. (Tags
            // without a pair named twice: a subtransaction that fails and is rolled back leaves no row.)
            let session = try database.session()
            defer { session.shutDown() }
            try session.execute("BEGIN")
            for _ in 0..<3 {
                try session.execute(
                    """
                    SELECT * FROM chronicle.append_events(ARRAY[gen_random_uuid()], ARRAY['a'], ARRAY['T'], ARRAY[1],
                        ARRAY[1]::smallint[], ARRAY[0]::bigint[], ARRAY['\\x7b7d'::bytea], ARRAY[1, 1],
                        ARRAY['t', 'u'], NULL, false)
                    """)
            }
            // Every row the calls wrote has the transaction's XID (the check runs in the server and names them).
            #expect(throws: Never.self) {
                try session.execute(
                    """
                    DO $$
                    DECLARE v_writers text := (SELECT string_agg(DISTINCT x::text, ', ') FROM (
                        SELECT xmin AS x FROM chronicle.events UNION ALL SELECT xmin FROM chronicle.event_tags) r);
                    BEGIN
                        IF v_writers <> xid(pg_current_xact_id())::text THEN
                            RAISE EXCEPTION 'rows written by transactions %, not only %', v_writers,
                                xid(pg_current_xact_id());
                        END IF;
                    END
                    $$
                    """)
            }
            try session.execute("COMMIT")
            let store = try database.superuserStore()
            #expect(try store.read { try $0.taggedSeqs("t", through: 3) } == [1, 2, 3])
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
                hooks: Hooks(onPrepare: { writer, batch in
                    for subject in earlier { stored[subject] = try writer.createSubjectKeyIfAbsent(subject) }
                    return batch
                }))
            var created: [String: SubjectKey] = [:]
            var queries = 0
            try store.append(
                [event("a")], expecting: [:],
                hooks: Hooks(onPrepare: { writer, batch in
                    let before = store.session.queryCount
                    created = try writer.createSubjectKeysIfAbsent(subjects + subjects.prefix(10))
                    queries = store.session.queryCount - before
                    return batch
                }))
            #expect(queries <= 8, "\(queries) queries for \(subjects.count) subjects")
            #expect(created.count == subjects.count)
            for subject in earlier { #expect(created[subject] == stored[subject]) }
            let keys = try store.read { try $0.subjectKeys(for: subjects) }
            #expect(keys == created)
        }
    }
}
