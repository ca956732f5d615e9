internal import LMDB

/// Brings a store written by an earlier build up to the current format when it is opened, before anything
/// else reads it, so that the rest of the store sees one shape: every database present, the current format
/// number in `meta`. The only place that knows earlier formats.
///
/// The formats (the number in `meta`, key `format`, a big-endian u32):
/// - 1: the log and its indexes: `meta`, `events`, `ids`, `streams`, `types`, `occurred`, `checkpoints`.
/// - 2: adds `keys`, the subject keys of personal data. Stores of formats 1 and 2 written before the tag
///   index existed have no `tags` database.
/// - 3: payloads may use binary payload layout 2 (a member's organisation sealed with their key), which a
///   build that reads format 2 would report as corrupt: the number makes it refuse the store as newer
///   instead. Nothing else changed.
///
/// Upgrading creates the databases a store lacks (empty: an earlier store has no subject keys, and a new
/// tag index, at position 0, is filled in by the next append's catch-up) and records the current format,
/// in one write transaction. A store whose databases are all there (format 2 since the tag index) reads as
/// it is, since format 3 changed no shape, and gets the number 3 from its first write transaction (an open
/// writes nothing). A store opened read-only cannot be upgraded: one that lacks a database needs one
/// writable open first, and says so.
enum StoreMigration {
    /// The format this build reads and writes.
    static let currentFormat: UInt32 = 3

    /// Opens the databases of the store in `environment`, creating the store when `create` is set and
    /// there is none, upgrading it when it is of an earlier format.
    ///
    /// - Throws: ``EventLogError/storeNotFound(path:)`` when there is no store (and `create` is not set, or
    ///   the environment is read-only); ``EventLogError/unsupportedFormat(found:supported:)`` for a store of
    ///   a newer (or unknown) format; ``EventLogError/storage(_:)`` for an earlier store opened read-only
    ///   that lacks a database.
    static func open(_ environment: Environment, directory: String, create: Bool) throws -> StoreDatabases {
        // An environment this process cannot write is read-only whatever was asked (the environment falls
        // back): queries and verify work, and appends fail saying so.
        let writable = !environment.isReadOnly
        guard let found = try format(in: environment, directory: directory) else {
            guard create && writable else { throw EventLogError.storeNotFound(path: directory) }
            return try environment.write { txn in
                let databases = try StoreDatabases(txn, create: true)
                try record(currentFormat, in: databases, txn)
                try txn.put(databases.meta, key: StoreKeys.headKey, value: StoreKeys.encodeHead(.empty))
                return databases
            }
        }
        guard (1...currentFormat).contains(found) else {
            throw EventLogError.unsupportedFormat(found: found, supported: currentFormat)
        }
        if found == currentFormat { return try environment.read { try StoreDatabases($0, create: false) } }
        // A store with every database (format 2 since the tag index) has the current shape: it is read as it
        // is, and its format number is raised by its first write transaction (``recordCurrentFormat(in:_:)``),
        // so that opening it (for `status`, say, or a dry run) writes nothing.
        do {
            return try environment.read { try StoreDatabases($0, create: false) }
        } catch let error as LMDBError where error == .notFound {
            guard writable else {
                throw EventLogError.storage(
                    "the store at \(directory) was written by an earlier Chronicle (format \(found), before the "
                        + "tag index) and this build reads it only once it is upgraded to format \(currentFormat), "
                        + "which takes one opening with write access (any command, such as `chronicle verify`, run "
                        + "by a user who may write it; to keep the original as it is, upgrade a copy)")
            }
        }
        return try environment.write { txn in
            let databases = try StoreDatabases(txn, create: true)
            try record(currentFormat, in: databases, txn)
            return databases
        }
    }

    /// Records the current format in `txn` when the store records an earlier one (a format 2 store read as
    /// it is): called at the start of every write transaction that may write events, so that a store is
    /// marked as one a build of format 2 must not read only once it may hold what such a build cannot read.
    static func recordCurrentFormat(in databases: StoreDatabases, _ txn: borrowing Transaction) throws {
        let stored = try txn.get(databases.meta, key: StoreKeys.formatKey).map { bytes in
            bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        }
        if stored != currentFormat { try record(currentFormat, in: databases, txn) }
    }

    /// The format number the store records, or `nil` when the environment holds no store (no `meta`
    /// database, or no format in it).
    private static func format(in environment: Environment, directory: String) throws -> UInt32? {
        try environment.read { txn in
            let meta: Database
            do throws(LMDBError) {
                meta = try txn.openDatabase("meta")
            } catch {
                if error == .notFound { return nil }
                throw error
            }
            return try txn.get(meta, key: StoreKeys.formatKey).map { bytes in
                bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            }
        }
    }

    private static func record(_ format: UInt32, in databases: StoreDatabases, _ txn: borrowing Transaction) throws {
        let bytes = withUnsafeBytes(of: format.bigEndian) { Array($0) }
        try txn.put(databases.meta, key: StoreKeys.formatKey, value: bytes)
    }
}

/// The handles of the store's named databases (see the README's on-disk layout), every one present once
/// ``StoreMigration`` has opened the store.
struct StoreDatabases: Sendable {
    let meta: Database
    let events: Database
    let ids: Database
    let streams: Database
    let types: Database
    let occurred: Database
    let checkpoints: Database
    /// `tags` (tag, seq), sorted fixed-size duplicates.
    let tags: Database
    /// Subject keys.
    let keys: Database

    /// Opens every database in `txn`, creating those missing when `create` is set (else a missing one
    /// throws `LMDBError.notFound`).
    init(_ txn: borrowing Transaction, create: Bool) throws(LMDBError) {
        let flags: DatabaseFlags = create ? .create : []
        meta = try txn.openDatabase("meta", flags: flags)
        events = try txn.openDatabase("events", flags: flags)
        ids = try txn.openDatabase("ids", flags: flags)
        streams = try txn.openDatabase("streams", flags: flags)
        types = try txn.openDatabase("types", flags: flags)
        occurred = try txn.openDatabase("occurred", flags: flags)
        checkpoints = try txn.openDatabase("checkpoints", flags: flags)
        tags = try txn.openDatabase("tags", flags: flags.union([.duplicateSort, .duplicateFixed]))
        keys = try txn.openDatabase("keys", flags: flags)
    }
}
