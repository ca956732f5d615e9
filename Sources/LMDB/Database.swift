internal import CLMDB

/// A named database (LMDB "DBI") inside an ``Environment``.
///
/// A handle is a small value, valid for the lifetime of the environment that opened it, and may be
/// shared between threads. Open each database once, at start-up, with ``Environment/openDatabase(_:flags:)``.
public struct Database: Hashable, Sendable {
    let handle: MDB_dbi
    /// The database's name (`nil` for the unnamed main database).
    public let name: String?

    init(handle: MDB_dbi, name: String?) {
        self.handle = handle
        self.name = name
    }
}

/// Flags a database is created with (`mdb_dbi_open`).
public struct DatabaseFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `MDB_CREATE`: create the database if it does not exist.
    public static let create = DatabaseFlags(rawValue: UInt32(MDB_CREATE))
    /// `MDB_DUPSORT`: a key may hold several sorted values.
    public static let duplicateSort = DatabaseFlags(rawValue: UInt32(MDB_DUPSORT))
    /// `MDB_DUPFIXED` (with ``duplicateSort``): every value of the database has the same size, so a key's
    /// values are stored packed, without a node per value.
    public static let duplicateFixed = DatabaseFlags(rawValue: UInt32(MDB_DUPFIXED))
    /// `MDB_INTEGERKEY`: keys are native-endian unsigned integers of one size.
    public static let integerKey = DatabaseFlags(rawValue: UInt32(MDB_INTEGERKEY))
}

/// Flags of a single write (`mdb_put`).
public struct PutFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `MDB_NOOVERWRITE`: fail with ``LMDBError/keyExists`` if the key is present.
    public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// `MDB_APPEND`: the key sorts after every existing key (fast bulk load); fails otherwise.
    public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
}

/// Statistics of one database (`mdb_stat`).
public struct DatabaseStatistics: Sendable, Equatable {
    /// Number of key/value pairs.
    public let entries: Int
    /// Depth of the B-tree.
    public let depth: Int
    /// Page size in bytes.
    public let pageSize: Int
    /// Branch, leaf and overflow pages in use.
    public let pages: Int
}
