internal import CLMDB
internal import Foundation

/// Copies, syncs and reader-table upkeep of an environment: what `backup`, `restore` and start-up use
/// besides transactions.
extension Environment {
    /// Writes a consistent copy of the environment into directory `path` (which must exist and be empty).
    ///
    /// With `compact`, free pages are omitted and the copy is renumbered (`MDB_CP_COMPACT`).
    /// Writers may keep running meanwhile; the copy is a snapshot.
    public func copy(to path: String, compact: Bool = true) throws(LMDBError) {
        pthread_rwlock_rdlock(resizeLock)
        defer { pthread_rwlock_unlock(resizeLock) }
        try check(mdb_env_copy2(handle, path, compact ? UInt32(MDB_CP_COMPACT) : 0), "mdb_env_copy2 \(path)")
    }

    /// Writes a consistent copy of the environment to the open file `descriptor` (`mdb_env_copyfd2`), which
    /// the caller creates, syncs and closes: it chooses the file's name and mode.
    ///
    /// With `compact`, free pages are omitted and the copy is renumbered (`MDB_CP_COMPACT`).
    public func copy(toDescriptor descriptor: Int32, compact: Bool = true) throws(LMDBError) {
        pthread_rwlock_rdlock(resizeLock)
        defer { pthread_rwlock_unlock(resizeLock) }
        try check(mdb_env_copyfd2(handle, descriptor, compact ? UInt32(MDB_CP_COMPACT) : 0), "mdb_env_copyfd2")
    }

    /// Flushes buffers to disk (`mdb_env_sync` with force).
    public func sync() throws(LMDBError) {
        try check(mdb_env_sync(handle, 1), "mdb_env_sync")
    }

    /// Releases reader slots left by processes that died (`mdb_reader_check`); returns how many.
    @discardableResult
    public func clearStaleReaders() throws(LMDBError) -> Int {
        var dead: Int32 = 0
        try check(mdb_reader_check(handle, &dead), "mdb_reader_check")
        return Int(dead)
    }
}
