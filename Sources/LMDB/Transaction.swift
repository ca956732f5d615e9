internal import CLMDB

/// A read or write transaction, alive only inside ``Environment/read(_:)`` or ``Environment/write(_:)``.
///
/// Not copyable and not `Sendable`: it belongs to the closure that received it. Byte buffers it hands
/// out point into the memory map and are valid until the transaction ends or writes again.
public struct Transaction: ~Copyable {
    let handle: OpaquePointer
    /// The environment, which checks that what LMDB returns lies inside the data file.
    let environment: Environment

    // Not inlined: Swift 6.3's generic specializer aborts ("Cannot initialize a nonCopyable type with a
    // guaranteed value") when it clones this initialiser, inlined, into a specialization of
    // `Environment.read` in a release build.
    @inline(never)
    init(handle: OpaquePointer, environment: Environment) {
        self.handle = handle
        self.environment = environment
    }

    /// Opens a named database inside this transaction (creating it in a write transaction with `.create`).
    public func openDatabase(_ name: String?, flags: DatabaseFlags = []) throws(LMDBError) -> Database {
        var dbi: MDB_dbi = 0
        try check(FaultGuard.openDatabase(handle, name, flags.rawValue, &dbi), "mdb_dbi_open \(name ?? "(main)")")
        return Database(handle: dbi, name: name)
    }

    /// Reads the value stored under `key`, copied out, or `nil` when absent.
    public func get(_ db: Database, key: [UInt8]) throws(LMDBError) -> [UInt8]? {
        try withValue(db, key: key) { $0.map { Array($0) } }
    }

    /// Calls `body` with the stored bytes of `key` (or `nil`), without copying them.
    public func withValue<R>(
        _ db: Database, key: [UInt8], _ body: (UnsafeRawBufferPointer?) throws(LMDBError) -> R
    ) throws(LMDBError) -> R {
        var data = MDB_val()
        let code = key.withUnsafeBytes { keyBytes in
            var keyVal = MDB_val(
                mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return FaultGuard.get(handle, db.handle, &keyVal, &data)
        }
        if code == MDB_NOTFOUND { return try body(nil) }
        try check(code, "mdb_get \(db.name ?? "(main)")")
        try environment.checkMapped(data.mv_data, count: data.mv_size, operation: "mdb_get \(db.name ?? "(main)")")
        return try body(UnsafeRawBufferPointer(start: data.mv_data, count: data.mv_size))
    }

    /// Stores `value` under `key`.
    ///
    /// With `.noOverwrite` an existing key raises ``LMDBError/keyExists``; with `.append` the key must
    /// sort after every key already present.
    public func put(_ db: Database, key: [UInt8], value: [UInt8], flags: PutFlags = []) throws(LMDBError) {
        let code = key.withUnsafeBytes { keyBytes in
            value.withUnsafeBytes { valueBytes in
                var keyVal = MDB_val(
                    mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                var dataVal = MDB_val(
                    mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                return FaultGuard.put(handle, db.handle, &keyVal, &dataVal, flags.rawValue)
            }
        }
        try check(code, "mdb_put \(db.name ?? "(main)")")
        environment.noteMappedWrite()
    }

    /// Stores under `key` a value of `count` bytes that `fill` writes in place (`MDB_RESERVE`), so that a
    /// value made of parts is not first copied into one buffer. `fill` gets exactly `count` bytes, which
    /// must all be written; they stay valid only until `fill` returns.
    public func put(
        _ db: Database, key: [UInt8], reserving count: Int, fill: (UnsafeMutableRawBufferPointer) -> Void
    ) throws(LMDBError) {
        var dataVal = MDB_val(mv_size: count, mv_data: nil)
        let code = key.withUnsafeBytes { keyBytes in
            var keyVal = MDB_val(
                mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return FaultGuard.put(handle, db.handle, &keyVal, &dataVal, UInt32(MDB_RESERVE))
        }
        try check(code, "mdb_put \(db.name ?? "(main)")")
        // Under MDB_WRITEMAP the reserved bytes are the file's, and those past the first page may be holes of
        // the sparse file: given their blocks here, under the write guard, a full disk is reported as one
        // (see `Environment+WriteMap.swift`), not met by `fill` as a crash.
        if environment.usesWriteMap { FaultGuard.touch(handle, dataVal.mv_data, count) }
        environment.noteMappedWrite()
        fill(UnsafeMutableRawBufferPointer(start: dataVal.mv_data, count: count))
    }

    /// Deletes `key`; returns whether it was present.
    @discardableResult
    public func delete(_ db: Database, key: [UInt8]) throws(LMDBError) -> Bool {
        let code = key.withUnsafeBytes { keyBytes in
            var keyVal = MDB_val(
                mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
            return FaultGuard.delete(handle, db.handle, &keyVal, nil)
        }
        if code == MDB_NOTFOUND { return false }
        try check(code, "mdb_del \(db.name ?? "(main)")")
        return true
    }

    /// Deletes every entry of `db`, keeping the database itself (`mdb_drop` with `del` 0).
    public func empty(_ db: Database) throws(LMDBError) {
        try check(FaultGuard.drop(handle, db.handle, 0), "mdb_drop \(db.name ?? "(main)")")
    }

    /// Statistics of `db` as seen by this transaction.
    public func statistics(_ db: Database) throws(LMDBError) -> DatabaseStatistics {
        var stat = MDB_stat()
        try check(mdb_stat(handle, db.handle, &stat), "mdb_stat \(db.name ?? "(main)")")
        return DatabaseStatistics(
            entries: stat.ms_entries, depth: Int(stat.ms_depth), pageSize: Int(stat.ms_psize),
            pages: stat.ms_branch_pages + stat.ms_leaf_pages + stat.ms_overflow_pages)
    }

    /// Runs `body` with a cursor over `db`, closed when `body` returns.
    public func withCursor<R>(_ db: Database, _ body: (borrowing Cursor) throws -> R) throws -> R {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(handle, db.handle, &cursor), "mdb_cursor_open \(db.name ?? "(main)")")
        guard let cursor else { throw LMDBError(code: MDB_PANIC, operation: "mdb_cursor_open") }
        defer { mdb_cursor_close(cursor) }
        return try body(Cursor(handle: cursor, database: db, environment: environment))
    }
}

@available(*, unavailable)
extension Transaction: Sendable {}
