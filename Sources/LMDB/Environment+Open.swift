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

    /// Called, in a test, with liblmdb's handle once the open-time walk (``checkNotTruncated(_:path:)``) has read
    /// the meta page, inside its read transaction: where the test looks at the readers or lets a writer commit.
    @TaskLocal static var openWalkMetaRead: (@Sendable (OpaquePointer) -> Void)?

    /// Refuses a data file shorter than the pages its meta page says are in use: reading those pages
    /// through the memory map would kill the process with SIGBUS instead of reporting an error. A file that
    /// ends before the last page is sound when every page past its end is free (a write took them from the
    /// end and freed them before its commit, so they were never written): the free list is read to tell.
    ///
    /// The free list is walked inside a read transaction begun before its meta page is read: the reader it
    /// registers keeps a writer in another process from reusing any page reachable from that snapshot or a
    /// newer one (liblmdb reuses only pages freed before the oldest reader's snapshot), so commits meanwhile
    /// cannot turn the pages under the walk into a false refusal. The walk takes the meta page of that
    /// snapshot, or the newer one once two commits have replaced it. A file that cannot be read is an I/O
    /// error (the system's), not a truncation.
    private static func checkNotTruncated(_ env: OpaquePointer, path: String) throws(LMDBError) {
        // The size from the environment's own descriptor: FileManager's attributes would also look up the
        // owner's and group's names (reading /etc/passwd and /etc/group) at every start-up.
        var descriptor: Int32 = -1
        guard mdb_env_get_fd(env, &descriptor) == MDB_SUCCESS else { return }
        // A first look outside any transaction: a file holding every page needs no walk (nearly every open).
        guard try shortfall(env, descriptor, path: path) != nil else { return }
        try withSnapshot(env) { txn throws(LMDBError) in
            guard let short = try shortfall(env, descriptor, path: path) else { return }
            var walk = PageHeaderWalk(
                descriptor: descriptor, pageSize: short.pageSize, snapshot: UInt64(mdb_txn_id(txn)))
            if let hook = openWalkMetaRead { walk.metaRead = { hook(env) } }
            let found: String?
            do throws(PageHeaderWalk.ReadFailure) {
                found = try walk.pagesPastTheEndProblem()
            } catch {
                throw readError(error, path: path)
            }
            guard let problem = found else { return }
            throw LMDBError(
                code: MDB_CORRUPTED, operation: "mdb_env_open \(path)",
                detail: "data.mdb is truncated (\(short.size) bytes; its pages need \(short.needed)): \(problem)")
        }
    }

    /// The data file's size, the bytes its newest meta page's last page needs and the page size, when the file
    /// is shorter than that (or the need overflows); nil when it holds them. A file that cannot be sized is an
    /// I/O error: taken for one that holds every page, a truncated store would open and its first read past
    /// the end would kill the process (SIGBUS).
    static func shortfall(_ env: OpaquePointer, _ descriptor: Int32, path: String) throws(LMDBError)
        -> (size: Int, needed: Int, pageSize: Int)?
    {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        try check(mdb_env_info(env, &info), "mdb_env_info")
        try check(mdb_env_stat(env, &stat), "mdb_env_stat")
        let size: Int
        do {
            size = try FileSystem.sizeOfOpenFile(descriptor)
        } catch {
            throw readError(
                PageHeaderWalk.ReadFailure(
                    problem: "the store's file cannot be sized: \(error.reason)", code: error.code),
                path: path)
        }
        let (needed, overflow) = (info.me_last_pgno + 1).multipliedReportingOverflow(by: Int(stat.ms_psize))
        return overflow || size < needed ? (size, needed, Int(stat.ms_psize)) : nil
    }

    /// Runs `body` in a read-only transaction of `env`, which no `Environment` holds yet: no other thread can
    /// use it, so no resize lock is taken. A map another process has grown since the open (`MDB_MAP_RESIZED`)
    /// is adopted first, as ``read(_:)`` does.
    private static func withSnapshot(_ env: OpaquePointer, _ body: (OpaquePointer) throws(LMDBError) -> Void)
        throws(LMDBError)
    {
        var txn: OpaquePointer?
        var begin = mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn)
        var clearedStaleReaders = false
        while begin == MDB_MAP_RESIZED || (begin == MDB_READERS_FULL && !clearedStaleReaders) {
            if begin == MDB_MAP_RESIZED {
                try check(mdb_env_set_mapsize(env, 0), "mdb_env_set_mapsize")
            } else {
                // Slots left by processes that died (as ``clearStaleReaders()`` does once a store is open).
                var dead: Int32 = 0
                _ = mdb_reader_check(env, &dead)
                clearedStaleReaders = true
            }
            begin = mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn)
        }
        guard begin == MDB_SUCCESS, let txn else {
            throw LMDBError(code: begin, operation: "mdb_txn_begin (checking the data file's length)")
        }
        defer { mdb_txn_abort(txn) }
        try body(txn)
    }
}
