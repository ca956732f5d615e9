internal import CLMDB
internal import Dispatch
internal import Foundation
internal import Synchronization

/// Keeping what reads leave mapped under a budget, whatever they read and in whatever order.
///
/// Every page of `data.mdb` a read touches stays in this process's resident memory until it is released
/// (``releaseMappedPages()``), and each fault maps the page's cached neighbours too (up to 64 KiB: the
/// kernel's fault-around, which `MADV_RANDOM` does not turn off). A query reading 2,500 events scattered over
/// a 1M-event store, or `verify` looking each event up in four indexes, would otherwise end up holding most
/// of the file. So every value read is counted, and every ``readsBetweenChecks`` reads the resident
/// file-backed memory is compared with the environment's ``residentFileMemoryBudget`` (chosen when it is
/// opened, ``Options/residentFileMemoryBudget``: what the opening program's heap leaves of its memory): one
/// read of `/proc/self/statm` (a few microseconds), whereas a release walks the whole map's page tables (a
/// tenth of a millisecond or more), so it is done only when the budget is exceeded.
extension Environment {
    /// The budget an environment is opened with unless told otherwise
    /// (``Options/residentFileMemoryBudget``): 64 MiB, of which the program's own code and libraries take
    /// about 20 MiB. Small enough for any command's heap beside it; a reader at random over a large file pays
    /// for it in faults (the README's "The resident budget's price").
    public static let defaultResidentFileMemoryBudget = 64 << 20

    /// Values read through the map between two checks of the budget: at most their pages (and neighbours),
    /// a few tens of MB, are mapped beyond it. The same for every environment: it bounds what is mapped past
    /// any budget, and a check costs the same whatever the budget.
    static let readsBetweenChecks = 512

    /// Counts one value read through the map; every ``readsBetweenChecks``-th of this environment's, releases
    /// its mapped pages when its budget is exceeded. Called where every value LMDB returns is checked
    /// (`checkMapped`). The count is the environment's own (`mappedReads`), not the process's: a check
    /// releases only this environment's pages, against its own budget, so another environment's reads, on
    /// another thread, must not take its turns.
    func noteMappedRead() {
        let count = mappedReads.add(1, ordering: .relaxed).newValue
        guard count % Self.readsBetweenChecks == 0 else { return }
        releaseMappedPagesBeyondBudget()
    }

    /// Releases the data file's mapped pages when this process's resident file-backed memory exceeds the
    /// environment's ``residentFileMemoryBudget`` (``releaseMappedPages(whenResidentFileMemoryExceeds:)``);
    /// returns whether it released. For a long scan's periodic hint: below the budget the pages it mapped are
    /// kept, so that a reader that comes back to them (an index looked up at random) does not fault them again.
    @discardableResult
    public func releaseMappedPagesBeyondBudget() -> Bool {
        releaseMappedPages(whenResidentFileMemoryExceeds: residentFileMemoryBudget)
    }

    /// Counts one write, as ``noteMappedRead()`` counts a read, when write transactions write in the map
    /// (``Options/writeMap``): the pages they dirty are then the file's, resident in this process until
    /// released like the pages reads map, and a long import that writes far more than it reads must not
    /// wait for its reads to release them. Without `MDB_WRITEMAP` a write's pages are heap copies, which no
    /// release reaches, so nothing is counted.
    func noteMappedWrite() {
        guard usesWriteMap else { return }
        noteMappedRead()
    }

    /// Releases the data file's mapped pages (``releaseMappedPages()``) only when this process's resident
    /// file-backed memory (`/proc/self/statm`'s shared pages: the mapped store, and the code and libraries
    /// any command has) exceeds `budget` bytes; returns whether it released.
    ///
    /// A hint, never waited for: when the map's resize lock is not free at once (a resize under way, or
    /// waiting), nothing is released this time. Where `/proc/self/statm` cannot be read (elsewhere than
    /// Linux), it does nothing.
    @discardableResult
    public func releaseMappedPages(whenResidentFileMemoryExceeds budget: Int) -> Bool {
        guard let resident = residentFileMemory(pageSize: Self.systemPageBytes), resident > budget else { return false }
        // Held shared, as in `releaseMappedPages()`, so that the map cannot move meanwhile; only tried, since
        // this runs inside reads (and inside a write transaction's checks), which must never wait on a resize.
        guard pthread_rwlock_tryrdlock(resizeLock) == 0 else { return false }
        defer { pthread_rwlock_unlock(resizeLock) }
        for range in dataFileMappings() {
            guard let address = UnsafeMutableRawPointer(bitPattern: range.start) else { continue }
            _ = madvise(address, range.length, MADV_DONTNEED)
        }
        return true
    }

    /// ``copy(toDescriptor:compact:)`` while a second thread keeps the pages the copy reads under `budget`
    /// (``releaseMappedPages(whenResidentFileMemoryExceeds:)`` every few milliseconds): LMDB's copy reads
    /// the whole file through the map, outside this wrapper's reads, and would otherwise leave all of it
    /// resident by the end.
    public func copy(
        toDescriptor descriptor: Int32, compact: Bool = true, keepingResidentFileMemoryUnder budget: Int
    ) throws(LMDBError) {
        try keepingResidentFileMemory(under: budget) { () throws(LMDBError) in
            try copy(toDescriptor: descriptor, compact: compact)
        }
    }

    /// Runs `body`, work inside LMDB that touches the map outside this wrapper's reads and writes (a copy; a
    /// whole write transaction under `MDB_WRITEMAP`, whose spills and commit clear flags in the headers of
    /// thousands of pages at once), while a second thread keeps the mapped pages under `budget`
    /// (``releaseMappedPages(whenResidentFileMemoryExceeds:)`` every ``budgetCheckInterval``). The thread is
    /// woken to stop as soon as `body` returns: a short write transaction is not made to wait for its next check.
    func keepingResidentFileMemory<R, E: Error>(under budget: Int, _ body: () throws(E) -> R) throws(E) -> R {
        let stop = DispatchSemaphore(value: 0)
        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global(qos: .utility).async { [self] in
            while stop.wait(timeout: .now() + Self.budgetCheckInterval) == .timedOut {
                releaseMappedPages(whenResidentFileMemoryExceeds: budget)
            }
            stopped.signal()
        }
        defer {
            stop.signal()
            stopped.wait()
            releaseMappedPages(whenResidentFileMemoryExceeds: budget)  // what the body mapped since the last check
        }
        return try body()
    }

    /// How often the thread of ``keepingResidentFileMemory(under:_:)`` compares the resident file-backed memory
    /// with the budget: one read of `/proc/self/statm` (a few microseconds) every 2 ms, a fraction of a percent
    /// of a core, while liblmdb's spill of a dirty list maps its 64 MiB of page headers in tens of
    /// milliseconds.
    static let budgetCheckInterval = DispatchTimeInterval.milliseconds(2)

    /// The page size of the operating system, in bytes.
    private static let systemPageBytes = max(sysconf(Int32(_SC_PAGESIZE)), 1)
}

/// Bytes of this process's resident file-backed (and shared) memory, or nil where `/proc/self/statm`
/// cannot be read. (Outside `Environment`, whose `read(_:)` would hide the system call.)
private func residentFileMemory(pageSize: Int) -> Int? {
    let descriptor = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    // "size resident shared text lib data dt", in pages: a few dozen bytes.
    var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
    return withUnsafeMutableBytes(of: &buffer) { bytes -> Int? in
        let count = read(descriptor, bytes.baseAddress, bytes.count)
        guard count > 0 else { return nil }
        let fields = bytes[0..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 2 else { return nil }
        var pages = 0
        for digit in fields[2] {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            pages = pages &* 10 &+ Int(digit - UInt8(ascii: "0"))
        }
        return pages &* pageSize
    }
}
