import EventLog
import EventLogTestSupport
import Foundation
import LMDB
import Testing

@Suite struct StoreLifecycleTests {
    @Test func newStoreIsEmptyAndSound() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path + "/store")
            #expect(try store.head() == .empty)
            #expect(try allEvents(store).isEmpty)
            #expect(try collect(store.eventsBackward(), pageSize: 3).isEmpty)
            let report = try store.verify()
            #expect(report == VerificationReport(eventCount: 0, head: .empty, fault: nil))
        }
    }

    @Test func reopeningAfterCloseKeepsEventsHeadAndCheckpoints() throws {
        try withTemporaryDirectory { path in
            let (events, head) = try {
                let store = try LMDBEventStore(directory: path, create: true, clock: FixedClock(epoch))
                try store.append([newEvent("a"), newEvent("b", type: "Other")])
                try store.append(
                    [newEvent("a", occurredAt: .instant(instant(1)))], expecting: ["a": .exact(1)],
                    hooks: Hooks(onCheckpoints: { _, _ in [Checkpoint(name: "count", position: 3, state: [3])] }))
                try store.saveCheckpoint(Checkpoint(name: "other", position: 1, state: []))
                return (try allEvents(store), try store.head())
            }()

            let store = try LMDBEventStore(directory: path, create: false, clock: FixedClock(instant(60)))
            #expect(try allEvents(store) == events)
            #expect(try store.head() == head)
            #expect(
                try store.read { try $0.checkpoint(named: "count") }
                    == Checkpoint(name: "count", position: 3, state: [3]))
            #expect(
                try store.read { try $0.checkpoint(named: "other") }
                    == Checkpoint(name: "other", position: 1, state: []))
            #expect(try store.read { try $0.streamVersion("a") } == 2)
            #expect(try collect(store.events(ofType: "Other"), pageSize: 2).map(\.seq) == [2])
            #expect(try store.verify().isSound)

            let next = try store.append([newEvent("a")], expecting: ["a": .exact(2)])
            #expect(next.appended.map(\.seq) == [4])
            #expect(next.appended.map(\.streamVersion) == [3])
            #expect(try store.verify().isSound)
        }
    }

    @Test func openingAMissingStoreWithoutCreateThrowsStoreNotFound() throws {
        try withTemporaryDirectory { path in
            let absent = path + "/absent"
            #expect(throws: EventLogError.storeNotFound(path: absent)) {
                try LMDBEventStore(directory: absent, create: false)
            }
            #expect(!FileManager.default.fileExists(atPath: absent), "a failed open creates nothing")
            #expect(throws: EventLogError.storeNotFound(path: path)) {
                try LMDBEventStore(directory: path, create: false)
            }
            #expect(
                EventLogError.storeNotFound(path: absent).description
                    == "no Chronicle store at \(absent) (create one with `chronicle init`)")
        }
    }

    /// An LMDB environment holding another program's databases is not taken for a missing store: `init`
    /// would then write a store into it (and a damaged main database looks the same, see `StoreMigration`).
    @Test func openingAnLMDBEnvironmentThatIsNotAStoreIsRefusedAndNothingIsWrittenIntoIt() throws {
        try withTemporaryDirectory { path in
            do {
                let environment = try Environment(path: path)
                _ = try environment.openDatabase("something-else")
            }
            let before = try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb"))
            for create in [false, true] {
                let error = #expect(throws: EventLogError.self) {
                    try LMDBEventStore(directory: path, create: create)
                }
                #expect(
                    error?.description.contains("is damaged or is not a Chronicle store") == true,
                    "\(String(describing: error))")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb")) == before)
        }
    }

    @Test func openingAStoreOfAnUnknownFormatVersionIsAClearError() throws {
        try withTemporaryDirectory { path in
            do { _ = try openStore(path).append([newEvent("s")]) }
            try withRawDatabase(path, named: "meta") { environment, meta in
                try environment.write { txn in try txn.put(meta, key: Array("format".utf8), value: [0, 0, 0, 0]) }
            }
            let error = try #require(throws: EventLogError.self) { try openStore(path, create: false) }
            #expect(error == .unsupportedFormat(found: 0, supported: LMDBEventStore.formatVersion))
            #expect(error.description == "store format 0 is not supported by this build (it reads format 3)")
            #expect(throws: EventLogError.unsupportedFormat(found: 0, supported: 3)) {
                try openStore(path, create: true)
            }
        }
    }

    @Test func storeOpenedWithATinyMapAcceptsMegabytesOfEvents() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path, initialMapSize: 64 << 10)
            let payload = [UInt8](repeating: 0x5A, count: 32 << 10)
            for batch in 0..<16 {  // 4 MiB of payload in 16 appends of 8 events
                try store.append((0..<8).map { _ in newEvent("stream-\(batch % 3)", payload: payload) })
            }
            #expect(try store.head().seq == 128)
            #expect(store.usedSize > 4 << 20)
            let report = try store.verify()
            #expect(report.isSound)
            #expect(report.eventCount == 128)
            #expect(try collect(store.events(inStream: "stream-0"), pageSize: 5).count == 48)
        }
    }

    @Test func readOnlyStoreServesReadsAndRefusesAppendsAsAPermission() throws {
        try withTemporaryDirectory { path in
            do { _ = try openStore(path).append([newEvent("s")]) }
            let store = try LMDBEventStore(directory: path, options: .init(readOnly: true))
            #expect(try store.head().seq == 1)
            #expect(try store.verify().isSound)
            let error = try #require(throws: EventLogError.self) { try store.append([newEvent("s")]) }
            // A write LMDB does not permit (EACCES), as for a store whose files this process may not write.
            guard case .permissionDenied(let message) = error else {
                Issue.record("expected a permission refusal, got \(error)")
                return
            }
            #expect(message.contains("the store at \(path) is read-only"), "\(message)")
        }
    }

    @Test func backupIsACompleteStoreOfItsOwn() throws {
        try withTemporaryDirectory { path in
            let original = path + "/original"
            let copy = path + "/copy"
            let events = try {
                let store = try openStore(original)
                try store.append([newEvent("a"), newEvent("b")])
                try store.saveCheckpoint(Checkpoint(name: "p", position: 2, state: [1]))
                try store.backup(to: copy)
                return try allEvents(store)
            }()
            let restored = try openStore(copy, create: false)
            #expect(try allEvents(restored) == events)
            #expect(try restored.read { try $0.checkpoint(named: "p") }?.position == 2)
            #expect(try restored.verify().isSound)
        }
    }
}
