import EventLog
import Foundation
import LMDB
import Testing

/// An event carrying `tags`.
private func tagged(_ stream: String, _ tags: [String], id: UUID = UUID()) -> NewEvent {
    var event = newEvent(stream, id: id)
    event.tags = tags
    return event
}

/// The `seq`s under `tag`, through the head.
private func seqs(_ store: LMDBEventStore, _ tag: String) throws -> [UInt64] {
    try store.read { view in try view.taggedSeqs(tag, through: view.head().seq) }
}

@Suite struct TagIndexTests {
    @Test func verifyNamesATagEntryBeyondTheIndexPosition() throws {
        try withTemporaryDirectory { path in
            do {
                let store = try openStore(path)
                try store.append([tagged("a", ["m/ann"]), tagged("b", ["m/bob"])])
            }
            try withRawDatabase(path, named: "tags", flags: [.duplicateSort, .duplicateFixed]) { environment, tags in
                try environment.write { txn in
                    try txn.put(tags, key: Array("m/eve".utf8), value: seqKey(9))
                }
            }
            let fault = try #require(try openStore(path, create: false).verify().fault)
            #expect(fault.seq == 9)
            #expect(fault.problem.contains("\"m/eve\""))
        }
    }
}

private func path(_ directory: String, _ name: String) -> String {
    (directory as NSString).appendingPathComponent(name)
}
