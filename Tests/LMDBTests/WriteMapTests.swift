import Dispatch
import Foundation
import Testing

@testable import LMDB

/// Write transactions in the file's mapping (`Environment.Options.writeMap`, LMDB's `MDB_WRITEMAP`): what they
/// hold in memory, the data file's length, and a write the disk refuses.
@Suite struct WriteMapTests {
    /// 4,000 bytes: one overflow page each, so that `count` values dirty `count` pages.
    private static let pageValue = [UInt8](repeating: 0x5A, count: 4_000)

    @Test func aWriteTransactionUnderWriteMapHoldsFarLessResidentMemoryThanThePagesItDirties() async throws {
        try await withTemporaryDirectory { path in
            // In a process of its own: the resident memory of the test runner's other tests would blur it.
            _ = await #expect(processExitsWith: .success) { [path = path as String] in
                let environment = try Environment(path: path, options: .init(noSync: true, writeMap: true))
                let database = try environment.openDatabase("pages")
                let before = residentBytes()
                var grown = 0
                try environment.write { txn in
                    for index in 0..<32_768 {  // 128 MiB of pages, all dirty until the commit
                        try txn.put(database, key: pageKey(index), value: Self.pageValue)
                    }
                    grown = residentBytes() - before
                }
                // Without MDB_WRITEMAP liblmdb holds the 128 MiB as heap copies; with it, unreleased, as
                // mapped pages of the file. The budget keeps the file's pages to 64 MiB of the whole process.
                if grown > 64 << 20 { exit(3) }
                // Nor does the commit, which writes the header of every page on liblmdb's dirty list.
                if peakResidentBytes() - before > 64 << 20 { exit(5) }
                try environment.read { txn in
                    guard try txn.statistics(database).entries == 32_768,
                        try txn.get(database, key: pageKey(32_767)) == Self.pageValue
                    else { exit(4) }
                }
            }
        }
    }

    /// What a write transaction writes in the map between two of the wrapper's calls is kept under the budget
    /// too: here one reserved value of 256 MiB, filled inside a single `put` (as an import's checkpoint is
    /// copied into its reserved value), which no count of calls would see.
    @Test func aLargeValueWrittenIntoItsReservedPagesUnderWriteMapIsKeptUnderTheBudgetWhileItIsWritten()
        async throws
    {
        try await withTemporaryDirectory { path in
            _ = await #expect(processExitsWith: .success) { [path = path as String] in
                let environment = try Environment(path: path, options: .init(noSync: true, writeMap: true))
                let database = try environment.openDatabase("pages")
                let before = resettingPeakResidentBytes()
                try environment.write { txn in
                    try txn.put(database, key: pageKey(0), reserving: 256 << 20) { buffer in
                        buffer.initializeMemory(as: UInt8.self, repeating: 0x5A)
                    }
                }
                // The budget is 64 MiB; the margin above it allows for the budget's thread being scheduled late on a
                // loaded machine, while staying well under the 256 MiB the fill keeps resident without the thread.
                if peakResidentBytes() - before > 160 << 20 { exit(3) }
                try environment.read { txn in
                    guard try txn.get(database, key: pageKey(0))?.count == 256 << 20 else { exit(4) }
                }
            }
        }
    }

    @Test func aStoreWrittenThroughItsMapIsTrimmedToItsPagesAndWrittenAgainAfterward() throws {
        try withTemporaryDirectory { path in
            let file = path + "/data.mdb"
            do {
                let environment = try Environment(
                    path: path, options: .init(mapSize: 1 << 20, noSync: true, writeMap: true))
                let database = try environment.openDatabase("pages")
                // LMDB lengthens the file to its map under MDB_WRITEMAP; the write below grows the map too.
                try environment.write { txn in
                    for index in 0..<1_024 { try txn.put(database, key: pageKey(index), value: Self.pageValue) }
                }
                #expect(try fileSize(file) == environment.mapSize)
                #expect(environment.mapSize > environment.usedSize)
                try environment.trimDataFile()
                #expect(try fileSize(file) == environment.usedSize)
                // The next write transaction lengthens it again before LMDB places pages past its end.
                try environment.write { txn in
                    for index in 1_024..<1_100 { try txn.put(database, key: pageKey(index), value: Self.pageValue) }
                }
                try environment.trimDataFile()
                #expect(try fileSize(file) == environment.usedSize)
            }
            // And an environment without MDB_WRITEMAP (opened once the other is closed) reads every page.
            let reader = try Environment(path: path, options: .init(readOnly: true))
            try reader.read { txn in
                let readerDatabase = try txn.openDatabase("pages")
                #expect(try txn.statistics(readerDatabase).entries == 1_100)
                #expect(try txn.get(readerDatabase, key: pageKey(1_099)) == Self.pageValue)
            }
        }
    }

    /// liblmdb sets `data.mdb`'s length to the map's whenever an `MDB_WRITEMAP` environment maps it, which would
    /// cut the pages a writer of another process has placed past a shorter map: that open (or resize) waits
    /// for the directory's lock, which a write transaction holds shared until it ends.
    @Test func theLengthOfTheDataFileIsNotSetWhileAWriteTransactionIsUnderWay() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path, options: .init(noSync: true))
            let database = try environment.openDatabase("pages")
            let locked = DispatchSemaphore(value: 0)
            try environment.write { txn in
                try txn.put(database, key: pageKey(0), value: Self.pageValue)
                DispatchQueue.global().async {
                    FileLengthLock(directory: path).exclusively { _ = locked.signal() }
                }
                // Still waiting a second later: the write transaction holds the lock.
                #expect(locked.wait(timeout: .now() + 1) == .timedOut)
            }
            #expect(locked.wait(timeout: .now() + 60) == .success)
        }
    }

    /// A page of the sparse file that cannot be given a block faults (SIGBUS) instead of returning `ENOSPC`.
    /// Here the file is cut short under the transaction (as a full disk refuses the pages past what it holds):
    /// the put of a value reserved over several pages has its first page, but the rest lie past the end.
    @Test func aReservedValueWhosePagesTheFileCannotHoldEndsTheProcessWithTheFullDiskMessageNotACrash() async throws {
        try await withTemporaryDirectory { path in
            do {
                let file = path + "/data.mdb"
                do {
                    let environment = try Environment(path: path, options: .init(noSync: true, writeMap: true))
                    let database = try environment.openDatabase("pages")
                    try environment.write { txn in try txn.put(database, key: pageKey(0), value: Self.pageValue) }
                    try environment.trimDataFile()
                }
                let before = try Data(contentsOf: URL(fileURLWithPath: file))
                let ended = await #expect(processExitsWith: .exitCode(74), observing: [\.standardErrorContent]) {
                    [path = path as String] in
                    let environment = try Environment(path: path, options: .init(noSync: true, writeMap: true))
                    let database = try environment.openDatabase("pages", flags: [])
                    let used = environment.usedSize
                    try environment.write { txn in
                        // Room for the leaf page and the value's first page, not for the other fifteen.
                        guard truncate(path + "/data.mdb", off_t(used + 4 * 4_096)) == 0 else { exit(5) }
                        try txn.put(database, key: pageKey(1), reserving: 16 * 4_096 - 100) { buffer in
                            buffer.initializeMemory(as: UInt8.self, repeating: 1)
                        }
                    }
                }
                let message = String(decoding: ended?.standardErrorContent ?? [], as: UTF8.self)
                #expect(
                    message
                        == "chronicle: error: storage error: cannot write to the store at \(path): No space left on "
                        + "device (or the disk failed writing through the memory map); nothing was written\n")
                // Nothing committed: the meta pages are as they were, and so is what they lead to.
                let after = try Data(contentsOf: URL(fileURLWithPath: file))
                #expect(after.prefix(2 * 4_096) == before.prefix(2 * 4_096))
                let environment = try Environment(path: path, options: .init(readOnly: true))
                try environment.read { txn in
                    let database = try txn.openDatabase("pages")
                    #expect(try txn.statistics(database).entries == 1)
                }
            }
        }
    }
}

/// Resident memory of this process (`/proc/self/statm`'s second field), in bytes.
private func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// The peak resident memory of this process (`VmHWM` of `/proc/self/status`), in bytes.
private func peakResidentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kilobytes << 10
}

/// The length of the file at `path`.
private func fileSize(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return try #require((attributes[.size] as? NSNumber)?.intValue)
}

/// A sortable key for `index`.
private func pageKey(_ index: Int) -> [UInt8] { Array(String(format: "key-%08d", index).utf8) }

/// Resets this process's peak resident memory (`VmHWM`) to what it holds now (writing 5 to
/// `/proc/self/clear_refs`), and returns that, in bytes.
private func resettingPeakResidentBytes() -> Int {
    let descriptor = open("/proc/self/clear_refs", O_WRONLY)
    if descriptor >= 0 {
        _ = write(descriptor, "5", 1)
        close(descriptor)
    }
    return residentBytes()
}
