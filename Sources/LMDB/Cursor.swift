internal import CLMDB
internal import Foundation

/// One key/value pair under a cursor. The buffers point into the memory map: they are valid until the
/// transaction ends or writes, so copy what must outlive that (``keyBytes``, ``valueBytes``).
public struct CursorEntry {
    /// The key bytes.
    public let key: UnsafeRawBufferPointer
    /// The value bytes.
    public let value: UnsafeRawBufferPointer

    /// A copy of the key.
    public var keyBytes: [UInt8] { Array(key) }
    /// A copy of the value.
    public var valueBytes: [UInt8] { Array(value) }
}

@available(*, unavailable)
extension CursorEntry: Sendable {}

/// A position in one database, alive only inside ``Transaction/withCursor(_:_:)``.
///
/// Moves forward (``next()``) and backward (``previous()``), to either end, and seeks to a key or to the
/// first key at or after a given one (``seek(atOrAfter:)``). Each move returns the entry it lands on, or
/// `nil` past either end.
public struct Cursor: ~Copyable {
    let handle: OpaquePointer
    let database: Database
    /// The environment, which checks that what LMDB returns lies inside the data file.
    let environment: Environment

    // Not inlined: Swift 6.3's generic specializer aborts ("Cannot initialize a nonCopyable type with a
    // guaranteed value") when it clones this initialiser, inlined, into a specialization of
    // `Environment.read` in a release build.
    @inline(never)
    init(handle: OpaquePointer, database: Database, environment: Environment) {
        self.handle = handle
        self.database = database
        self.environment = environment
    }

    private func move(_ op: MDB_cursor_op, key: [UInt8]? = nil, value: [UInt8]? = nil) throws(LMDBError)
        -> CursorEntry?
    {
        var keyVal = MDB_val()
        var dataVal = MDB_val()
        let code: Int32 = (key ?? []).withUnsafeBytes { keyBytes in
            (value ?? []).withUnsafeBytes { valueBytes in
                if key != nil {
                    keyVal = MDB_val(
                        mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                }
                if value != nil {
                    dataVal = MDB_val(
                        mv_size: valueBytes.count, mv_data: UnsafeMutableRawPointer(mutating: valueBytes.baseAddress))
                }
                return FaultGuard.cursorGet(handle, &keyVal, &dataVal, op)
            }
        }
        if code == MDB_NOTFOUND { return nil }
        try check(code, "mdb_cursor_get \(database.name ?? "(main)")")
        if op == MDB_SET || op == MDB_GET_BOTH {
            // MDB_SET does not return the key; read the current entry to get map-backed buffers.
            return try move(MDB_GET_CURRENT)
        }
        try environment.checkMapped(
            keyVal.mv_data, count: keyVal.mv_size, operation: "mdb_cursor_get \(database.name ?? "(main)")")
        try environment.checkMapped(
            dataVal.mv_data, count: dataVal.mv_size, operation: "mdb_cursor_get \(database.name ?? "(main)")")
        return CursorEntry(
            key: UnsafeRawBufferPointer(start: keyVal.mv_data, count: keyVal.mv_size),
            value: UnsafeRawBufferPointer(start: dataVal.mv_data, count: dataVal.mv_size))
    }

    /// Moves to the first entry.
    public func first() throws(LMDBError) -> CursorEntry? { try move(MDB_FIRST) }
    /// Moves to the last entry.
    public func last() throws(LMDBError) -> CursorEntry? { try move(MDB_LAST) }
    /// Moves to the next entry.
    public func next() throws(LMDBError) -> CursorEntry? { try move(MDB_NEXT) }
    /// Moves to the previous entry.
    public func previous() throws(LMDBError) -> CursorEntry? { try move(MDB_PREV) }
    /// Returns the entry under the cursor.
    public func current() throws(LMDBError) -> CursorEntry? { try move(MDB_GET_CURRENT) }
    /// Moves to exactly `key`, or returns `nil` (the position is then undefined).
    public func seek(exactly key: [UInt8]) throws(LMDBError) -> CursorEntry? { try move(MDB_SET, key: key) }
    /// In a ``DatabaseFlags/duplicateSort`` database, moves to exactly `key` with exactly `value`, or returns
    /// `nil`.
    public func seek(exactly key: [UInt8], value: [UInt8]) throws(LMDBError) -> CursorEntry? {
        try move(MDB_GET_BOTH, key: key, value: value)
    }
    /// In a ``DatabaseFlags/duplicateSort`` database, moves to the next value of the current key, or returns
    /// `nil` after its last one.
    public func nextDuplicate() throws(LMDBError) -> CursorEntry? { try move(MDB_NEXT_DUP) }
    /// Moves to the first entry whose key is at or after `key`.
    public func seek(atOrAfter key: [UInt8]) throws(LMDBError) -> CursorEntry? { try move(MDB_SET_RANGE, key: key) }

    /// Moves to the last entry whose key is at or before `key`.
    public func seek(atOrBefore key: [UInt8]) throws(LMDBError) -> CursorEntry? {
        guard let entry = try seek(atOrAfter: key) else { return try last() }
        if entry.key.elementsEqual(key) { return entry }
        return try previous()
    }

    /// Visits entries with keys in `range` in order (backwards with `reverse`), while `body` returns `true`.
    ///
    /// `lower` is inclusive, `upper` exclusive; `nil` means unbounded. Keys compare as bytes.
    public func forEach(
        from lower: [UInt8]? = nil, to upper: [UInt8]? = nil, reverse: Bool = false,
        _ body: (CursorEntry) throws -> Bool
    ) throws {
        if !reverse {
            var entry = try lower.map { key throws(LMDBError) in try seek(atOrAfter: key) } ?? first()
            while let current = entry {
                if let upper, !current.key.lexicographicallyPrecedes(upper) { return }
                guard try body(current) else { return }
                entry = try next()
            }
        } else {
            var entry: CursorEntry?
            if let upper {
                entry = try seek(atOrAfter: upper)
                entry = try entry == nil ? last() : previous()
            } else {
                entry = try last()
            }
            while let current = entry {
                if let lower, current.key.lexicographicallyPrecedes(lower) { return }
                guard try body(current) else { return }
                entry = try previous()
            }
        }
    }

    /// Stores under `key` the values laid end to end in `values`, each `size` bytes, in as few calls as
    /// LMDB allows (`MDB_MULTIPLE`) rather than one call each: for a database opened with
    /// ``DatabaseFlags/duplicateFixed``, whose values all have that size. Values already stored under `key`
    /// stay as they are (stored once).
    public func putDuplicates(key: [UInt8], values: [UInt8], size: Int) throws(LMDBError) {
        let operation = "mdb_cursor_put MDB_MULTIPLE \(database.name ?? "(main)")"
        guard size > 0, !values.isEmpty, values.count % size == 0 else {
            throw LMDBError(
                code: EINVAL, operation: operation,
                detail: "\(values.count) bytes are not whole values of \(size) bytes")
        }
        let count = values.count / size
        var start = 0
        while start < count {
            let (code, written) = key.withUnsafeBytes { keyBytes in
                values.withUnsafeBytes { valueBytes in
                    var keyVal = MDB_val(
                        mv_size: keyBytes.count, mv_data: UnsafeMutableRawPointer(mutating: keyBytes.baseAddress))
                    // Two MDB_vals: one value's size and where the values start, then how many there are (on
                    // return: how many were stored).
                    var data = [
                        MDB_val(
                            mv_size: size,
                            mv_data: UnsafeMutableRawPointer(
                                mutating: valueBytes.baseAddress?.advanced(by: start * size))),
                        MDB_val(mv_size: count - start, mv_data: nil),
                    ]
                    let code = data.withUnsafeMutableBufferPointer { pair in
                        FaultGuard.cursorPut(handle, &keyVal, pair.baseAddress, UInt32(MDB_MULTIPLE))
                    }
                    return (code, data[1].mv_size)
                }
            }
            try check(code, operation)
            environment.noteMappedWrite()
            if written > 0 {
                start += written
                continue
            }
            // A key holding a single value equal to the first one offered: LMDB writes that value over itself
            // and stops, reporting none stored. Go on after it, once sure it is there.
            let first = Array(values[start * size..<(start + 1) * size])
            guard try seek(exactly: key, value: first) != nil else {
                throw LMDBError(code: EIO, operation: operation, detail: "value \(start) of \(count) was not stored")
            }
            start += 1
        }
    }

    /// Deletes the entry under the cursor.
    public func deleteCurrent() throws(LMDBError) {
        try check(FaultGuard.cursorDelete(handle, 0), "mdb_cursor_del \(database.name ?? "(main)")")
    }
}

@available(*, unavailable)
extension Cursor: Sendable {}
