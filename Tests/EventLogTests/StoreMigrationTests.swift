import EventLog
import EventLogTestSupport
import Foundation
import LMDB
import Testing

/// Stores written by earlier builds that lack a database get it when opened for writing, and are read as they
/// are, without a write, when opened read-only; a format 2 store reads as it is and is marked format 3 by its first append; a
/// store of a newer format is refused.
@Suite struct StoreMigrationTests {
    /// The databases a format 1 store has (no `keys`, and before the tag index no `tags`).
    static let formatOneDatabases = ["meta", "events", "ids", "streams", "types", "occurred", "checkpoints"]

    /// Writes into `path` a format 1 store holding the events of `events`: the databases of a store made by
    /// this build, copied entry by entry but for `keys` and `tags` (and the tag index's entries in `meta`),
    /// with format 1 in `meta`.
    static func writeFormatOneStore(
        at path: String, events: [NewEvent], databases: [String] = formatOneDatabases
    ) throws {
        let source = path + "-source"
        defer { try? FileManager.default.removeItem(atPath: source) }
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        do { _ = try openStore(source).append(events) }
        let entries = try databases.map { name in
            try withRawDatabase(source, named: name) { environment, database in
                try environment.read { txn in
                    try txn.withCursor(database) { cursor in
                        var found: [(key: [UInt8], value: [UInt8])] = []
                        var entry = try cursor.first()
                        while let current = entry {
                            found.append((current.keyBytes, current.valueBytes))
                            entry = try cursor.next()
                        }
                        return (name, found)
                    }
                }
            }
        }
        let environment = try Environment(path: path)
        for (name, found) in entries {
            let database = try environment.openDatabase(name)
            try environment.write { txn in
                for (key, value) in found where name != "meta" || key == Array("head".utf8) {
                    try txn.put(database, key: key, value: value)
                }
                if name == "meta" { try txn.put(database, key: Array("format".utf8), value: [0, 0, 0, 1]) }
            }
        }
    }

    /// The format number stored in `meta` of the store in `path`.
    static func storedFormat(_ path: String) throws -> [UInt8]? {
        try withRawDatabase(path, named: "meta", flags: []) { environment, meta in
            try environment.read { txn in try txn.get(meta, key: Array("format".utf8)) }
        }
    }

    @Test func aFormatOneStoreIsUpgradedToTheCurrentFormatWhenOpenedForWriting() throws {
        try withTemporaryDirectory { path in
            let events = [newEvent("a"), newEvent("b"), newEvent("a")]
            try Self.writeFormatOneStore(at: path, events: events)
            let store = try openStore(path, create: false)
            #expect(try allEvents(store).map(\.id) == events.map(\.id))
            #expect(try store.verify().isSound)
            // The new databases work: a subject key is stored, and the new tag index catches up.
            try store.append(
                [newEvent("c")],
                hooks: Hooks(onPrepare: { keys, batch in
                    _ = try keys.createSubjectKeyIfAbsent("member-a")
                    return batch
                }))
            #expect(try store.read { try $0.subjectKey("member-a") } != nil)
            #expect(try store.catchUpTags(scheme: "test") { [$0.stream] } == 4)
            #expect(try store.read { try $0.taggedSeqs("a", through: 4) } == [1, 3])
            #expect(try store.verify().isSound)
        }
        try withTemporaryDirectory { path in
            try Self.writeFormatOneStore(at: path, events: [newEvent("a")])
            do { _ = try openStore(path, create: false) }
            #expect(try Self.storedFormat(path) == [0, 0, 0, UInt8(LMDBEventStore.formatVersion)])
        }
    }

    @Test func aFormatOneStoreOpenedReadOnlyIsReadAsItIsWithoutAWrite() throws {
        try withTemporaryDirectory { path in
            let events = [newEvent("a"), newEvent("b"), newEvent("a")]
            try Self.writeFormatOneStore(at: path, events: events)
            let data = path + "/data.mdb"
            let before = try Data(contentsOf: URL(fileURLWithPath: data))
            do {
                let store = try LMDBEventStore(directory: path, options: .init(readOnly: true))
                #expect(try allEvents(store).map(\.id) == events.map(\.id))
                #expect(try store.verify().isSound)
                // The databases it lacks read as empty: no key, and a tag index at position 0 (readers scan).
                #expect(try store.read { try $0.subjectKeys(prefix: "") }.isEmpty)
                #expect(try store.read { try $0.subjectKey("member-a") } == nil)
                #expect(try store.read { try $0.tagIndexPosition() } == 0)
                #expect(try store.read { try $0.tagScheme() } == nil)
                #expect(try store.read { try $0.taggedSeqs("a", through: 3) }.isEmpty)
                #expect(try store.read { try $0.isTagged(1, with: "a") } == false)
                #expect(try store.read { try $0.tagEntryCount() } == 0)
                // A copy takes its history into a current store.
                try withTemporaryDirectory { copyPath in
                    let copy = try openStore(copyPath)
                    let summary = try store.copy(to: copy)
                    #expect(summary.events == 3 && summary.source.isSound && summary.target.isSound)
                    #expect(try allEvents(copy).map(\.id) == events.map(\.id))
                }
                #expect(throws: EventLogError.self) { try store.append([newEvent("c")]) }
            }
            #expect(try Self.storedFormat(path) == [0, 0, 0, 1])
            #expect(try Data(contentsOf: URL(fileURLWithPath: data)) == before)
            let store = try openStore(path, create: false)
            #expect(try store.head().seq == 3)
            #expect(try Self.storedFormat(path) == [0, 0, 0, UInt8(LMDBEventStore.formatVersion)])
        }
    }

    @Test func anEarlierStoreLackingMoreThanTheTagIndexAndKeysIsDamagedNotMissing() throws {
        try withTemporaryDirectory { path in
            try Self.writeFormatOneStore(
                at: path, events: [newEvent("a")],
                databases: Self.formatOneDatabases.filter { $0 != "checkpoints" && $0 != "occurred" })
            do {
                _ = try LMDBEventStore(directory: path, options: .init(readOnly: true))
                Issue.record("a store lacking its occurred and checkpoints databases was opened")
            } catch EventLogError.storage(let message) {
                #expect(message.contains("is damaged"))
                #expect(message.contains("occurred, checkpoints, tags, keys"))
            }
            #expect(try Self.storedFormat(path) == [0, 0, 0, 1])
        }
    }

    @Test func aBackupOfAFormatOneStoreIsRestoredAsAStoreOfTheCurrentFormat() throws {
        try withTemporaryDirectory { path in
            let events = [newEvent("a"), newEvent("b")]
            let backup = path + "/backup"
            let target = path + "/restored"
            try Self.writeFormatOneStore(at: backup, events: events)
            try LMDBEventStore.replace(directory: target, withBackupAt: backup, replacingEmptyStore: false)
            #expect(try Self.storedFormat(backup) == [0, 0, 0, 1])
            #expect(try Self.storedFormat(target) == [0, 0, 0, UInt8(LMDBEventStore.formatVersion)])
            let restored = try LMDBEventStore(directory: target, options: .init(readOnly: true))
            #expect(try allEvents(restored).map(\.id) == events.map(\.id))
            #expect(try restored.read { try $0.tagScheme() } == nil)
        }
    }

    @Test func aFormatTwoStoreIsOpenedWithoutAWriteAndGetsTheCurrentFormatFromItsFirstAppend() throws {
        try withTemporaryDirectory { path in
            let event = newEvent("a")
            do { _ = try openStore(path).append([event]) }
            try withRawDatabase(path, named: "meta") { environment, meta in
                try environment.write { txn in try txn.put(meta, key: Array("format".utf8), value: [0, 0, 0, 2]) }
            }
            let data = path + "/data.mdb"
            let before = try Data(contentsOf: URL(fileURLWithPath: data))
            do {
                let store = try LMDBEventStore(directory: path, options: .init(readOnly: true))
                #expect(try allEvents(store).map(\.id) == [event.id])
            }
            // Opening it for writing, reading it and a dry run write nothing: a build of format 2 still reads it.
            do {
                let store = try openStore(path, create: false)
                #expect(try allEvents(store).map(\.id) == [event.id])
                #expect(try store.verify().isSound)
                let dryRun = try store.append([newEvent("b")], expecting: [:], hooks: NoAppendHooks(), dryRun: true)
                #expect(dryRun.appended.count == 1)
            }
            #expect(try Self.storedFormat(path) == [0, 0, 0, 2])
            #expect(try Data(contentsOf: URL(fileURLWithPath: data)) == before)
            // Its first append records the current format, with the event.
            do { _ = try openStore(path, create: false).append([newEvent("b")]) }
            #expect(try Self.storedFormat(path) == [0, 0, 0, 3])
        }
    }

    @Test func aStoreOfANewerFormatIsRefusedAsWrittenByANewerChronicle() throws {
        try withTemporaryDirectory { path in
            do { _ = try openStore(path).append([newEvent("s")]) }
            let newer = LMDBEventStore.formatVersion + 1
            try withRawDatabase(path, named: "meta") { environment, meta in
                try environment.write { txn in
                    try txn.put(meta, key: Array("format".utf8), value: [0, 0, 0, UInt8(newer)])
                }
            }
            for readOnly in [false, true] {
                let error = try #require(throws: EventLogError.self) {
                    try LMDBEventStore(directory: path, options: .init(readOnly: readOnly))
                }
                #expect(error == .unsupportedFormat(found: newer, supported: LMDBEventStore.formatVersion))
                #expect(
                    error.description
                        == "store format 4 was written by a newer Chronicle: this build reads format 3 and earlier; "
                        + "use a newer build")
            }
            #expect(try Self.storedFormat(path) == [0, 0, 0, UInt8(newer)])
        }
    }
}
