import EventLog
import EventLogTestSupport
import Foundation
import Testing

@testable import PostgresEventLog

@Suite(.enabled(if: TestServer.isAvailable, "CHRONICLE_TEST_POSTGRES names no server"))
struct PostgresPermissionTests {
    @Test func aRecorderCannotChangeEventsDirectlyNorRestore() throws {
        try withTestDatabase { database in
            let admin = try database.superuserStore(create: true)
            let written = try admin.append([event("a")]).appended
            try admin.grant(.recorder, to: try database.loginRole("ann"), scopes: nil)
            let raw = try database.session(as: "ann")
            let statements = [
                """
                INSERT INTO chronicle.events VALUES (2, gen_random_uuid(), 'a', 2, 'T', 1, 0, 1, 1, 1, 'ann', '', '')
                """,
                "UPDATE chronicle.events SET payload = '\\x00'",
                "DELETE FROM chronicle.events",
                "TRUNCATE chronicle.events",
                "UPDATE chronicle.head SET seq = 0",
                "INSERT INTO chronicle.event_tags VALUES (1, ARRAY['x'])",
                """
                SELECT chronicle.restore_events(NULL::bigint[], NULL::uuid[], NULL::text[], NULL::bigint[], NULL::text[],
                NULL::integer[], NULL::smallint[], NULL::bigint[], NULL::bigint[], NULL::text[], NULL::bytea[],
                NULL::bytea[], NULL::integer[], NULL::text[], false)
                """,
            ]
            for statement in statements {
                #expect(sqlState { try raw.execute(statement) } == "42501", "\(statement)")
            }
            let recorder = try database.store(as: "ann")
            let other = try database.superuserStore()
            // A well-formed continuation of the chain: only the role stands in its way.
            func forged(_ hash: EventHash) -> RecordedEvent {
                RecordedEvent(
                    seq: 2, id: UUID(uuid: UUID.forged), stream: "b", streamVersion: 1, type: "T", schemaVersion: 1,
                    occurredAt: .day(1), recordedAt: written[0].recordedAt, recordedBy: "forged", payload: [],
                    hash: hash)
            }
            let copy = forged(forged(.genesis).chainHash(after: written[0].hash))
            do {
                try recorder.restore([copy])
                Issue.record("a recorder restored")
            } catch let error as EventLogError {
                #expect(error.description.contains("restoring needs the \(database.name)_admin role"), "\(error)")
                #expect(error.isPermissionDenied, "\(error)")
            }
            #expect(try allEvents(other) == written)
        }
    }

    @Test func aReaderCannotAppend() throws {
        try withTestDatabase { database in
            let admin = try database.superuserStore(create: true)
            try admin.grant(.reader, to: try database.loginRole("rita"), scopes: nil)
            let reader = try database.store(as: "rita")
            do {
                try reader.append([event("a")])
                Issue.record("a reader appended")
            } catch let error as EventLogError {
                #expect(error.description.contains("appending needs the \(database.name)_recorder role"), "\(error)")
                #expect(error.isPermissionDenied, "\(error)")
            }
            #expect(try reader.head() == .empty)
        }
    }

    @Test func onlyASuperuserGetsPastTheAppendOnlyTriggerAndVerifyFindsWhatItChanged() throws {
        try withTestDatabase { database in
            let admin = try database.superuserStore(create: true)
            try admin.append([event("a"), event("b"), event("c")])
            // Even a role given the table privileges outright is stopped by the trigger.
            let carl = try database.loginRole("carl")
            let superuser = try database.session()
            try superuser.execute("GRANT USAGE ON SCHEMA chronicle TO \"\(carl)\"")
            try superuser.execute("GRANT SELECT, UPDATE, DELETE, TRUNCATE ON chronicle.events TO \"\(carl)\"")
            let raw = try database.session(as: "carl")
            #expect(
                sqlState { try raw.execute("UPDATE chronicle.events SET payload = '\\x00' WHERE seq = 2") } == "CR005")
            #expect(sqlState { try raw.execute("DELETE FROM chronicle.events WHERE seq = 3") } == "CR005")
            #expect(sqlState { try raw.execute("TRUNCATE chronicle.events") } == "CR005")
            #expect(try admin.verify().isSound)
            try superuser.execute("UPDATE chronicle.events SET payload = '\\x09' WHERE seq = 2")
            let report = try admin.verify()
            #expect(report.fault?.seq == 2)
            #expect(report.fault?.problem.hasPrefix("hash mismatch") == true, "\(String(describing: report.fault))")
            #expect(report.eventCount == 1)
        }
    }

    @Test func verifyFindsATagEntryBeyondTheIndexAndAHeadThatIsNotTheLast() throws {
        try withTestDatabase { database in
            let admin = try database.superuserStore(create: true)
            try admin.append([event("a", tags: ["t"]), event("b")])
            let superuser = try database.session()
            try superuser.execute("INSERT INTO chronicle.event_tags VALUES (7, ARRAY['stray'])")
            let stray = try admin.verify()
            #expect(stray.fault?.seq == 7)
            #expect(stray.fault?.problem.contains("\"stray\" names an event beyond its position 2") == true)
            try superuser.execute("DELETE FROM chronicle.event_tags WHERE seq = 7")
            try superuser.execute("UPDATE chronicle.head SET seq = 1")
            #expect(try admin.verify().fault?.problem == "stored head says seq 1 but the log ends at seq 2")
            // And an append refuses to chain onto it.
            do {
                try admin.append([event("c")])
                Issue.record("appended after a damaged head")
            } catch let error as EventLogError {
                #expect(error.description.contains("the store is damaged"), "\(error)")
            }
        }
    }

    @Test func theLastSeqRecordedByAnInstantFollowsTransactionTime() throws {
        try withTestDatabase { database in
            let times = try ["2021-01-01T00:00:00Z", "2021-01-01T00:00:00Z", "2021-02-01T00:00:00Z"].map(instant)
            for time in times {
                try database.superuserStore(create: true, clock: FixedClock(time)).append([event("a")])
            }
            let store = try database.superuserStore()
            let found = try store.read { view in
                try [
                    "2020-12-31T23:59:59Z", "2021-01-01T00:00:00Z", "2021-01-15T00:00:00Z", "2021-02-01T00:00:00Z",
                ].map { try view.lastSeq(recordedAtOrBefore: instant($0)) }
            }
            #expect(found == [0, 2, 2, 3])
        }
    }

    @Test func scopesLimitARecorderToItsCollaboratives() throws {
        try withTestDatabase { database in
            let admin = try database.superuserStore(create: true)
            let ann = try database.loginRole("ann")
            try admin.grant(.recorder, to: ann, scopes: ["oldham"])
            let recorder = try database.store(as: "ann")
            try recorder.append([event("a", tags: ["in/oldham", "other"])])
            let head = try admin.head()
            for (tags, message) in [
                (["in/oldham", "in/bolton"], "role \(ann) may not record for collaborative bolton (granted: oldham)"),
                (
                    ["other"],
                    "role \(ann) may record only for collaborative oldham, and event 2 of the batch names none"
                ),
            ] {
                do {
                    try recorder.append([event("b", tags: ["in/oldham"]), event("c", tags: tags)])
                    Issue.record("\(tags) was recorded")
                } catch let error as EventLogError {
                    #expect(error.description.contains(message), "\(error)")
                    #expect(error.description.contains("nothing was written"), "\(error)")
                    #expect(error.isPermissionDenied, "\(error)")
                }
            }
            #expect(try admin.head() == head)
            try admin.grant(.recorder, to: ann, scopes: nil)
            try recorder.append([event("c", tags: ["in/bolton"])])
            #expect(try admin.head().seq == 2)
            try admin.revoke(.recorder, from: ann)
            #expect(throws: EventLogError.self) { try recorder.append([event("d")]) }
        }
    }

    @Test func aReaderRunsEveryQueryOnAReadOnlyConnection() throws {
        try withTestDatabase { database in
            let admin = try database.superuserStore(create: true)
            try admin.append([event("a", tags: ["t"]), event("b")])
            // The tag index lags (a new scheme), as on a standby whose primary has not caught up.
            let rita = try database.loginRole("rita")
            try admin.grant(.reader, to: rita, scopes: nil)
            try database.session().execute("ALTER ROLE \"\(rita)\" SET default_transaction_read_only = on")
            let reader = try database.store(as: "rita")
            #expect(try allEvents(reader).count == 2)
            #expect(try reader.events(inStream: "a").collect().count == 1)
            #expect(try reader.verify().isSound)
            #expect(try reader.catchUpTags(scheme: "another") { _ in ["u"] } == 0)
            try reader.saveCheckpoint(Checkpoint(name: "p", position: 2, state: [1]))
            #expect(try reader.read { try $0.checkpoint(named: "p") } == nil)
            #expect(try reader.read { try $0.lastSeq(recordedAtOrBefore: SystemClock().now()) } == 2)
        }
    }

    @Test func anAppendOnAReadOnlyConnectionSaysTheStoreIsReadOnlyNotThatTheRoleMayNot() throws {
        try withTestDatabase { database in
            let admin = try database.superuserStore(create: true)
            try admin.append([event("a")])
            admin.close()
            try database.session().execute("ALTER DATABASE \(database.name) SET default_transaction_read_only = on")
            let store = try database.superuserStore()
            do {
                try store.append([event("b")])
                Issue.record("an append on a read-only connection went through")
            } catch let EventLogError.storage(message) {
                #expect(message.contains("is read-only"), "\(message)")
                #expect(message.contains("nothing was written"), "\(message)")
            }
            #expect(try allEvents(store).count == 1)
        }
    }

    @Test func erasingAKeyNeedsTheAdminRole() throws {
        try withTestDatabase { database in
            let admin = try database.superuserStore(create: true)
            try admin.grant(.recorder, to: try database.loginRole("ann"), scopes: nil)
            let recorder = try database.store(as: "ann")
            try recorder.append(
                [event("a")], expecting: [:],
                hooks: Hooks(onPrepare: { keys, batch in
                    _ = try keys.createSubjectKeyIfAbsent("person-1")
                    return batch
                }))
            do {
                try recorder.append(
                    [event("a")], expecting: [:],
                    hooks: Hooks(onPrepare: { keys, batch in
                        try keys.deleteSubjectKey("person-1")
                        return batch
                    }))
                Issue.record("a recorder erased a key")
            } catch let error as EventLogError {
                #expect(error.description.contains("erasing needs the \(database.name)_admin role"), "\(error)")
                #expect(error.isPermissionDenied, "\(error)")
            }
            #expect(try admin.read { try $0.subjectKey("person-1") } != nil)
            let erased = try admin.append(
                [event("a")], expecting: [:],
                hooks: Hooks(onPrepare: { keys, batch in
                    let deleted = try keys.deleteSubjectKey("person-1")
                    #expect(deleted)
                    return batch
                }))
            #expect(erased.appended.count == 1)
            #expect(try admin.read { try $0.subjectKey("person-1") } == nil)
        }
    }

    @Test func initWithoutCreateRoleSaysWhatIsMissing() throws {
        try withTestDatabase { database in
            let owner = try database.loginRole("owner")
            try database.session().execute("GRANT CREATE ON DATABASE \(database.name) TO \"\(owner)\"")
            do {
                _ = try PostgresEventStore(
                    location: database.location(user: owner, password: "secret-owner"), options: .init(create: true))
                Issue.record("init without CREATEROLE succeeded")
            } catch let error as EventLogError {
                #expect(error.description.contains("needs the CREATEROLE privilege"), "\(error)")
                #expect(error.isPermissionDenied, "\(error)")
                #expect(error.description.contains("\(database.name)_reader"), "\(error)")
            }
            #expect(throws: EventLogError.storeNotFound(path: database.location().description)) {
                try database.superuserStore()
            }
        }
    }
}

extension EventLogError {
    /// Whether the error is a refusal for want of a privilege (the CLI's exit code 77).
    var isPermissionDenied: Bool {
        switch self {
        case .permissionDenied, .eventRefused: true
        default: false
        }
    }
}

extension UUID {
    /// A fixed id, so that an event can be rebuilt with its own hash.
    static let forged: uuid_t = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)
}
