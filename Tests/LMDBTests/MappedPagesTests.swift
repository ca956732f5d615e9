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

/// Resident file-backed (shared) pages of this process, from /proc/self/statm (Linux), or nil elsewhere.
private func residentFilePages() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
    let fields = text.split(separator: " ")
    return fields.count > 2 ? Int(fields[2]) : nil
}

@Suite struct ResidentBudgetTests {
    @Test func pagesAreReleasedOnlyBeyondTheBudget() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path, options: .init(mapSize: 64 << 20, noSync: true))
            let database = try environment.openDatabase("things")
            let value = [UInt8](repeating: 7, count: 4_000)
            try environment.write { txn in
                for index in 0..<4_000 { try txn.put(database, key: bytes("k\(index)"), value: value) }
            }
            try environment.read { txn in
                for index in 0..<4_000 { _ = try txn.get(database, key: bytes("k\(index)")) }
                // Far more than this process holds: nothing is released.
                #expect(!environment.releaseMappedPages(whenResidentFileMemoryExceeds: 1 << 40))
                let before = residentFilePages()
                // Less than the program's own code: the 16 MB read are let go.
                #expect(environment.releaseMappedPages(whenResidentFileMemoryExceeds: 0))
                if let before, let after = residentFilePages() {
                    #expect(before - after >= 2_000, "resident file pages \(before) → \(after)")
                }
                #expect(try txn.get(database, key: bytes("k3999")) == value)
            }
        }
    }

    /// Reads alone (no release asked for) keep what they map under the budget: 160 MB of values read in
    /// one transaction leave at most the budget and one check interval's pages resident.
    @Test func readingMoreThanTheBudgetKeepsTheResidentFileMemoryUnderIt() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path, options: .init(mapSize: 256 << 20, noSync: true))
            let database = try environment.openDatabase("things")
            let value = [UInt8](repeating: 7, count: 4_000)
            for first in stride(from: 0, to: 40_000, by: 10_000) {
                try environment.write { txn in
                    for index in first..<first + 10_000 { try txn.put(database, key: bytes("k\(index)"), value: value) }
                }
            }
            environment.releaseMappedPages()
            try environment.read { txn in
                var total = 0
                for index in 0..<40_000 { total += try txn.get(database, key: bytes("k\(index)"))?.count ?? 0 }
                #expect(total == 160_000_000)
                if let pages = residentFilePages() {
                    let limit = Environment.residentFileMemoryBudget + 48 << 20
                    let resident = pages * sysconf(Int32(_SC_PAGESIZE))
                    #expect(resident <= limit, "\(resident) bytes resident, file-backed")
                }
            }
        }
    }

    /// LMDB's copy reads the whole file through the map; within a budget, what it read is let go by the end.
    @Test func aCopyWithinABudgetLeavesTheFileItReadOutOfResidentMemory() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path, options: .init(mapSize: 64 << 20, noSync: true))
            let database = try environment.openDatabase("things")
            let value = [UInt8](repeating: 7, count: 4_000)
            try environment.write { txn in
                for index in 0..<4_000 { try txn.put(database, key: bytes("k\(index)"), value: value) }
            }
            environment.releaseMappedPages()
            let copyPath = path + "/copy.mdb"
            let unbudgeted = open(copyPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            try environment.copy(toDescriptor: unbudgeted, compact: true)
            close(unbudgeted)
            let afterPlainCopy = residentFilePages()
            environment.releaseMappedPages()
            let released = residentFilePages()
            let budgeted = open(copyPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            try environment.copy(toDescriptor: budgeted, compact: true, keepingResidentFileMemoryUnder: 0)
            close(budgeted)
            let afterBudgetedCopy = residentFilePages()
            if let afterPlainCopy, let released, let afterBudgetedCopy {
                #expect(afterPlainCopy - released >= 2_000, "a plain copy maps what it read")
                #expect(afterBudgetedCopy < afterPlainCopy - 2_000, "\(afterBudgetedCopy) vs \(afterPlainCopy)")
            }
            var status = stat()
            #expect(stat(copyPath, &status) == 0 && status.st_size >= 16_000_000)
        }
    }
}
