internal import CLMDB
internal import FileSystem
internal import Foundation
internal import Synchronization

/// An LMDB environment: one store directory holding `data.mdb` and `lock.mdb`.
///
/// Open one environment per path per process and share it. Every read and write happens inside a
/// synchronous closure given to ``read(_:)`` or ``write(_:)``; the transaction cannot escape it.
/// The memory map grows by itself: a write that fills it is aborted, the map is enlarged and the
/// closure runs again, so write closures must have no effects outside the transaction.
///
/// ```swift
/// let env = try Environment(path: "/tmp/store")
/// let db = try env.openDatabase("events")
/// try env.write { txn in try txn.put(db, key: [1], value: [42]) }
/// let value = try env.read { txn in try txn.get(db, key: [1]) }
/// ```
public final class Environment: @unchecked Sendable {
    // @unchecked Sendable: an MDB_env may be used from several threads (opened with MDB_NOTLS);
    // the only mutable state is the map size (with `mapGeneration`), changed under `resizeLock` while no
    // transaction of this process is open, as mdb_env_set_mapsize requires, `mappedRanges`, a Mutex, and
    // `mappedReads`, an Atomic.

    /// How an environment is opened.
    public struct Options: Sendable {
        /// Initial size of the memory map in bytes; it grows on demand.
        public var mapSize: Int
        /// Maximum number of named databases.
        public var maxDatabases: Int
        /// Maximum number of concurrent read transactions across all processes.
        public var maxReaders: Int
        /// Open read-only (`MDB_RDONLY`).
        public var readOnly: Bool
        /// Skip fsync on commit (`MDB_NOSYNC`): faster, loses the last commits on a power cut. Tests only.
        public var noSync: Bool
        /// Write transactions write their pages in the file's shared mapping (`MDB_WRITEMAP`) instead of copies
        /// in the heap: for one large write transaction, whose copies liblmdb 0.9 would keep (up to 512 MiB)
        /// until the commit, while pages in the mapping can be dropped from resident memory at any time (see
        /// `Environment+WriteMap.swift`). Ignored when the environment is opened read-only.
        public var writeMap: Bool
        /// Resident file-backed memory (bytes) past which the pages this environment mapped are released (see
        /// `Environment+ResidentBudget.swift`): what the process's heap leaves of its memory. A reader that
        /// touches pages at random over a larger file faults them in again after each release, so a process
        /// whose heap is small runs faster with a larger budget.
        public var residentFileMemoryBudget: Int

        /// Creates options; the defaults suit a store that grows from empty.
        public init(
            mapSize: Int = 64 << 20, maxDatabases: Int = 16, maxReaders: Int = 126, readOnly: Bool = false,
            noSync: Bool = false, writeMap: Bool = false,
            residentFileMemoryBudget: Int = Environment.defaultResidentFileMemoryBudget
        ) {
            self.mapSize = mapSize
            self.maxDatabases = maxDatabases
            self.maxReaders = maxReaders
            self.readOnly = readOnly
            self.noSync = noSync
            self.writeMap = writeMap
            self.residentFileMemoryBudget = residentFileMemoryBudget
        }
    }

    let handle: OpaquePointer
    /// The store directory.
    public let path: String
    /// `data.mdb` with symbolic links resolved, as `/proc/self/maps` names it (resolved once: a scan releases
    /// its pages often).
    let mappedDataFile: String
    let resizeLock: UnsafeMutablePointer<pthread_rwlock_t>
    /// Counts the map's resizes (written under `resizeLock`'s write side): the map moves only then.
    private(set) var mapGeneration = 0
    /// Where `data.mdb` is mapped (start, length), found in `/proc/self/maps` once per `mapGeneration`:
    /// a scan releases its pages often, and reading and parsing that file each time would be most of the
    /// release's cost.
    let mappedRanges = Mutex<(generation: Int, ranges: [(start: UInt, length: Int)])?>(nil)
    /// Set when a write transaction whose abort faulted (see `shim.h`) had to be left as it was. It still holds
    /// LMDB's writer mutex, which lives in `lock.mdb`'s mapping and sits on the holding thread's list of
    /// robust mutexes: closing the environment would unmap it and leave that list pointing into freed
    /// memory (the thread's next lock of any robust mutex would then crash), so the environment is never
    /// closed, and no further write transaction is begun on it (it would wait for that mutex forever).
    private let abandonedWrite = Atomic<Bool>(false)

    /// Opens (and creates, unless read-only) the environment in directory `path`.
    ///
    /// A new directory is created with mode 0700 and the data files with mode 0600. An environment this
    /// process cannot write (files it may only read, a read-only mount) is opened read-only instead of
    /// failing, without the lock file when that cannot be opened either (see ``isReadOnly``).
    public init(path: String, options: Options = Options()) throws(LMDBError) {
        // Reads of a damaged file report it instead of killing the process (see shim.h).
        FaultGuard.install()
        if !options.readOnly {
            do throws(FileSystemError) {
                try FileSystem.createDirectory(path)
            } catch {
                throw LMDBError(code: error.errno.rawValue, operation: "\(error.action) \(path)")
            }
        }
        var flags = UInt32(options.readOnly ? MDB_RDONLY : 0)
        var readOnlyCause = EACCES  // what LMDB says of a write in a read-only environment
        var env: OpaquePointer
        // Under MDB_WRITEMAP the open sets data.mdb's length to the map's (see FileLengthLock).
        let fileLength = options.readOnly ? nil : FileLengthLock(directory: path)
        while true {
            do {
                if options.writeMap, let fileLength, flags & UInt32(MDB_RDONLY) == 0 {
                    env = try fileLength.exclusively { () throws(LMDBError) in
                        try Self.open(path: path, options: options, flags: flags)
                    }
                } else {
                    env = try Self.open(path: path, options: options, flags: flags)
                }
                break
            } catch let error where error.code == EACCES || error.code == EROFS {
                // A store we may not write can still be read. LMDB's read-only mode still writes its reader
                // table in lock.mdb; where that is refused too, no lock is taken (MDB_NOLOCK), which is safe
                // only while no writer can run: none can, since the files cannot be written by us either,
                // and a writer with other rights is the owner's to stop (README, Security).
                if flags & UInt32(MDB_RDONLY) == 0 {
                    flags |= UInt32(MDB_RDONLY)
                    readOnlyCause = error.code
                } else if flags & UInt32(MDB_NOLOCK) == 0 {
                    flags |= UInt32(MDB_NOLOCK)
                } else {
                    throw error
                }
            }
        }
        self.handle = env
        self.path = path
        self.isReadOnly = flags & UInt32(MDB_RDONLY) != 0
        self.usesWriteMap = options.writeMap && !isReadOnly
        self.residentFileMemoryBudget = max(options.residentFileMemoryBudget, 0)
        self.fileLength = isReadOnly ? nil : fileLength
        self.readOnlyCause = readOnlyCause
        self.mappedDataFile = FileSystem.resolvingLinks(FileSystem.joined(path, "data.mdb"))
        self.resizeLock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
        pthread_rwlock_init(resizeLock, nil)
    }

    /// Whether the environment was opened read-only: asked for, or because this process cannot write its
    /// files. A write transaction then fails with an error that says so.
    public let isReadOnly: Bool
    /// Whether write transactions write in the file's mapping (`MDB_WRITEMAP`, see ``Options/writeMap``).
    public let usesWriteMap: Bool
    /// Resident file-backed memory (bytes) past which the pages this environment mapped are released
    /// (``Options/residentFileMemoryBudget``).
    public let residentFileMemoryBudget: Int
    /// Values read (and, under `MDB_WRITEMAP`, written) through this environment's map, counted towards its
    /// next check of the budget (see `Environment+ResidentBudget.swift`).
    let mappedReads = Atomic<Int>(0)
    /// Held shared by write transactions, exclusively by an `MDB_WRITEMAP` resize (nil when read-only).
    private let fileLength: FileLengthLock?
    /// Why a write is refused when ``isReadOnly``, as the code of its error: `EROFS` on a read-only file
    /// system, `EACCES` for files this process may not write (or read-only asked for), so that a caller can
    /// tell a permission from a fault of the file system.
    private let readOnlyCause: Int32

    deinit {
        // After an abandoned write, the environment (its maps and handle) is deliberately leaked: see
        // `abandonedWrite`.
        guard !abandonedWrite.load(ordering: .acquiring) else { return }
        mdb_env_close(handle)
        pthread_rwlock_destroy(resizeLock)
        resizeLock.deallocate()
    }

    /// Opens (creating it if `flags` contains `.create`) the named database, in its own write transaction.
    public func openDatabase(_ name: String?, flags: DatabaseFlags = .create) throws -> Database {
        if flags.contains(.create) {
            return try write { txn in try txn.openDatabase(name, flags: flags) }
        }
        return try read { txn in try txn.openDatabase(name, flags: flags) }
    }

    /// Runs `body` in a read-only snapshot transaction and returns its result.
    ///
    /// The snapshot is consistent: writes committed meanwhile are not seen. Long-lived readers keep
    /// old pages alive, so keep closures short. Do not nest transactions on one thread.
    public func read<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        try run(flags: UInt32(MDB_RDONLY), body)
    }

    /// Runs `body` in a read-only snapshot transaction for a write transaction of this process that is open
    /// on another thread and outlives this call (its work on a second thread).
    ///
    /// That write transaction holds the resize lock, shared, for its whole life, so the map cannot move
    /// meanwhile and this read does not take the lock again: where a waiting resize goes before new readers
    /// (Darwin's locks), taking it would queue this read behind a resize that waits for the write
    /// transaction, which waits for this read. Nor can the map have been resized by another process since
    /// that transaction began (it would have failed to begin), so `MDB_MAP_RESIZED` is an error here.
    public func readBesideWrite<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        var txnHandle: OpaquePointer?
        let begin = mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txnHandle)
        guard begin == MDB_SUCCESS, let txnHandle else {
            throw LMDBError(code: begin, operation: "mdb_txn_begin (beside a write transaction)")
        }
        let result: R
        do {
            result = try body(Transaction(handle: txnHandle, environment: self))
        } catch {
            mdb_txn_abort(txnHandle)
            throw error
        }
        try check(mdb_txn_commit(txnHandle), "mdb_txn_commit (read-only)")
        return result
    }

    /// Runs `body` in a write transaction, committed when `body` returns and aborted when it throws.
    ///
    /// One write transaction runs at a time across all processes. If the map fills, the transaction
    /// is aborted, the map enlarged and `body` run again: it must have no side effects outside `txn`.
    /// The commit is durable (fsync) unless the environment was opened with `noSync`.
    ///
    /// A write that faults inside LMDB (a damaged page met while writing: SIGSEGV or SIGBUS under the fault
    /// guard of `shim.h`) ends the process: it writes ``writeFaultExit``'s message to standard error and exits
    /// with its status (by default the CLI's line and 74), without aborting the transaction (whose abort could
    /// itself fault inside `free`, and hang), so nothing of it is committed. A program embedding this library
    /// should know that a damaged store can end it, and may choose the message and status.
    public func write<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        try run(flags: 0, body)
    }

    /// ``write(_:)`` whose `body` runs exactly once: when the map fills, the transaction is aborted and
    /// ``LMDBError/mapFull`` thrown instead of the map being enlarged and `body` run again, for a body whose
    /// effects outside the transaction cannot be repeated (input read from a pipe as it is written). Call
    /// ``reserve(_:)`` first to leave the room it needs.
    public func writeOnce<R>(_ body: (borrowing Transaction) throws -> R) throws -> R {
        try run(flags: 0, growsWhenFull: false, body)
    }

    /// Enlarges the map, when needed, so that `bytes` more than the pages in use fit in it: the room a
    /// ``writeOnce(_:)`` can use. No transaction of this process may be open (as for any resize).
    public func reserve(_ bytes: Int) throws(LMDBError) {
        let megabyte = 1 << 20
        let wanted = (usedSize + max(bytes, 0) + megabyte - 1) / megabyte * megabyte
        guard wanted > mapSize else { return }
        try adoptMapSize(wanted)
    }

    /// Runs `body` in a transaction. A write transaction under `MDB_WRITEMAP` runs, from its begin to the end of
    /// its commit, while a second thread keeps the data file's mapped pages under the resident budget
    /// (``keepingResidentFileMemory(under:_:)``): pages are touched in the map between the calls this wrapper
    /// counts, by liblmdb (its commit clears the dirty flag of every page on its dirty list; each spill of a
    /// full list inside a put, `mdb_page_spill`, reads and clears the flags of 16,384 pages, every read mapping
    /// its cached neighbours too) and by a caller filling a reserved value (an import's checkpoint, hundreds of
    /// megabytes at 10M events), so counting the calls alone does not bound them.
    private func run<R>(flags: UInt32, growsWhenFull: Bool = true, _ body: (borrowing Transaction) throws -> R)
        throws -> R
    {
        guard flags == 0 && usesWriteMap else { return try runTransaction(flags: flags, growsWhenFull, body) }
        return try keepingResidentFileMemory(under: residentFileMemoryBudget) { () throws -> R in
            try runTransaction(flags: flags, growsWhenFull, body)
        }
    }

    private func runTransaction<R>(
        flags: UInt32, _ growsWhenFull: Bool, _ body: (borrowing Transaction) throws -> R
    ) throws -> R {
        if flags & UInt32(MDB_RDONLY) == 0 && isReadOnly {
            throw LMDBError(
                code: readOnlyCause, operation: "",
                detail: "the store at \(path) is read-only (this process cannot write it)")
        }
        if flags == 0 && abandonedWrite.load(ordering: .acquiring) {
            throw LMDBError(
                code: MDB_CORRUPTED, operation: "",
                detail: "the store at \(path) is damaged: an earlier write in this process failed inside LMDB")
        }
        let writing = flags & UInt32(MDB_RDONLY) == 0
        /// Ends what the transaction holds: the file-length lock (a write) and the resize lock.
        func release() {
            if writing { fileLength?.endWrite() }
            pthread_rwlock_unlock(resizeLock)
        }
        while true {
            pthread_rwlock_rdlock(resizeLock)
            if writing { fileLength?.beginWrite() }
            var txnHandle: OpaquePointer?
            let begin = mdb_txn_begin(handle, nil, flags, &txnHandle)
            if begin == MDB_MAP_RESIZED {
                release()
                try adoptMapSize(0)
                continue
            }
            guard begin == MDB_SUCCESS, let txnHandle else {
                release()
                throw LMDBError(code: begin, operation: "mdb_txn_begin")
            }
            let result: R
            do {
                if flags == 0 && usesWriteMap { try extendDataFileToMap() }
                result = try body(Transaction(handle: txnHandle, environment: self))
            } catch LMDBError.mapFull where flags == 0 && growsWhenFull {
                mdb_txn_abort(txnHandle)
                release()
                try grow()
                continue
            } catch {
                if FaultGuard.abort(txnHandle) { abandonedWrite.store(true, ordering: .releasing) }
                release()
                throw error
            }
            if flags != 0 {
                // Read-only transactions are committed, not aborted: an abort would discard the handles of
                // databases opened inside it (mdb_dbi_open in a read transaction).
                let code = mdb_txn_commit(txnHandle)
                release()
                try check(code, "mdb_txn_commit (read-only)")
                return result
            }
            let commit = FaultGuard.commit(txnHandle)
            release()
            if commit == MDB_MAP_FULL && growsWhenFull {
                try grow()
                continue
            }
            try check(commit, "cannot write to the store at \(path)")
            return result
        }
    }

    /// The current size of the memory map in bytes.
    public var mapSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        return info.me_mapsize
    }

    /// Bytes of the map in use (last page number × page size).
    public var usedSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        var stat = MDB_stat()
        mdb_env_stat(handle, &stat)
        return (info.me_last_pgno + 1) * Int(stat.ms_psize)
    }

    /// Enlarges the map: doubling up to 1 GiB, then 1 GiB at a time.
    private func grow() throws(LMDBError) {
        let current = mapSize
        let step = min(current, 1 << 30)
        try adoptMapSize(current + max(step, 1 << 20))
    }

    /// Sets the map size (0 adopts the size another process chose), with no transaction of ours open.
    private func adoptMapSize(_ size: Int) throws(LMDBError) {
        pthread_rwlock_wrlock(resizeLock)
        defer { pthread_rwlock_unlock(resizeLock) }
        mapGeneration += 1  // the map may move, even when this fails
        guard usesWriteMap, let fileLength else {
            try check(mdb_env_set_mapsize(handle, size), "mdb_env_set_mapsize")
            return
        }
        // Under MDB_WRITEMAP the resize sets data.mdb's length to the new map's (see FileLengthLock).
        try fileLength.exclusively { () throws(LMDBError) in
            try check(mdb_env_set_mapsize(handle, size), "mdb_env_set_mapsize")
        }
    }
}
