internal import CLMDB
internal import FileSystem
internal import Foundation
internal import Synchronization

/// Where the data file is mapped: releasing the pages a scan has read, and checking that what LMDB returns
/// lies inside the file (a damaged node size must be reported, not followed into SIGBUS).
extension Environment {
    /// Lets this process's memory map forget the data file's pages it has read (`madvise(MADV_DONTNEED)`):
    /// they stay in the operating system's page cache and are mapped again on the next access. A long scan
    /// that calls this now and then holds only what it keeps, not the file it read. Safe at any time, nothing
    /// is lost: the map is shared, so pages a write transaction wrote in it (``Options/writeMap``) stay in the
    /// page cache, dirty, as any page does (without it the map is read-only: LMDB writes with `pwrite`).
    ///
    /// LMDB does not publish where it mapped the file (`me_mapaddr` is set only with `MDB_FIXEDMAP`), so the
    /// mappings of `data.mdb` are found in `/proc/self/maps`; elsewhere than Linux this does nothing. Safe
    /// while other threads read: a resize of the map waits for it. Safe inside a transaction of this
    /// thread too (which holds the resize lock shared): it never waits for the lock, and releases nothing
    /// when it cannot take it at once (a hint skipped, as ``releaseMappedPages(whenResidentFileMemoryExceeds:)``
    /// does), so that a resize waiting for this thread's transaction cannot wait for it in turn.
    public func releaseMappedPages() {
        // Held shared so that no resize can move the map between reading where it is and advising on it:
        // an `madvise` on a range the map just left could drop another mapping's memory.
        guard pthread_rwlock_tryrdlock(resizeLock) == 0 else { return }
        defer { pthread_rwlock_unlock(resizeLock) }
        for range in dataFileMappings() {
            guard let address = UnsafeMutableRawPointer(bitPattern: range.start) else { continue }
            _ = madvise(address, range.length, MADV_DONTNEED)
        }
    }

    /// Where `data.mdb` is mapped, looked up again only after the map moved. The caller holds `resizeLock`
    /// (shared), as every transaction does, so the map cannot move meanwhile.
    func dataFileMappings() -> [(start: UInt, length: Int)] {
        let generation = mapGeneration
        return mappedRanges.withLock { cached in
            if let cached, cached.generation == generation { return cached.ranges }
            let found = Self.mappings(of: mappedDataFile)
            cached = (generation, found)
            return found
        }
    }

    /// The page size of the operating system (the granularity of the map).
    private static let systemPageSize = UInt(max(sysconf(Int32(_SC_PAGESIZE)), 1))

    /// Throws ``LMDBError/corrupted`` unless the `count` bytes at `start`, a key or value LMDB returned, lie
    /// inside the mapped data file. Node sizes are stored bytes: a damaged one can make LMDB return a value
    /// running past the end of the file, and touching it would kill the process with SIGBUS (or SIGSEGV past
    /// the map) instead of reporting the damage. Called inside a transaction, which holds `resizeLock`.
    ///
    /// A value that ends in the system page it starts in is not looked up: LMDB has just read its node's
    /// header, which lies just before it. A longer one that starts inside the data file's mapping (found once
    /// per map generation) must end within the file's current size. One that starts outside it is a page a
    /// write transaction has copied to memory (its own writes), not read from the file: nothing to check.
    /// Where the mapping cannot be found (elsewhere than Linux), nothing is checked.
    func checkMapped(_ start: UnsafeMutableRawPointer?, count: Int, operation: @autoclosure () -> String)
        throws(LMDBError)
    {
        noteMappedRead()  // every value read counts towards the resident budget (Environment+ResidentBudget)
        guard let start, count > 0 else { return }
        let address = UInt(bitPattern: start)
        let page = Self.systemPageSize
        if address % page + UInt(count) <= page { return }
        guard
            let mapping = dataFileMappings().first(where: {
                address >= $0.start && address - $0.start < UInt($0.length)
            })
        else { return }
        // The file's current size (it grows as writers append), by `fstat`: an `lseek` would move the offset
        // liblmdb's `writev` relies on while a writer in another thread commits (see `FileSystem.size(ofOpenFile:)`).
        var descriptor: Int32 = -1
        guard mdb_env_get_fd(handle, &descriptor) == MDB_SUCCESS, let size = FileSystem.size(ofOpenFile: descriptor)
        else { return }
        let limit = mapping.start + min(UInt(mapping.length), UInt(size))
        let (end, overflow) = address.addingReportingOverflow(UInt(count))
        if overflow || end > limit {
            throw LMDBError(
                code: MDB_CORRUPTED, operation: operation(),
                detail: "the store is damaged: a stored entry of \(count) bytes runs past the end of data.mdb")
        }
    }

    /// The mappings of `file` that `/proc/self/maps` lists (none where there is no such file).
    private static func mappings(of file: String) -> [(start: UInt, length: Int)] {
        guard let maps = processMaps() else { return [] }
        return mappings(of: file, inMaps: maps)
    }

    /// The mappings of `file` among the lines of `maps`, the bytes of a `/proc/PID/maps` (`start-end perms
    /// offset device inode path`). Read as bytes rather than as `String` lines: `record` reads it once, to
    /// check the checkpoint's header, and splitting its hundreds of lines into `Character`s was a third of
    /// the append's own work. A path is matched byte for byte, as the kernel writes it.
    static func mappings(of file: String, inMaps maps: [UInt8]) -> [(start: UInt, length: Int)] {
        let suffix = Array((" " + file).utf8)
        var found: [(start: UInt, length: Int)] = []
        var lineStart = maps.startIndex
        while lineStart < maps.endIndex {
            let lineEnd = maps[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? maps.endIndex
            let line = maps[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            guard line.count >= suffix.count, line.suffix(suffix.count).elementsEqual(suffix) else { continue }
            let bounds = line.prefix { $0 != UInt8(ascii: " ") }.split(separator: UInt8(ascii: "-"))
            guard bounds.count == 2, let start = hexadecimal(bounds[0]), let end = hexadecimal(bounds[1]), end > start
            else { continue }
            found.append((start, Int(end - start)))
        }
        return found
    }

    /// The value of lowercase or uppercase hexadecimal digits; `nil` if empty, another byte or too large.
    private static func hexadecimal(_ digits: ArraySlice<UInt8>) -> UInt? {
        guard !digits.isEmpty else { return nil }
        var value: UInt = 0
        for byte in digits {
            let digit: UInt
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 16)
            guard !overflow else { return nil }
            value = shifted + digit
        }
        return value
    }
}

/// The bytes of `/proc/self/maps`, or `nil` where it cannot be read (elsewhere than Linux).
private func processMaps() -> [UInt8]? {
    let descriptor = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count == 0 { return bytes }
        if count < 0 {
            if errno == EINTR { continue }
            return nil
        }
        bytes.append(contentsOf: chunk[..<count])
    }
}
