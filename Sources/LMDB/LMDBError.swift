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

    /// The readable name of the code (`mapFull`, `notFound`, …; `errno13` for a system error).
    public var name: String { lmdbCode.map { "\($0)" } ?? "errno\(code)" }

    /// Two errors match when their codes match; the operation text is context only.
    public static func == (lhs: LMDBError, rhs: LMDBError) -> Bool { lhs.code == rhs.code }

    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// Lets `catch LMDBError.mapFull` match any `LMDBError` with that code.
    public static func ~= (pattern: LMDBError, error: any Error) -> Bool {
        guard let error = error as? LMDBError else { return false }
        return error.code == pattern.code
    }

    /// ``Code/keyExists``.
    public static let keyExists = LMDBError(.keyExists)
    /// ``Code/notFound``.
    public static let notFound = LMDBError(.notFound)
    /// ``Code/corrupted``.
    public static let corrupted = LMDBError(.corrupted)
    /// ``Code/panic``.
    public static let panic = LMDBError(.panic)
    /// ``Code/versionMismatch``.
    public static let versionMismatch = LMDBError(.versionMismatch)
    /// ``Code/invalid``.
    public static let invalid = LMDBError(.invalid)
    /// ``Code/mapFull``.
    public static let mapFull = LMDBError(.mapFull)
    /// ``Code/databasesFull``.
    public static let databasesFull = LMDBError(.databasesFull)
    /// ``Code/readersFull``.
    public static let readersFull = LMDBError(.readersFull)
    /// ``Code/transactionFull``.
    public static let transactionFull = LMDBError(.transactionFull)
    /// ``Code/mapResized``.
    public static let mapResized = LMDBError(.mapResized)
    /// ``Code/incompatible``.
    public static let incompatible = LMDBError(.incompatible)
    /// ``Code/badValueSize``.
    public static let badValueSize = LMDBError(.badValueSize)
    /// ``Code/badTransaction``.
    public static let badTransaction = LMDBError(.badTransaction)
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
