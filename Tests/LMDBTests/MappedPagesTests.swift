import Foundation
import LMDB
import Testing

/// Resident pages of this process, from /proc/self/statm (Linux), or nil elsewhere.
private func residentPages() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? Int(fields[1]) : nil
}

/// Reads the 4,000 values of `value` under `k0`…`k3999` (about 16 MB of pages) inside one read transaction,
/// releases the mapped pages, and reads again.
private func expectReleased(_ environment: Environment, _ database: Database, _ value: [UInt8]) throws {
    try environment.read { txn in
        var total = 0
        for index in 0..<4_000 { total += try txn.get(database, key: bytes("k\(index)"))?.count ?? 0 }
        #expect(total == 16_000_000)
        let before = residentPages()
        environment.releaseMappedPages()
        let after = residentPages()
        if let before, let after {
            // At least 8 MB of the 16 MB mapped and read left resident memory.
            #expect(before - after >= 2_000, "resident pages \(before) → \(after)")
        }
        #expect(try txn.get(database, key: bytes("k3999")) == value)
        #expect(try txn.get(database, key: bytes("k0")) == value)
    }
}

@Suite struct MappedPagesTests {
    @Test func releasingMappedPagesKeepsEveryValueReadableAndDropsThemFromResidentMemory() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path, options: .init(mapSize: 64 << 20, noSync: true))
            let database = try environment.openDatabase("things")
            let value = [UInt8](repeating: 7, count: 4_000)
            try environment.write { txn in
                for index in 0..<4_000 { try txn.put(database, key: bytes("k\(index)"), value: value) }
            }
            try expectReleased(environment, database, value)
        }
    }

    /// Where the file is mapped is remembered between releases, and looked up again after the map grew
    /// (and may have moved): the pages read after a growth are still released.
    @Test func pagesReadAfterTheMapGrewAreReleasedToo() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path, options: .init(mapSize: 1 << 20, noSync: true))
            let database = try environment.openDatabase("things")
            try environment.write { txn in try txn.put(database, key: bytes("first"), value: [1]) }
            try environment.read { txn in _ = try txn.get(database, key: bytes("first")) }
            environment.releaseMappedPages()  // the map's place is now known: 1 MB
            let value = [UInt8](repeating: 7, count: 4_000)
            try environment.write { txn in
                for index in 0..<4_000 { try txn.put(database, key: bytes("k\(index)"), value: value) }
            }
            #expect(environment.mapSize >= 16 << 20, "the map grew")
            try expectReleased(environment, database, value)
        }
    }
}
