import Foundation
import LMDB
import Testing

/// Reads the 4,000 values of `value` under `k0`…`k3999` (about 16 MB of pages) inside one read transaction,
/// releases the mapped pages, and reads again. (Reads may release pages themselves, when the process holds
/// more than the budget: only what stays of this store after the release is compared.)
private func expectReleased(_ environment: Environment, _ database: Database, _ value: [UInt8]) throws {
    try environment.read { txn in
        var total = 0
        for index in 0..<4_000 { total += try txn.get(database, key: bytes("k\(index)"))?.count ?? 0 }
        #expect(total == 16_000_000)
        environment.releaseMappedPages()
        if let after = residentBytes(ofStoreIn: environment.path) {
            #expect(after < 1_000_000, "\(after) bytes of the store still resident")
        }
        #expect(try txn.get(database, key: bytes("k3999")) == value)
        #expect(try txn.get(database, key: bytes("k0")) == value)
    }
}

/// Runs `body` with an environment in a fresh directory `path` whose database `things` holds 4,000 values of
/// 4,000 bytes (16 MB), each `value`, under the keys `k0` to `k3999`.
private func withSixteenMegabytes(
    _ body: (_ path: String, Environment, Database, _ value: [UInt8]) throws -> Void
) throws {
    try withTemporaryDirectory { path in
        let environment = try Environment(path: path, options: .init(mapSize: 64 << 20, noSync: true))
        let database = try environment.openDatabase("things")
        let value = [UInt8](repeating: 7, count: 4_000)
        try environment.write { txn in
            for index in 0..<4_000 { try txn.put(database, key: bytes("k\(index)"), value: value) }
        }
        try body(path, environment, database, value)
    }
}

@Suite struct MappedPagesTests {
    @Test func releasingMappedPagesKeepsEveryValueReadableAndDropsThemFromResidentMemory() throws {
        try withSixteenMegabytes { path, environment, database, value in
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

/// Resident bytes of the mappings of `directory`'s `data.mdb` in this process, from /proc/self/smaps (Linux), or
/// nil elsewhere. Only this store's pages count, so tests running beside it (each with its own store) change
/// nothing here.
private func residentBytes(ofStoreIn directory: String) -> Int? {
    // Read to the end: /proc files state no size, and this one is longer than a page.
    guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps"),
        let data = try? handle.readToEnd(), let text = String(data: data, encoding: .utf8)
    else { return nil }
    // The directory's own name is unique (a UUID), whatever links lead to it.
    let file = "/" + URL(fileURLWithPath: directory).lastPathComponent + "/data.mdb"
    var total = 0
    var inside = false
    for line in text.split(separator: "\n") {
        let fields = line.split(separator: " ")
        if let first = fields.first, first.contains("-"), first.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
            inside = line.hasSuffix(file)
        } else if inside, fields.first == "Rss:", fields.count > 1 {
            total += (Int(fields[1]) ?? 0) * 1_024
        }
    }
    return total
}

@Suite struct ResidentBudgetTests {
    @Test func pagesAreReleasedOnlyBeyondTheBudget() throws {
        try withSixteenMegabytes { path, environment, database, value in
            try environment.read { txn in
                for index in 0..<4_000 { _ = try txn.get(database, key: bytes("k\(index)")) }
                // Far more than this process holds: nothing is released.
                #expect(!environment.releaseMappedPages(whenResidentFileMemoryExceeds: 1 << 40))
                // Less than the program's own code: the 16 MB read are let go.
                #expect(environment.releaseMappedPages(whenResidentFileMemoryExceeds: 0))
                if let resident = residentBytes(ofStoreIn: path) { #expect(resident < 1_000_000, "\(resident)") }
                #expect(try txn.get(database, key: bytes("k3999")) == value)
            }
        }
    }

    /// Reads alone (no release asked for) keep what they map under the budget: of 160 MB of values read in
    /// one transaction, at most the budget and one check interval's pages stay resident.
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
                if let resident = residentBytes(ofStoreIn: path) {
                    let limit = environment.residentFileMemoryBudget + 16 << 20
                    #expect(resident <= limit, "\(resident) bytes of the store resident")
                }
            }
        }
    }

    /// The budget is the environment's own: of two stores read alike in one process, the one opened with a
    /// budget far above what the process holds keeps the 16 MB it read, the one opened with none lets them go
    /// as its reads go (at most one check interval's values, 2 MB, stay). Whichever budget a process-wide one
    /// were, one of the two would come out wrong. Only each store's own pages are compared, so tests running
    /// beside it change nothing.
    @Test func anEnvironmentReleasesItsMappedPagesAtItsOwnBudgetAndNotAtAnother() throws {
        for (budget, released) in [(1 << 40, false), (0, true)] {
            try withTemporaryDirectory { path in
                let environment = try Environment(
                    path: path, options: .init(mapSize: 64 << 20, noSync: true, residentFileMemoryBudget: budget))
                #expect(environment.residentFileMemoryBudget == budget)
                let database = try environment.openDatabase("things")
                let value = [UInt8](repeating: 7, count: 4_000)
                try environment.write { txn in
                    for index in 0..<4_000 { try txn.put(database, key: bytes("k\(index)"), value: value) }
                }
                environment.releaseMappedPages()
                try environment.read { txn in
                    var total = 0
                    for index in 0..<4_000 { total += try txn.get(database, key: bytes("k\(index)"))?.count ?? 0 }
                    #expect(total == 16_000_000)
                    guard let resident = residentBytes(ofStoreIn: path) else { return }
                    if released {
                        #expect(resident < 6_000_000, "budget 0: \(resident) bytes of the store still resident")
                    } else {
                        #expect(resident >= 12_000_000, "budget 1 TiB: only \(resident) bytes of the store resident")
                    }
                }
            }
        }
    }

    /// LMDB's copy reads the whole file through the map; within a budget, what it read is let go by the end.
    @Test func aCopyWithinABudgetLeavesTheFileItReadOutOfResidentMemory() throws {
        try withSixteenMegabytes { path, environment, database, value in
            environment.releaseMappedPages()
            let copyPath = path + "/copy.mdb"
            let unbudgeted = open(copyPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            try environment.copy(toDescriptor: unbudgeted, compact: true)
            close(unbudgeted)
            if let resident = residentBytes(ofStoreIn: path) {
                #expect(resident >= 8_000_000, "a plain copy maps what it read: \(resident)")
            }
            environment.releaseMappedPages()
            let budgeted = open(copyPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            try environment.copy(toDescriptor: budgeted, compact: true, keepingResidentFileMemoryUnder: 0)
            close(budgeted)
            if let resident = residentBytes(ofStoreIn: path) { #expect(resident < 1_000_000, "\(resident)") }
            var status = stat()
            #expect(stat(copyPath, &status) == 0 && status.st_size >= 16_000_000)
        }
    }
}
