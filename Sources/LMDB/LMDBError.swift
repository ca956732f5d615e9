internal import CLMDB

/// An error returned by liblmdb, or by this wrapper around it.
///
/// Each value wraps the C return code of the `mdb_*` call that failed, with a readable name and the
/// text of `mdb_strerror`. Errors can be caught by case:
///
/// ```swift
/// do { try environment.write { txn in try txn.put(db, key: k, value: v, flags: .noOverwrite) } }
/// catch LMDBError.keyExists { … }
/// ```
public struct LMDBError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The C return code (`MDB_*` or an `errno` value).
    public let code: Int32
    /// What the wrapper was doing when the error happened, e.g. `mdb_env_open /tmp/store`.
    public let operation: String
    /// What the wrapper found, when it detected the problem itself (instead of the `mdb_strerror` text).
    public let detail: String?

    /// Creates an error for `code`, raised by `operation`.
    public init(code: Int32, operation: String = "", detail: String? = nil) {
        self.code = code
        self.operation = operation
        self.detail = detail
    }

    /// The `mdb_strerror` text of the code.
    public var message: String {
        guard let text = mdb_strerror(code) else { return "LMDB error \(code)" }
        return String(cString: text)
    }

    /// For LMDB's own codes `name in operation: text`; for a system error (an `errno` value), which users
    /// meet (a full disk, a missing directory), the operation in words and the system's reason:
    /// `cannot create the directory /x/y: No such file or directory`.
    public var description: String {
        let text = detail ?? message
        if isSystemError { return operation.isEmpty ? text : "\(operation): \(text)" }
        return operation.isEmpty ? "\(name): \(text)" : "\(name) in \(operation): \(text)"
    }

    /// Whether the code is an `errno` value rather than one of LMDB's (which are negative).
    public var isSystemError: Bool { code > 0 }

    /// The readable name of the code (`mapFull`, `notFound`, …).
    public var name: String {
        switch code {
        case MDB_KEYEXIST: "keyExists"
        case MDB_NOTFOUND: "notFound"
        case MDB_PAGE_NOTFOUND: "pageNotFound"
        case MDB_CORRUPTED: "corrupted"
        case MDB_PANIC: "panic"
        case MDB_VERSION_MISMATCH: "versionMismatch"
        case MDB_INVALID: "invalid"
        case MDB_MAP_FULL: "mapFull"
        case MDB_DBS_FULL: "databasesFull"
        case MDB_READERS_FULL: "readersFull"
        case MDB_TXN_FULL: "transactionFull"
        case MDB_CURSOR_FULL: "cursorFull"
        case MDB_PAGE_FULL: "pageFull"
        case MDB_MAP_RESIZED: "mapResized"
        case MDB_INCOMPATIBLE: "incompatible"
        case MDB_BAD_RSLOT: "badReaderSlot"
        case MDB_BAD_TXN: "badTransaction"
        case MDB_BAD_VALSIZE: "badValueSize"
        case MDB_BAD_DBI: "badDatabase"
        default: "errno\(code)"
        }
    }

    /// Two errors match when their codes match; the operation text is context only.
    public static func == (lhs: LMDBError, rhs: LMDBError) -> Bool { lhs.code == rhs.code }

    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// Lets `catch LMDBError.mapFull` match any `LMDBError` with that code.
    public static func ~= (pattern: LMDBError, error: any Error) -> Bool {
        guard let error = error as? LMDBError else { return false }
        return error.code == pattern.code
    }

    /// `MDB_KEYEXIST`: the key/data pair already exists.
    public static let keyExists = LMDBError(code: MDB_KEYEXIST)
    /// `MDB_NOTFOUND`: no matching key/data pair.
    public static let notFound = LMDBError(code: MDB_NOTFOUND)
    /// `MDB_CORRUPTED`: a located page was the wrong type.
    public static let corrupted = LMDBError(code: MDB_CORRUPTED)
    /// `MDB_PANIC`: update of the meta page failed or the environment had a fatal error.
    public static let panic = LMDBError(code: MDB_PANIC)
    /// `MDB_VERSION_MISMATCH`: the environment was written by an incompatible liblmdb.
    public static let versionMismatch = LMDBError(code: MDB_VERSION_MISMATCH)
    /// `MDB_INVALID`: the file is not an LMDB file.
    public static let invalid = LMDBError(code: MDB_INVALID)
    /// `MDB_MAP_FULL`: the environment's map size was reached (the wrapper grows the map and retries).
    public static let mapFull = LMDBError(code: MDB_MAP_FULL)
    /// `MDB_DBS_FULL`: the environment's `maxDatabases` was reached.
    public static let databasesFull = LMDBError(code: MDB_DBS_FULL)
    /// `MDB_READERS_FULL`: the environment's `maxReaders` was reached.
    public static let readersFull = LMDBError(code: MDB_READERS_FULL)
    /// `MDB_TXN_FULL`: the transaction has too many dirty pages.
    public static let transactionFull = LMDBError(code: MDB_TXN_FULL)
    /// `MDB_MAP_RESIZED`: another process grew the map (the wrapper adopts the new size and retries).
    public static let mapResized = LMDBError(code: MDB_MAP_RESIZED)
    /// `MDB_INCOMPATIBLE`: the database flags differ from those it was created with.
    public static let incompatible = LMDBError(code: MDB_INCOMPATIBLE)
    /// `MDB_BAD_VALSIZE`: a key or value has an unsupported size (keys are at most 511 bytes).
    public static let badValueSize = LMDBError(code: MDB_BAD_VALSIZE)
    /// `MDB_BAD_TXN`: the transaction must abort, has a child, or is invalid.
    public static let badTransaction = LMDBError(code: MDB_BAD_TXN)
    /// `EACCES`: a write was attempted in a read-only transaction or environment.
    public static let permissionDenied = LMDBError(code: 13)
    /// `ENOENT`: the environment's directory or file does not exist.
    public static let noSuchFile = LMDBError(code: 2)
}

/// Throws an ``LMDBError`` unless `code` is `MDB_SUCCESS`.
@inline(__always)
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(LMDBError) {
    if code != MDB_SUCCESS { throw LMDBError(code: code, operation: operation()) }
}
