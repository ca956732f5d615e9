import EventLog
import EventLogTestSupport
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
        hooks: Hooks(onPrepare: { writer, batch in
            try body(writer)
            return batch
        }))
}

@Suite struct SubjectKeyTests {
    @Test func randomKeysFillAllTheirBytesAndDiffer() {
        let keys = (0..<64).map { _ in SubjectKey.random() }
        #expect(Set(keys).count == keys.count)
        #expect(keys.allSatisfy { $0.bytes.count == SubjectKey.length })
        // Each 8-byte word of the key is drawn: none is the same (e.g. left zero) in every key.
        for word in stride(from: 0, to: SubjectKey.length, by: 8) {
            #expect(Set(keys.map { $0.bytes[word..<word + 8] }).count == keys.count)
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
