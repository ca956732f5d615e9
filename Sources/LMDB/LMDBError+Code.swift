/// LMDB's own return codes, by name.
extension LMDBError {
    /// A return code of liblmdb (negative, `MDB_KEYEXIST` through `MDB_BAD_DBI` in `lmdb.h`); every other
    /// non-zero code an `mdb_*` call returns is an `errno` value (see ``LMDBError/isSystemError``).
    ///
    /// Each case says which C code it is, its value, and the calls of this wrapper that can return it. The
    /// text of each is `mdb_strerror`'s (``LMDBError/message``).
    public enum Code: Int32, Sendable, CaseIterable {
        /// `MDB_KEYEXIST` (-30799): the key/data pair already exists. From `mdb_put` and `mdb_cursor_put` with
        /// `MDB_NOOVERWRITE` (``PutFlags/noOverwrite``), or `MDB_APPEND` out of order.
        case keyExists = -30799
        /// `MDB_NOTFOUND` (-30798): no matching key/data pair. From `mdb_get`, `mdb_del`, `mdb_cursor_get`
        /// (past either end), and `mdb_dbi_open` of a missing database without `MDB_CREATE`.
        case notFound = -30798
        /// `MDB_PAGE_NOTFOUND` (-30797): a page number points outside the file. From any call that walks
        /// the tree (`mdb_get`, `mdb_cursor_get`, `mdb_put`, …) on a damaged file.
        case pageNotFound = -30797
        /// `MDB_CORRUPTED` (-30796): a located page was the wrong type. From the calls that walk the tree on a
        /// damaged file; also what the fault guard (`shim.h`) returns when a read faulted.
        case corrupted = -30796
        /// `MDB_PANIC` (-30795): the update of a meta page failed or the environment had a fatal error. From
        /// `mdb_txn_begin` and `mdb_txn_commit` after such an error.
        case panic = -30795
        /// `MDB_VERSION_MISMATCH` (-30794): the environment was written by an incompatible liblmdb. From
        /// `mdb_env_open`.
        case versionMismatch = -30794
        /// `MDB_INVALID` (-30793): the file is not an LMDB file. From `mdb_env_open`.
        case invalid = -30793
        /// `MDB_MAP_FULL` (-30792): the environment's map size was reached. From `mdb_put`, `mdb_cursor_put`
        /// and `mdb_txn_commit`; ``Environment/write(_:)`` grows the map and runs the transaction again.
        case mapFull = -30792
        /// `MDB_DBS_FULL` (-30791): the environment's `maxDatabases` was reached. From `mdb_dbi_open`.
        case databasesFull = -30791
        /// `MDB_READERS_FULL` (-30790): the environment's `maxReaders` was reached. From `mdb_txn_begin` of a
        /// read transaction (``Environment/clearStaleReaders()`` frees the slots of dead processes).
        case readersFull = -30790
        /// `MDB_TLS_FULL` (-30789): too many thread-local keys. From `mdb_txn_begin`; not met with
        /// `MDB_NOTLS`, which this wrapper sets.
        case threadLocalStorageFull = -30789
        /// `MDB_TXN_FULL` (-30788): the transaction has too many dirty pages. From `mdb_put`,
        /// `mdb_cursor_put` and `mdb_del` in a very large write transaction.
        case transactionFull = -30788
        /// `MDB_CURSOR_FULL` (-30787): the cursor stack is too deep (internal error). From the calls that walk
        /// the tree.
        case cursorFull = -30787
        /// `MDB_PAGE_FULL` (-30786): a page has no more space (internal error). From `mdb_put` and
        /// `mdb_cursor_put`.
        case pageFull = -30786
        /// `MDB_MAP_RESIZED` (-30785): another process grew the map beyond this one's size. From
        /// `mdb_txn_begin`; the wrapper adopts the new size and begins again.
        case mapResized = -30785
        /// `MDB_INCOMPATIBLE` (-30784): the operation and the database disagree (flags differ from those it
        /// was created with, or a key of the main database names no database). From `mdb_dbi_open` and
        /// `mdb_cursor_get`.
        case incompatible = -30784
        /// `MDB_BAD_RSLOT` (-30783): a reader slot was used wrongly. From `mdb_txn_begin` and
        /// `mdb_txn_renew`.
        case badReaderSlot = -30783
        /// `MDB_BAD_TXN` (-30782): the transaction must abort, has a child, or is invalid. From any call
        /// in a transaction after an earlier call of it failed.
        case badTransaction = -30782
        /// `MDB_BAD_VALSIZE` (-30781): a key or value has an unsupported size (keys are 1 to 511 bytes).
        /// From `mdb_put`, `mdb_cursor_put`, `mdb_get` and `mdb_del`.
        case badValueSize = -30781
        /// `MDB_BAD_DBI` (-30780): the database handle was closed or changed unexpectedly. From the calls
        /// that take a `MDB_dbi`.
        case badDatabase = -30780
    }

    /// Creates an error with LMDB's code `code`, raised by `operation`.
    public init(_ code: Code, operation: String = "", detail: String? = nil) {
        self.init(code: code.rawValue, operation: operation, detail: detail)
    }

    /// The code by name when it is one of LMDB's, nil for a system error (an `errno` value).
    public var lmdbCode: Code? { Code(rawValue: code) }
}
