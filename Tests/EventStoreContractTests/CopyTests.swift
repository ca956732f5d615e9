import EventLog
import EventLogTestSupport
import Foundation
import Synchronization
import Testing

/// Appends a small history with tags and two subject keys to `store` and returns its events.
private func history(in store: any EventStore) throws -> [RecordedEvent] {
    let first = [newEvent("member-a"), newEvent("member-b", type: "Joined"), newEvent("workshop-1")]
    try store.append(
        first.map { event in
            var tagged = event
            tagged.tags = ["c/oldham"]
            return tagged
        }, expecting: [:],
        hooks: Hooks(onPrepare: { writer, batch in
            _ = try writer.createSubjectKeyIfAbsent("member-a")
            _ = try writer.createSubjectKeyIfAbsent("member-b")
            return batch
        }))
    try store.append([newEvent("member-a", occurredAt: .instant(instant(-60))), newEvent("workshop-2")])
    try store.append(
        [newEvent("member-b", type: "Left")], expecting: [:],
        hooks: Hooks(onPrepare: { writer, batch in
            try writer.deleteSubjectKey("member-b")
            return batch
        }))
    return try allEvents(store)
}

@Suite struct CopyTests {
    @Test(arguments: StoreKind.available, StoreKind.available)
    func copyMovesEveryEventAsStoredAndEverySubjectKeyAndBothEndsVerify(from: StoreKind, to: StoreKind) throws {
        try from.withStores { sources in
            try to.withStores { targets in
                let source = try sources.open()
                let events = try history(in: source)
                let keys = try source.read { try $0.subjectKeys(prefix: "") }
                let target = try targets.open(clock: FixedClock(instant(60)))
                let progress = Mutex<[UInt64]>([])
                let summary = try source.copy(to: target, chunkSize: 2) { copied, total in
                    #expect(total == 6)
                    progress.withLock { $0.append(copied) }
                }
                #expect(progress.withLock { $0 } == [0, 2, 4, 6])
                #expect(try allEvents(target) == events)
                #expect(try target.read { try $0.subjectKeys(prefix: "") } == keys)
                #expect(keys.count == 1 && keys["member-a"] != nil)
                let head = try source.head()
                #expect(summary.events == 6 && summary.subjectKeys == 1 && summary.head == head)
                #expect(summary.source.isSound && summary.target.isSound && summary.target.head == summary.head)
                // The tag index is derived data: left behind, for the domain's catch-up.
                #expect(try target.read { try $0.tagIndexPosition() } == 0)
                #expect(try target.catchUpTags(scheme: "s") { event in ["t/" + event.stream] } == 6)
                #expect(try target.read { try $0.taggedSeqs("t/member-a", through: .max) } == [1, 4])
                // The copy continues the chain with its own appends.
                let next = try target.append([newEvent("member-a")])
                #expect(next.head.seq == 7)
                #expect(try target.verify().isSound)
            }
        }
    }

    @Test(arguments: StoreKind.available, StoreKind.available)
    func copyOfAnEmptyStoreWithKeysOnlyCopiesTheKeys(from: StoreKind, to: StoreKind) throws {
        try from.withStores { sources in
            try to.withStores { targets in
                let source = try sources.open()
                let target = try targets.open()
                let summary = try source.copy(to: target)
                #expect(summary.events == 0 && summary.head == .empty && summary.target.isSound)
                #expect(try target.head() == .empty)
            }
        }
    }

    @Test(arguments: StoreKind.available, StoreKind.available)
    func copyIntoAStoreThatHoldsEventsIsRefusedAndWritesNothing(from: StoreKind, to: StoreKind) throws {
        try from.withStores { sources in
            try to.withStores { targets in
                let source = try sources.open()
                _ = try history(in: source)
                let target = try targets.open()
                try target.append([newEvent("other")])
                let before = try allEvents(target)
                #expect(throws: EventLogError.self) { try source.copy(to: target) }
                #expect(try allEvents(target) == before)
                #expect(try target.read { try $0.subjectKeys(prefix: "") }.isEmpty)
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func backupWritesAnLMDBStoreWithTheSameEventsAndKeys(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let source = try stores.open()
            let events = try history(in: source)
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("contract-backup-\(UUID().uuidString.lowercased())").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try source.backup(to: directory)
            let copy = try LMDBEventStore(directory: directory, options: .init(readOnly: true))
            #expect(try allEvents(copy) == events)
            let keys = try source.read { try $0.subjectKeys(prefix: "") }
            #expect(try copy.read { try $0.subjectKeys(prefix: "") } == keys)
            #expect(try copy.verify().isSound)
            let mode = try FileManager.default.attributesOfItem(atPath: directory)[.posixPermissions] as? Int
            #expect(mode == 0o700)
        }
    }

    @Test(arguments: StoreKind.available)
    func backupThatCannotBeWrittenLeavesNothingBehind(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let source = try stores.open()
            _ = try history(in: source)
            let parent = FileManager.default.temporaryDirectory
                .appendingPathComponent("contract-backup-\(UUID().uuidString.lowercased())").path
            // The destination's parent does not exist: nothing can be created.
            #expect(throws: EventLogError.self) { try source.backup(to: parent + "/dest") }
            #expect(!FileManager.default.fileExists(atPath: parent))
        }
    }

    @Test(arguments: StoreKind.available)
    func releasingReadMemoryChangesNothingReadable(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let events = try history(in: store)
            store.releaseReadMemory()
            #expect(try allEvents(store) == events)
        }
    }
}
