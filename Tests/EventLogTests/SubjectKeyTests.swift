import EventLog
import Foundation
import LMDB
import Testing

/// Appends one event whose `prepare` step runs `body` on the key writer.
@discardableResult
private func appendPreparing(
    _ store: LMDBEventStore, _ event: NewEvent = newEvent("s"),
    _ body: @escaping (any SubjectKeyWriter) throws -> Void
) throws -> AppendResult {
    try store.append(
        [event], expecting: [:],
        prepare: { writer, batch in
            try body(writer)
            return batch
        }, validate: nil, checkpoints: nil)
}

@Suite struct SubjectKeyTests {
    @Test func keyCreatedInThePrepareStepIsStoredWithTheEventsAndReadableFromAView() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            var created: SubjectKey?
            try appendPreparing(store) { created = try $0.createSubjectKeyIfAbsent("member-a") }
            let stored = try store.read { try $0.subjectKey("member-a") }
            #expect(stored != nil)
            #expect(stored == created)
            #expect(stored?.bytes.count == SubjectKey.length)
            #expect(try store.read { try $0.subjectKeys(prefix: "member-") } == ["member-a": try #require(created)])
        }
    }

    @Test func randomKeysFillAllTheirBytesAndDiffer() {
        let keys = (0..<64).map { _ in SubjectKey.random() }
        #expect(Set(keys).count == keys.count)
        #expect(keys.allSatisfy { $0.bytes.count == SubjectKey.length })
        // Each 8-byte word of the key is drawn: none is the same (e.g. left zero) in every key.
        for word in stride(from: 0, to: SubjectKey.length, by: 8) {
            #expect(Set(keys.map { $0.bytes[word..<word + 8] }).count == keys.count)
        }
    }

    @Test func createIfAbsentReturnsTheExistingKey() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            var first: SubjectKey?
            var second: SubjectKey?
            try appendPreparing(store) { first = try $0.createSubjectKeyIfAbsent("member-a") }
            try appendPreparing(store) { second = try $0.createSubjectKeyIfAbsent("member-a") }
            #expect(first != nil && first == second)
        }
    }

    @Test func keyOfAnAppendThatFailsIsNotWritten() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            struct Refused: Error {}
            #expect(throws: Refused.self) {
                try store.append(
                    [newEvent("s")], expecting: [:],
                    prepare: { writer, batch in
                        _ = try writer.createSubjectKeyIfAbsent("member-a")
                        return batch
                    }, validate: { _, _ in throw Refused() }, checkpoints: nil)
            }
            #expect(try store.read { try $0.subjectKey("member-a") } == nil)
            #expect(try store.head().seq == 0)
        }
    }

    @Test func deletedKeyIsGoneFromTheKeyDatabaseAndTheChainStillVerifies() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            try appendPreparing(store) { _ = try $0.createSubjectKeyIfAbsent("member-a") }
            var deleted = false
            var deletedAgain = true
            try appendPreparing(store) { deleted = try $0.deleteSubjectKey("member-a") }
            try appendPreparing(store) { deletedAgain = try $0.deleteSubjectKey("member-a") }
            #expect(deleted)
            #expect(!deletedAgain)
            #expect(try store.read { try $0.subjectKey("member-a") } == nil)
            let entries = try withRawDatabase(path, named: "keys") { environment, keys in
                try environment.read { txn in try txn.statistics(keys).entries }
            }
            #expect(entries == 0)
            #expect(try store.verify().isSound)
        }
    }

    @Test func prepareStepMayRewriteThePayloadBeforeTheDuplicateCheck() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            let event = newEvent("s", payload: [1])
            let rewrite: (any SubjectKeyWriter, [NewEvent]) throws -> [NewEvent] = { _, batch in
                batch.map { event in
                    var sealed = event
                    sealed.payload = [9]
                    return sealed
                }
            }
            let first = try store.append([event], expecting: [:], prepare: rewrite, validate: nil, checkpoints: nil)
            let again = try store.append([event], expecting: [:], prepare: rewrite, validate: nil, checkpoints: nil)
            #expect(first.appended.first?.payload == [9])
            #expect(again.appended.isEmpty)
            #expect(again.duplicates.map(\.id) == [event.id])
        }
    }

    @Test func prepareStepThatChangesAnIDIsRefused() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            #expect(throws: EventLogError.self) {
                try store.append(
                    [newEvent("s")], expecting: [:],
                    prepare: { _, batch in
                        batch.map {
                            NewEvent(
                                stream: $0.stream, type: $0.type, occurredAt: $0.occurredAt, recordedBy: "", payload: []
                            )
                        }
                    },
                    validate: nil, checkpoints: nil)
            }
            #expect(try store.head().seq == 0)
        }
    }

    @Test func restoreStoresTheKeysThatTravelWithTheExport() throws {
        try withTemporaryDirectory { source in
            try withTemporaryDirectory { target in
                let original = try openStore(source)
                try appendPreparing(original) { _ = try $0.createSubjectKeyIfAbsent("member-a") }
                let key = try #require(try original.read { try $0.subjectKey("member-a") })
                let copy = try openStore(target)
                try copy.restore(try allEvents(original), tags: nil, keys: ["member-a": key], dryRun: false)
                #expect(try copy.read { try $0.subjectKey("member-a") } == key)
                #expect(try copy.verify().isSound)
            }
        }
    }

    @Test func aFormatOneStoreIsUpgradedToFormatTwoWhenOpenedForWriting() throws {
        try withTemporaryDirectory { path in
            do { _ = try openStore(path).append([newEvent("s")]) }
            try withRawDatabase(path, named: "meta") { environment, meta in
                try environment.write { txn in try txn.put(meta, key: Array("format".utf8), value: [0, 0, 0, 1]) }
            }
            let store = try openStore(path, create: false)
            #expect(try store.head().seq == 1)
            let format = try withRawDatabase(path, named: "meta") { environment, meta in
                try environment.read { txn in try txn.get(meta, key: Array("format".utf8)) }
            }
            #expect(format == [0, 0, 0, 2])
        }
    }

    @Test func openingAZeroLengthDataFileIsRefusedAndLeavesItEmpty() throws {
        try withTemporaryDirectory { path in
            let dataFile = path + "/data.mdb"
            #expect(FileManager.default.createFile(atPath: dataFile, contents: Data()))
            let error = try #require(throws: EventLogError.self) { try openStore(path, create: false) }
            #expect(error.description.contains("truncated (0 bytes)"))
            let size = try FileManager.default.attributesOfItem(atPath: dataFile)[.size] as? NSNumber
            #expect(size?.intValue == 0)
        }
    }

    @Test func storeFilesAreOwnerOnlyInAnOwnerOnlyDirectory() throws {
        try withTemporaryDirectory { parent in
            let path = parent + "/store"
            _ = try openStore(path)
            let manager = FileManager.default
            let directory = try manager.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
            #expect(directory?.intValue == 0o700)
            for file in ["data.mdb", "lock.mdb"] {
                let mode = try manager.attributesOfItem(atPath: path + "/" + file)[.posixPermissions] as? NSNumber
                #expect(mode?.intValue == 0o600, "\(file)")
            }
        }
    }
}
