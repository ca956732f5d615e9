import EventLog
import EventLogTestSupport
import Foundation
import Synchronization
import Testing

@testable import PostgresEventLog

@Suite(.enabled(if: TestServer.isAvailable, "CHRONICLE_TEST_POSTGRES names no server"))
struct PostgresAppendTests {
    @Test func fourConcurrentAppendersGetAGaplessSequenceAndOneWinnerPerExpectedVersion() throws {
        try withTestDatabase { database in
            _ = try database.superuserStore(create: true)
            let stores = try (0..<4).map { _ in try database.superuserStore() }
            let failures = Mutex<[String]>([])
            let raceWinners = Mutex(0)
            DispatchQueue.concurrentPerform(iterations: 4) { worker in
                do {
                    for round in 0..<10 {
                        try stores[worker].append([event("shared"), event("own-\(worker)")])
                        // Every worker races for the same new stream: exactly one may create it.
                        do {
                            try stores[worker].append([event("race-\(round)")], expecting: ["race-\(round)": .noStream])
                            raceWinners.withLock { $0 += 1 }
                        } catch EventLogError.wrongExpectedVersion(let stream, _, let actual) {
                            if stream != "race-\(round)" || actual != 1 {
                                failures.withLock {
                                    $0.append("unexpected conflict on \(stream) at \(String(describing: actual))")
                                }
                            }
                        }
                    }
                } catch {
                    failures.withLock { $0.append("worker \(worker): \(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
            #expect(raceWinners.withLock { $0 } == 10)
            let events = try allEvents(stores[0])
            #expect(events.map(\.seq) == Array(1...UInt64(4 * 10 * 2 + 10)))
            #expect(events.filter { $0.stream == "shared" }.map(\.streamVersion) == Array(1...40))
            var previous = EventHash.genesis
            for event in events {
                #expect(event.chainHash(after: previous) == event.hash)
                previous = event.hash
            }
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.recordedAt <= $1.recordedAt })
            #expect(try stores[1].verify().isSound)
        }
    }

    @Test func aRetryIsIdempotentAndTheSameIDWithOtherContentIsRefused() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            let first = event("a", payload: [1])
            let written = try store.append([first, event("b")])
            let retry = try store.append([first])
            #expect(retry.appended.isEmpty)
            #expect(retry.duplicates == [written.appended[0]])
            #expect(retry.head == written.head)
            var changed = first
            changed.payload = [2]
            #expect(throws: EventLogError.duplicateIDWithDifferentContent(id: first.id, storedSeq: 1)) {
                try store.append([changed, event("c")])
            }
            #expect(try store.head() == written.head)
        }
    }

    @Test func aFailedBatchWritesNothingNotEvenItsKeys() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            let before = try store.append([event("a")]).head
            struct Refused: Error {}
            #expect(throws: Refused.self) {
                try store.append(
                    [event("a"), event("b")], expecting: [:],
                    hooks: Hooks(
                        onPrepare: { keys, batch in
                            _ = try keys.createSubjectKeyIfAbsent("person-1")
                            return batch
                        }, onValidate: { _, _ in throw Refused() }))
            }
            #expect(throws: EventLogError.wrongExpectedVersion(stream: "a", expected: .noStream, actual: 1)) {
                try store.append(
                    [event("a")], expecting: ["a": .noStream],
                    hooks: Hooks(onPrepare: { keys, batch in
                        _ = try keys.createSubjectKeyIfAbsent("person-2")
                        return batch
                    }))
            }
            #expect(try store.head() == before)
            #expect(try store.read { try $0.subjectKeys(prefix: "person-") }.isEmpty)
            #expect(try allEvents(store).count == 1)
        }
    }

    @Test func aRefusalInTheFirstChunkOfALargeBatchIsReportedAsItselfThoughTheNextChunkWasAlreadySent() throws {
        try withTestDatabase { database in
            let admin = try database.superuserStore(create: true)
            let ann = try database.loginRole("ann")
            try admin.grant(.recorder, to: ann, scopes: ["oldham"])
            let recorder = try database.store(as: "ann")
            let size = PostgresEventStore.appendChunk + 1
            // The same two-chunk batch twice, its one event naming no collaborative first in the first chunk,
            // then in the second: each chunk is sent before the previous one's answer is read, so both batches
            // send both chunks, and the first chunk's refusal is what is reported, not the second chunk's
            // failure in the aborted transaction. Each refusal names the event by its place in the batch,
            // not in the chunk.
            var statements: [Int] = []
            for unscoped in [0, size - 1] {
                let batch = (0..<size).map { index in
                    event("s\(index % 50)", tags: index == unscoped ? ["other"] : ["in/oldham"])
                }
                let before = recorder.session.queryCount
                do {
                    try recorder.append(batch)
                    Issue.record("a batch with an event naming no collaborative was recorded")
                } catch let error as EventLogError {
                    #expect(
                        error.description
                            == "role \(ann) may record only for collaborative oldham, and event \(unscoped + 1) of the "
                            + "batch names none; nothing was written",
                        "\(error)")
                }
                statements.append(recorder.session.queryCount - before)
            }
            #expect(statements[0] == statements[1], "\(statements)")
            #expect(try admin.head().seq == 0)
            try recorder.append([event("a", tags: ["in/oldham"])])
            #expect(try allEvents(admin).map(\.seq) == [1])
            #expect(try admin.verify().isSound)
        }
    }

    @Test func aRefusedCollaborativeInALaterChunkNamesTheEventByItsPlaceInTheBatchPastItsRetries() throws {
        try withTestDatabase { database in
            let admin = try database.superuserStore(create: true)
            let ann = try database.loginRole("ann")
            try admin.grant(.recorder, to: ann, scopes: ["oldham"])
            let recorder = try database.store(as: "ann")
            let stored = (0..<3).map { event("s\($0)", tags: ["in/oldham"]) }
            try recorder.append(stored)
            // Three retries first (not sent again), then two chunks of new events, the last one refused: the
            // batch's event 10,005.
            let fresh = (0...PostgresEventStore.appendChunk).map { index in
                event("s\(index % 50)", tags: [index == PostgresEventStore.appendChunk ? "in/bolton" : "in/oldham"])
            }
            do {
                try recorder.append(stored + fresh)
                Issue.record("a batch with an event for bolton was recorded")
            } catch let error as EventLogError {
                #expect(
                    error.description
                        == "role \(ann) may not record for collaborative bolton (granted: oldham): event "
                        + "\(stored.count + fresh.count) of the batch names it; nothing was written", "\(error)")
            }
            #expect(try admin.head().seq == 3)
        }
    }

    @Test func aChunkThatCannotBeSentLeavesNoAnswerUnreadAndTheStoreAsItWas() throws {
        try withTestDatabase { database in
            let admin = try database.superuserStore(create: true)
            let ann = try database.loginRole("ann")
            try admin.grant(.recorder, to: ann, scopes: ["oldham"])
            let recorder = try database.store(as: "ann")
            struct Unsent: Error {}
            // The second chunk cannot be sent (the connection dropped, say) while the first one's answer is due.
            recorder.faults.onSending { chunk in if chunk == 1 { throw Unsent() } }
            let size = PostgresEventStore.appendChunk + 1
            for refused in [false, true] {
                let batch = (0..<size).map { index in
                    event("s\(index % 50)", tags: refused && index == 0 ? ["other"] : ["in/oldham"])
                }
                do {
                    try recorder.append(batch)
                    Issue.record("a batch whose second chunk was never sent was recorded")
                } catch is Unsent {
                    // The first chunk was answered (and written): the failure to send the second is reported.
                    #expect(!refused)
                } catch let error as EventLogError {
                    // The first chunk was refused: that refusal, the earlier failure, is reported.
                    #expect(refused)
                    #expect(error.description.contains("event 1 of the batch names none"), "\(error)")
                }
                // The first chunk's answer was read before the transaction ended: its connection, given back
                // with nothing due, is the one the next append runs on.
                #expect(recorder.session.unreadAnswers == 0)
                #expect(try admin.head().seq == 0)
            }
            recorder.faults.onSending(nil)
            let before = recorder.session.queryCount
            try recorder.append([event("a", tags: ["in/oldham"])])
            #expect(recorder.session.queryCount > before)
            #expect(try allEvents(admin).map(\.seq) == [1])
            #expect(try admin.verify().isSound)
        }
    }

    @Test func theValidationSeesTheLogBeforeTheBatchAndCheckpointsSeeItAfter() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            try store.append([event("a")])
            let seen = Mutex<UInt64>(0)
            let result = try store.append(
                [event("a"), event("b")], expecting: ["a": .exact(1)],
                hooks: Hooks(
                    onValidate: { view, offered in
                        let head = try view.head().seq
                        seen.withLock { $0 = head }
                        #expect(offered.count == 2)
                    },
                    onCheckpoints: { view, appended in
                        [Checkpoint(name: "count", position: try view.head().seq, state: [UInt8(appended.count)])]
                    }))
            #expect(seen.withLock { $0 } == 1)
            #expect(result.appended.map(\.streamVersion) == [2, 1])
            #expect(
                try store.read { try $0.checkpoint(named: "count") }
                    == Checkpoint(name: "count", position: 3, state: [2]))
        }
    }

    @Test func hashesAreThoseOfEventEncodingAndTheLogRestoresIntoLMDBAndBack() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            try store.append([
                event("ströme-ä", type: "Tÿpe", occurredAt: .day(-3), payload: []),
                event("b", occurredAt: .instant(try instant("2024-05-06T07:08:09.123456Z")), payload: Array(0...255)),
            ])
            try store.append([event("ströme-ä", payload: Array(repeating: 7, count: 70_000), tags: ["in/x", "t"])])
            let events = try allEvents(store)
            var previous = EventHash.genesis
            for event in events {
                #expect(event.chainHash(after: previous) == event.hash)
                previous = event.hash
            }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "pg-lmdb-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let lmdb = try LMDBEventStore(directory: directory.path, create: true)
            try lmdb.restore(events)
            #expect(try lmdb.verify().isSound)
            #expect(try lmdb.head() == store.head())
            // And back, into another PostgreSQL store, as its admin.
            try withTestDatabase { copy in
                let target = try copy.superuserStore(create: true)
                let tags = events.map { $0.seq == 3 ? ["in/x", "t"] : [] }
                #expect(
                    try target.restore(events, tags: tags, keys: ["s": SubjectKey.random()], dryRun: true)
                        == store.head())
                #expect(try target.head() == .empty)
                try target.restore(events, tags: tags, keys: [:], dryRun: false)
                #expect(try allEvents(target) == events)
                #expect(try target.verify().isSound)
                #expect(try target.read { try $0.taggedSeqs("in/x", through: .max) } == [3])
                var broken = events
                broken[0] = RecordedEvent(
                    seq: 4, id: UUID(), stream: "c", streamVersion: 1, type: "T", schemaVersion: 1,
                    occurredAt: .day(1), recordedAt: events[2].recordedAt, recordedBy: "x", payload: [],
                    hash: events[0].hash)
                #expect(throws: EventLogError.self) { try target.restore([broken[0]]) }
            }
        }
    }

    @Test func recordedByIsTheDatabaseUserWhateverTheClientSends() throws {
        try withTestDatabase { database in
            let admin = try database.superuserStore(create: true)
            let ann = try database.loginRole("ann")
            try admin.grant(.recorder, to: ann, scopes: nil)
            let recorder = try database.store(as: "ann")
            let result = try recorder.append([event("a", recordedBy: "mallory")])
            #expect(result.appended.map(\.recordedBy) == [ann])
            #expect(try allEvents(admin).map(\.recordedBy) == [ann])
            #expect(try admin.verify().isSound)
        }
    }

    @Test func theClientsClockIsHonouredForAnAdminAndIgnoredForARecorder() throws {
        try withTestDatabase { database in
            let pinned = try instant("2020-01-02T03:04:05Z")
            let admin = try database.superuserStore(create: true, clock: FixedClock(pinned))
            #expect(try admin.append([event("a")]).appended.map(\.recordedAt) == [pinned])
            try admin.grant(.recorder, to: try database.loginRole("ann"), scopes: nil)
            let future = try instant("2099-01-01T00:00:00Z")
            let recorder = try database.store(as: "ann", clock: FixedClock(future))
            let recordedAt = try #require(recorder.append([event("b")]).appended.first?.recordedAt)
            #expect(recordedAt != future)
            #expect(recordedAt > pinned)
            #expect(recordedAt <= SystemClock().now())
        }
    }

    @Test func aClockFarBehindTheHeadIsRefusedUnlessAllowed() throws {
        try withTestDatabase { database in
            let late = try instant("2030-06-01T00:00:00Z")
            let early = try instant("2030-05-31T00:00:00Z")
            let first = try database.superuserStore(create: true, clock: FixedClock(late))
            let retried = event("a")
            try first.append([retried])
            let behind = try database.superuserStore(clock: FixedClock(early))
            #expect(throws: EventLogError.clockBehindHead(clock: early, head: late)) {
                try behind.append([event("b")])
            }
            // A retry of an acknowledged append still succeeds: idempotency comes first.
            #expect(try behind.append([retried]).duplicates.count == 1)
            let allowed = try database.superuserStore(clock: FixedClock(early), allowsClockBehind: true)
            #expect(try allowed.append([event("b")]).appended.map(\.recordedAt) == [late])
            let slightlyBehind = try database.superuserStore(clock: FixedClock(try instant("2030-05-31T23:58:00Z")))
            #expect(try slightlyBehind.append([event("c")]).appended.map(\.recordedAt) == [late])
        }
    }

    @Test func openingADatabaseWithoutTheSchemaIsStoreNotFoundNamingTheURI() throws {
        try withTestDatabase { database in
            var location = database.location()
            location.password = "not-shown"
            #expect(throws: EventLogError.storeNotFound(path: location.description)) {
                try PostgresEventStore(location: location)
            }
            #expect(!location.description.contains("not-shown"))
        }
    }

    @Test func aNewerSchemaFormatIsRefused() throws {
        try withTestDatabase { database in
            _ = try database.superuserStore(create: true)
            try database.session().execute("UPDATE chronicle.meta SET value = '3' WHERE key = 'format'")
            #expect(throws: EventLogError.unsupportedFormat(found: 3, supported: 2)) {
                try database.superuserStore()
            }
        }
    }

    @Test func openingAStoreIsOneQuery() throws {
        try withTestDatabase { database in
            _ = try database.superuserStore(create: true)
            let store = try database.superuserStore()
            // Every command opens its store: a round trip saved there is saved by every command.
            #expect(store.session.queryCount == 1)
            #expect(try store.read { try $0.head() }.seq == 0)
        }
    }

    @Test func aSchemaWithoutItsMetaTableIsADamagedStoreNotAMissingOne() throws {
        try withTestDatabase { database in
            _ = try database.superuserStore(create: true)
            try database.session().execute("DROP TABLE chronicle.meta")
            do {
                _ = try database.superuserStore(create: true)
                Issue.record("a store without chronicle.meta was opened")
            } catch let error as EventLogError {
                guard case .storage(let message) = error else {
                    Issue.record("\(error)")
                    return
                }
                #expect(message.contains("damaged") && message.contains("meta"), "\(message)")
            }
        }
    }

    @Test func aWrongPasswordIsACannotConnectError() throws {
        try withTestDatabase { database in
            _ = try database.superuserStore(create: true)
            let role = try database.loginRole("ann")
            do {
                _ = try PostgresEventStore(location: database.location(user: role, password: "wrong"))
                Issue.record("a wrong password was accepted")
            } catch let error as EventLogError {
                #expect(error.description.contains("cannot connect to postgresql://\(role)@"), "\(error)")
                #expect(error.description.contains("28P01"), "\(error)")
            }
        }
    }

    @Test func tagsAreIndexedByAppendsAndCaughtUpUnderANewScheme() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            try store.append([event("a", tags: ["x", "y", "x"]), event("b", tags: ["y"])])
            #expect(try store.read { try $0.taggedSeqs("y", through: .max) } == [1, 2])
            #expect(try store.read { try $0.tagIndexPosition() } == 2)
            let count = try store.catchUpTags(scheme: "v2") { event in [event.stream == "a" ? "first" : "second"] }
            #expect(count == 2)
            #expect(
                try store.read { view in
                    (
                        try view.taggedSeqs("y", through: .max), try view.taggedSeqs("second", through: .max),
                        try view.tagScheme()
                    )
                } == ([], [2], "v2"))
            #expect(try store.catchUpTags(scheme: "v2") { _ in [] } == 0)
            #expect(try store.verify().isSound)
        }
    }

    @Test func findingTheTagIndexCurrentBeforeAnAppendIsOneQuery() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            try store.append([event("a", tags: ["x"])])
            #expect(try store.catchUpTags(scheme: "v1") { _ in ["x"] } == 1)
            // Every command that appends asks this first: a round trip saved here is saved by every `record`.
            let before = store.session.queryCount
            #expect(try store.catchUpTags(scheme: "v1") { _ in ["x"] } == 0)
            #expect(store.session.queryCount - before == 1)
            // A lagging index is still seen as lagging: behind the head, or of another scheme.
            try database.session().execute("UPDATE chronicle.meta SET value = '0' WHERE key = 'tag_position'")
            #expect(try store.catchUpTags(scheme: "v1") { _ in ["x"] } == 1)
            #expect(try store.catchUpTags(scheme: "v2") { _ in ["y"] } == 1)
            #expect(try store.read { try $0.taggedSeqs("y", through: .max) } == [1])
        }
    }

    @Test func theHeadIsLockedAndCheckedInTwoQueriesBeforeAnAppendPrepares() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            try store.append([event("a"), event("b")])
            var queries = 0
            let before = store.session.queryCount
            try store.append(
                [event("c")], expecting: [:],
                hooks: Hooks(onPrepare: { _, batch in
                    queries = store.session.queryCount - before
                    return batch
                }))
            // BEGIN and its `SET LOCAL jit = off` (sent together: one wait), the lock (which returns the head),
            // the last two events, the batch's ids looked up.
            #expect(queries == 5)
            #expect(try allEvents(store).map(\.seq) == [1, 2, 3])
        }
    }

    @Test(arguments: [1, 2])
    func anAppendOntoALastEventThatDoesNotChainFromTheOneBeforeIsRefusedAndWritesNothing(_ tampered: Int) throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            try store.append([event("a"), event("b")])
            // The hash of event 1 (the one before the last) or of the last, changed behind the store's back.
            let session = try database.session()
            try session.execute("SET session_replication_role = replica")
            try session.execute("UPDATE chronicle.events SET hash = sha256(hash) WHERE seq = \(tampered)")
            if tampered == 2 { try session.execute("UPDATE chronicle.head SET hash = sha256(hash)") }
            do {
                try store.append([event("c")])
                Issue.record("an append chained onto a damaged log")
            } catch let error as EventLogError {
                #expect(
                    error
                        == .storage(
                            "the store is damaged: the last event (seq 2) does not match its hash; nothing was written"),
                    "\(error)")
            }
            #expect(try store.head().seq == 2)
        }
    }

    @Test func scansPageThroughMoreRowsThanOneQueryFetches() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            let count = PostgresLogView.pageSize * 2 + 500
            try store.append(
                (0..<count).map { index in
                    event(
                        index % 2 == 0 ? "even" : "odd", type: index % 3 == 0 ? "Third" : "Other",
                        occurredAt: .day(Int64(count - index)), payload: [UInt8(index % 256)])
                })
            func collect(_ scan: (any LogView, (RecordedEvent) throws -> Bool) throws -> Void) throws -> [UInt64] {
                try store.read { view in
                    var seqs: [UInt64] = []
                    try scan(view) { event in
                        seqs.append(event.seq)
                        return true
                    }
                    return seqs
                }
            }
            let all = Array(1...UInt64(count))
            #expect(try collect { try $0.scan(from: 1, direction: .forward, $1) } == all)
            #expect(try collect { try $0.scan(from: .max, direction: .backward, $1) } == all.reversed())
            #expect(
                try collect { try $0.scanStream("even", from: 1, direction: .forward, $1) }
                    == all.filter { $0 % 2 == 1 })
            #expect(
                try collect { try $0.scanStream("odd", from: .max, direction: .backward, $1) }
                    == all.filter { $0 % 2 == 0 }.reversed())
            let thirds = all.filter { ($0 - 1) % 3 == 0 }
            #expect(try collect { try $0.scanType("Third", from: 1, direction: .forward, $1) } == thirds)
            #expect(try collect { try $0.scanType("Third", from: .max, direction: .backward, $1) } == thirds.reversed())
            // Valid time runs against seq here: the occurred order is the log's reversed.
            #expect(
                try collect { try $0.scanOccurred(from: .minimum, through: .maximum, direction: .forward, $1) }
                    == all.reversed())
            #expect(
                try collect { try $0.scanOccurred(from: .minimum, through: .maximum, direction: .backward, $1) } == all)
            let middle = try collect {
                try $0.scanOccurred(
                    from: .start(of: ValidTime.day(100).sortKey), through: .end(of: ValidTime.day(1_600).sortKey),
                    direction: .forward, $1)
            }
            #expect(middle.count == 1_501)
            let firstTwo = try store.read { view in
                var seqs: [UInt64] = []
                try view.scan(from: 1_999, direction: .forward) { event in
                    seqs.append(event.seq)
                    return seqs.count < 2
                }
                return seqs
            }
            #expect(firstTwo == [1_999, 2_000])
            #expect(try store.events(from: 1).collect().count == count)
        }
    }

    @Test func aDroppedConnectionIsOpenedAgainForTheNextTransaction() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            try store.append([event("a")])
            try database.session().execute(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = '\(database.name)' AND pid <> pg_backend_pid()
                """)
            // The first use may find the connection gone (and say so); the next one connects again.
            if (try? store.append([event("b")])) == nil {
                try store.append([event("b")])
            }
            #expect(try allEvents(store).map(\.stream) == ["a", "b"])
            #expect(try store.verify().isSound)
        }
    }
}
