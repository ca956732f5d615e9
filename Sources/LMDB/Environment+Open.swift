internal import CLMDB
internal import FileSystem

/// Opening liblmdb's environment handle, and refusing a data file too short for the pages in use.
extension Environment {
    /// Creates an `MDB_env` and opens it on `path` with `flags` (besides the usual ones).
    static func open(path: String, options: Options, flags: UInt32) throws(LMDBError) -> OpaquePointer {
        var env: OpaquePointer?
        try check(mdb_env_create(&env), "mdb_env_create")
        guard let env else { throw LMDBError(code: MDB_PANIC, operation: "mdb_env_create") }
        do throws(LMDBError) {
            try check(mdb_env_set_maxdbs(env, MDB_dbi(options.maxDatabases)), "mdb_env_set_maxdbs")
            // A damaged page can trip one of LMDB's assertions rather than fault: inside a guarded call that
            // reads as damage too (see shim.h).
            try check(FaultGuard.guardAssertions(env), "mdb_env_set_assert")
            try check(mdb_env_set_maxreaders(env, UInt32(options.maxReaders)), "mdb_env_set_maxreaders")
            try check(mdb_env_set_mapsize(env, options.mapSize), "mdb_env_set_mapsize")
            // MDB_NORDAHEAD advises the map as randomly accessed: the kernel then maps only the page a read
            // faults on, not the 15 around it. Queries read scattered records, so the neighbours are
            // mostly wasted work and memory, while a full scan (rebuild) reads ahead in the page cache
            // anyway (README, "Performance").
            var allFlags = UInt32(MDB_NOTLS) | UInt32(MDB_NORDAHEAD) | flags
            if options.noSync { allFlags |= UInt32(MDB_NOSYNC) }
            if options.writeMap && flags & UInt32(MDB_RDONLY) == 0 { allFlags |= UInt32(MDB_WRITEMAP) }
            let code = mdb_env_open(env, path, allFlags, 0o600)
            if code != MDB_SUCCESS {
                throw LMDBError(
                    code: code, operation: code > 0 ? "cannot open the store at \(path)" : "mdb_env_open \(path)")
            }
            try Self.checkNotTruncated(env, path: path)
        } catch {
            mdb_env_close(env)
            throw error
        }
        return env
    }

    /// Refuses a data file shorter than the pages its meta page says are in use: reading those pages
    /// through the memory map would kill the process with SIGBUS instead of reporting an error. A file that
    /// ends before the last page is sound when every page past its end is free (a write took them from the
    /// end and freed them before its commit, so they were never written): the free list is read to tell.
    private static func checkNotTruncated(_ env: OpaquePointer, path: String) throws(LMDBError) {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        try check(mdb_env_info(env, &info), "mdb_env_info")
        try check(mdb_env_stat(env, &stat), "mdb_env_stat")
        // The size from the environment's own descriptor: FileManager's attributes would also look up the
        // owner's and group's names (reading /etc/passwd and /etc/group) at every start-up.
        var descriptor: Int32 = -1
        guard mdb_env_get_fd(env, &descriptor) == MDB_SUCCESS, let size = FileSystem.size(ofOpenFile: descriptor)
        else { return }
        let (needed, overflow) = (info.me_last_pgno + 1).multipliedReportingOverflow(by: Int(stat.ms_psize))
        if overflow || size < needed {
            var walk = PageHeaderWalk(
                descriptor: descriptor, pageSize: Int(stat.ms_psize), snapshot: UInt64(info.me_last_txnid))
            guard let problem = walk.pagesPastTheEndProblem() else { return }
            throw LMDBError(
                code: MDB_CORRUPTED, operation: "mdb_env_open \(path)",
                detail: "data.mdb is truncated (\(size) bytes; its pages need \(needed)): \(problem)")
        }
    }
}
