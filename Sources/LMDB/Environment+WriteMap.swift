internal import CLMDB
internal import FileSystem
internal import Foundation

/// Write transactions in the file's mapping (`MDB_WRITEMAP`), and the data file's length they need.
///
/// Without `MDB_WRITEMAP`, liblmdb 0.9 copies every page a write transaction dirties into the heap and keeps
/// the copies until the commit, spilling some to the file only past `MDB_IDL_UM_MAX` (131,072 pages, 512 MiB):
/// a streamed import of a large file held that much, whatever else it did. With it, a dirtied page is the
/// file's page itself, in a shared mapping: the resident budget (`Environment+ResidentBudget.swift`) drops it
/// from this process's memory (`madvise(MADV_DONTNEED)`) while its bytes stay in the page cache, and liblmdb's
/// spill of a full dirty list becomes a mere clearing of flags. The commit is as atomic as before: the pages
/// are pages no committed state uses, synced (`msync`) before the meta page that makes them visible is.
///
/// liblmdb writes through the mapping only within the file: under `MDB_WRITEMAP` it extends `data.mdb` to the
/// map's size (`ftruncate`, sparse) whenever it maps it. A file of the map's size would show the map, not the
/// store, to every size figure (a 1M-event import reserves room for 4× its input), so once a session is over
/// ``trimDataFile()`` cuts it back to the pages in use, and since a write transaction of this process (or of
/// another under `MDB_WRITEMAP`) may then begin on a file shorter than its map, each one first extends it again
/// (``extendDataFileToMap()``). Both run holding LMDB's writer lock, in a write transaction: no other writer
/// can be placing pages past the end meanwhile, and readers never read past the committed pages.
///
/// A page written for the first time in a sparse file needs a block: when the disk is full, the write faults
/// (SIGBUS) instead of returning `ENOSPC`. Every write that can touch such a page runs under the write guard
/// of `shim.h`, which then ends the process with a message naming the store and the full disk; nothing of the
/// transaction is committed, since the meta page is written only after the data pages are.
extension Environment {
    /// Extends `data.mdb` to the map's size when it is shorter (after ``trimDataFile()``): the pages a write
    /// transaction under `MDB_WRITEMAP` writes must lie in the file. Called as such a transaction begins.
    func extendDataFileToMap() throws(LMDBError) {
        let descriptor = try dataFileDescriptor()
        guard let size = FileSystem.size(ofOpenFile: descriptor) else {
            throw LMDBError(code: errno, operation: "cannot read the size of \(path)/data.mdb")
        }
        let wanted = mapSize
        guard Int(size) < wanted else { return }
        try check(retryingInterrupted { ftruncate(descriptor, off_t(wanted)) }, "cannot extend \(path)/data.mdb")
    }

    /// Cuts `data.mdb` back to the pages in use, when the environment writes through its map (a no-op
    /// otherwise): the file then shows the store's size again. Holds the writer lock meanwhile (an empty write
    /// transaction), so that no writer is placing pages past the end. Call it when a large write is over.
    public func trimDataFile() throws {
        guard usesWriteMap else { return }
        try write { _ in
            let descriptor = try dataFileDescriptor()
            let used = usedSize
            guard let size = FileSystem.size(ofOpenFile: descriptor), size > used else { return }
            try check(retryingInterrupted { ftruncate(descriptor, off_t(used)) }, "cannot trim \(path)/data.mdb")
        }
    }

    /// The descriptor LMDB opened `data.mdb` with. Its offset is liblmdb's (it seeks before a `writev`): it is
    /// never moved here (sizes by `FileSystem.size(ofOpenFile:)`).
    private func dataFileDescriptor() throws(LMDBError) -> Int32 {
        var descriptor: Int32 = -1
        try check(mdb_env_get_fd(handle, &descriptor), "mdb_env_get_fd")
        return descriptor
    }
}

/// `call`'s result, or `errno` when it returned -1 (called again after `EINTR`); 0 on success, as
/// `check(_:_:)` expects.
private func retryingInterrupted(_ call: () -> Int32) -> Int32 {
    while true {
        if call() == 0 { return 0 }
        if errno != EINTR { return errno }
    }
}
