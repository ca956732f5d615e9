import Foundation
import LMDB
import Testing

/// Runs `body` with the path of a store whose `types` database holds 2,000 entries (a branch page over
/// leaves), whose `pairs` database (`MDB_DUPSORT | MDB_DUPFIXED`) holds a key with 500 duplicates (a
/// sub-database of duplicates, with fixed-size leaves) and whose `big` database holds a 20,000-byte value
/// (a run of overflow pages), each written in one transaction and closed.
private func withStore(_ body: (String) throws -> Void) throws {
    try withTemporaryDirectory { path in
        do {
            let environment = try Environment(path: path, options: .init(mapSize: 64 << 20, noSync: true))
            let types = try environment.openDatabase("types")
            let pairs = try environment.openDatabase("pairs", flags: [.create, .duplicateSort, .duplicateFixed])
            let big = try environment.openDatabase("big")
            try environment.write { txn in
                for index in 0..<2_000 {
                    try txn.put(types, key: bytes("type-\(index)-" + String(repeating: "x", count: 40)), value: [1])
                }
                for index in 0..<500 { try txn.put(pairs, key: bytes("key"), value: bytes("\(100_000 + index)")) }
                try txn.put(big, key: bytes("value"), value: [UInt8](repeating: 9, count: 20_000))
            }
        }
        try body(path)
    }
}

/// The page size and the bytes of `data.mdb` in `path`.
private func pages(in path: String) throws -> (size: Int, file: Data) {
    let file = try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb"))
    let size = Int(file[40]) | Int(file[41]) << 8 | Int(file[42]) << 16  // md_pad of meta 0's free-list record
    return (size, file)
}

private func u16(_ file: Data, _ offset: Int) -> Int { Int(file[offset]) | Int(file[offset + 1]) << 8 }

/// The number of the one branch page of the store (`withStore` writes the `types` tree in one transaction,
/// so no stale branch page is left in the file).
private func branchPage(in file: Data, pageSize: Int) throws -> Int {
    let branches = (2..<(file.count / pageSize)).filter { u16(file, $0 * pageSize + 10) == 0x01 }
    #expect(branches.count == 1)
    return try #require(branches.first)
}

/// Rewrites the bytes of `data.mdb` in `path`.
private func damage(_ path: String, _ change: (inout Data) throws -> Void) throws {
    let url = URL(fileURLWithPath: path + "/data.mdb")
    var file = try Data(contentsOf: url)
    try change(&file)
    try file.write(to: url)
}

/// Runs `body` with the path of a store whose last write took pages from the end of the file for a value and
/// freed them before its commit (it wrote the value, then deleted it, once earlier writes had left pages to
/// reuse): liblmdb lists them free but never writes them, so the file ends before its meta page's last page.
func withUnwrittenFreeTail(_ body: (String) throws -> Void) throws {
    try withTemporaryDirectory { path in
        try writeUnwrittenFreeTail(in: path)
        try body(path)
    }
}

/// Writes the store of ``withUnwrittenFreeTail(_:)`` in the empty directory `path`.
func writeUnwrittenFreeTail(in path: String) throws {
    do {
        let environment = try Environment(path: path, options: .init(mapSize: 64 << 20, noSync: true))
        let values = try environment.openDatabase("values")
        for round in 0..<3 {
            try environment.write { txn in
                for index in 0..<200 {
                    try txn.put(
                        values, key: bytes("key-\(index)"), value: [UInt8](repeating: 7, count: 100 + round))
                }
            }
        }
        try environment.write { txn in
            try txn.put(values, key: bytes("key-5"), value: [1])
            try txn.put(values, key: bytes("big"), value: [UInt8](repeating: 9, count: 200_000))
            _ = try txn.delete(values, key: bytes("big"))
        }
    }
    let (size, file) = try pages(in: path)
    let newest = u64(file, 144) > u64(file, size + 144) ? 0 : size
    #expect(file.count / size < u64(file, newest + 136) + 1, "the file ends before the last page")
}

private func u64(_ file: Data, _ offset: Int) -> Int {
    (0..<8).reduce(0) { value, index in value | Int(file[offset + index]) << (8 * index) }
}

private func checkHeaders(_ path: String) throws -> String? {
    try Environment(path: path, options: .init(readOnly: true)).checkPageHeaders()
}

@Suite struct PageHeaderTests {
    @Test func anUndamagedStoreHasNoDamagedPageHeader() throws {
        try withStore { path in
            let problem = try checkHeaders(path)
            #expect(problem == nil)
            // The walk went through every kind of page: a fixed-size leaf of duplicates and an overflow run.
            let (size, file) = try pages(in: path)
            let flags = Set((2..<(file.count / size)).map { u16(file, $0 * size + 10) })
            #expect(flags.isSuperset(of: [0x01, 0x02, 0x04, 0x22]))
        }
    }

    /// liblmdb reads a branch page carrying `P_KEEP` as any branch, but its commit skips it.
    @Test func aBranchPageFlaggedKeepIsReportedByItsNumberAndFlags() throws {
        try withStore { path in
            let (size, file) = try pages(in: path)
            let branch = try branchPage(in: file, pageSize: size)
            try damage(path) { $0[branch * size + 11] ^= 0x80 }
            let problem = try #require(try checkHeaders(path))
            #expect(problem.contains("page \(branch) of the store's file: flags 0x8001, not a branch page's"))
            #expect(problem.contains("types"))
        }
    }

    @Test func aLeafPageFlaggedLooseIsReported() throws {
        try withStore { path in
            let (size, file) = try pages(in: path)
            let branch = try branchPage(in: file, pageSize: size)
            let node = branch * size + u16(file, branch * size + 16)
            let leaf = u16(file, node) | u16(file, node + 2) << 16
            try damage(path) { $0[leaf * size + 11] ^= 0x40 }
            #expect(try checkHeaders(path)?.contains("page \(leaf) of the store's file: flags 0x4002") == true)
        }
    }

    @Test func aLeafPageWhosePageNumberWasChangedIsReported() throws {
        try withStore { path in
            let (size, file) = try pages(in: path)
            let branch = try branchPage(in: file, pageSize: size)
            let node = branch * size + u16(file, branch * size + 16)
            let leaf = u16(file, node) | u16(file, node + 2) << 16
            try damage(path) { $0[leaf * size] ^= 0x01 }
            #expect(
                try checkHeaders(path)?.contains("page \(leaf) of the store's file: it says it is page \(leaf ^ 1)")
                    == true)
        }
    }

    /// A branch pointing past the last page in use, or a node offset past the page, is a fault, not a crash.
    @Test func aBranchPointingPastTheFileOrANodeOutsideItsPageIsReported() throws {
        try withStore { path in
            let (size, file) = try pages(in: path)
            let branch = try branchPage(in: file, pageSize: size)
            let node = branch * size + u16(file, branch * size + 16)
            try damage(path) { $0[node + 3] = 0x70 }
            #expect(try checkHeaders(path)?.contains("past the last page") == true)
            try damage(path) {
                $0[node + 3] = 0
                $0[branch * size + 16] = 0xff
                $0[branch * size + 17] = 0xff
            }
            #expect(try checkHeaders(path)?.contains("node 0 lies outside the page") == true)
        }
    }

    /// liblmdb's own comment on `mm_last_pg`: "the file may be shorter if the freeDB lists the final pages".
    @Test func aStoreWhosePagesPastTheFilesEndAreFreeOpensAndHasNoDamagedPageHeader() throws {
        try withUnwrittenFreeTail { path in
            let problem = try checkHeaders(path)
            #expect(problem == nil)
        }
    }

    /// A transaction that frees more page numbers than a page holds saves them as one free-list value in a run
    /// of overflow pages: the walk reads it across the run's pages, and a number listed twice in its last page
    /// is reported.
    @Test func aFreeListValueSpanningOverflowPagesIsReadWhole() throws {
        try withTemporaryDirectory { path in
            do {
                let environment = try Environment(path: path, options: .init(mapSize: 64 << 20, noSync: true))
                let values = try environment.openDatabase("values")
                try environment.write { txn in
                    for index in 0..<5_000 {
                        try txn.put(values, key: bytes("key-\(index)"), value: [UInt8](repeating: 7, count: 1_000))
                    }
                }
                try environment.write { txn in try txn.empty(values) }
            }
            #expect(try checkHeaders(path) == nil)
            let (size, file) = try pages(in: path)
            let runs = (2..<(file.count / size)).filter { u16(file, $0 * size + 10) == 0x04 }
            let first = try #require(runs.first)
            let count = u64(file, first * size + 16)
            let length = Int(u16(file, first * size + 12))
            #expect(runs.count == 1 && length >= 3 && count > size / 8 * 2, "one run of 3 pages or more")
            let last = first * size + 16 + 8 * count  // the value's last page number
            try damage(path) { $0.replaceSubrange(last..<(last + 8), with: $0[(last - 8)..<last]) }
            #expect(try checkHeaders(path)?.contains("which is in use or listed twice") == true)
        }
    }

    /// A file that ends inside the pages the trees reach is still refused on opening, as truncated.
    @Test func aFileCutShortOfPagesInUseIsRefusedAsTruncated() throws {
        try withStore { path in
            let (size, file) = try pages(in: path)
            try damage(path) { $0 = $0.prefix(file.count - 2 * size) }
            #expect {
                try checkHeaders(path)
            } throws: { error in
                "\(error)".contains("data.mdb is truncated")
            }
        }
    }

    /// liblmdb 0.9 commits several pages with `lseek` then `writev` on its descriptor: a walk that moved that
    /// descriptor's offset while another thread commits would send the commit's pages to the wrong place.
    @Test func theWalkLeavesTheOffsetOfTheEnvironmentsDescriptorAlone() throws {
        try withStore { path in
            let environment = try Environment(path: path, options: .init(readOnly: true))
            let descriptors = try dataFileDescriptors(path)
            #expect(!descriptors.isEmpty)
            for descriptor in descriptors { #expect(lseek(descriptor, 4096, SEEK_SET) == 4096) }
            #expect(try environment.checkPageHeaders() == nil)
            for descriptor in descriptors { #expect(lseek(descriptor, 0, SEEK_CUR) == 4096) }
        }
    }

    /// liblmdb's commit frees the page number a page's header says: a write on a leaf whose number was damaged
    /// puts that wrong number in the free list (and heals the header), which the walk then reports.
    @Test func aWriteOnALeafWhoseNumberWasDamagedLeavesAFreeListTheWalkReports() throws {
        try withStore { path in
            let (size, file) = try pages(in: path)
            let branch = try branchPage(in: file, pageSize: size)
            let node = branch * size + u16(file, branch * size + 16)
            let leaf = u16(file, node) | u16(file, node + 2) << 16
            try damage(path) { $0[leaf * size + 4] ^= 0x01 }  // the page number's byte 4: 2^32 more
            do {
                let environment = try Environment(path: path, options: .init(mapSize: 64 << 20, noSync: true))
                let types = try environment.openDatabase("types", flags: [])
                try environment.write { txn in
                    try txn.put(types, key: bytes("type-0-" + String(repeating: "x", count: 40)), value: [2])
                }
            }
            let problem = try #require(try checkHeaders(path))
            #expect(problem.hasPrefix("the free list names page \(leaf + (1 << 32)), past the last page"))
        }
    }
}

/// The descriptors of this process open on `path`'s `data.mdb` (from `/proc/self/fd`).
func dataFileDescriptors(_ path: String) throws -> [Int32] {
    let target = URL(fileURLWithPath: path + "/data.mdb").resolvingSymlinksInPath().path
    return try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap { name in
        guard let descriptor = Int32(name),
            let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(name)"),
            link == target
        else { return nil }
        return descriptor
    }
}
