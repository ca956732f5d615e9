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
/// writes nothing). A store opened read-only that lacks a database is read as it is, without writing to it:
/// a missing `keys` reads as holding no key (format 1 sealed nothing), a missing `tags` as an index at
/// position 0 (readers then scan), and its upgrade waits for an open with write access.
enum StoreMigration {
    /// The format this build reads and writes.
    static let currentFormat: UInt32 = 3

    /// Opens the databases of the store in `environment`, creating the store when `create` is set and
    /// there is none, upgrading it when it is of an earlier format.
    ///
    /// - Throws: ``EventLogError/storeNotFound(path:)`` when there is no store (and `create` is not set, or
    ///   the environment is read-only); ``EventLogError/unsupportedFormat(found:supported:)`` for a store of
    ///   a newer (or unknown) format.
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
        // A store that records its format but lacks a database it must have is damaged, not missing: LMDB's
        // "not found" would otherwise read as "no store here" and advise `chronicle init`.
        do {
            return try databases(in: environment, found: found, writable: writable)
        } catch let error as LMDBError where error == .notFound {
            let missing = try missingDatabases(in: environment)
            throw EventLogError.storage(
                "the store at \(directory) is damaged: it records format \(found) but lacks "
                    + (missing.isEmpty ? "a database" : "the database(s) " + missing.joined(separator: ", "))
                    + "; restore it from a backup")
        }
    }

    /// The databases of a store of format `found` (see ``open(_:directory:create:)``).
    private static func databases(in environment: Environment, found: UInt32, writable: Bool) throws -> StoreDatabases {
        if found == currentFormat { return try environment.read { try StoreDatabases($0, create: false) } }
        // A store with every database (format 2 since the tag index) has the current shape: it is read as it
        // is, and its format number is raised by its first write transaction (``recordCurrentFormat(in:_:)``),
        // so that opening it (for `status`, say, or a dry run) writes nothing.
        do {
            return try environment.read { try StoreDatabases($0, create: false) }
        } catch let error as LMDBError where error == .notFound {
            // A read-only environment cannot create a database: the store is read as it is, the databases
            // it lacks read as empty, and it is upgraded by the first open that may write it.
            guard writable else { return try environment.read { try StoreDatabases($0, create: false, earlier: true) } }
        }
        return try environment.write { txn in
            let databases = try StoreDatabases(txn, create: true)
            try record(currentFormat, in: databases, txn)
            return databases
        }
    }

    /// The names of the store's databases that `environment` lacks (`tags` and `keys` included: an earlier
    /// store may lack them; this is asked only once some database is missing).
    private static func missingDatabases(in environment: Environment) throws -> [String] {
        try environment.read { txn in
            var missing: [String] = []
            for name in StoreDatabases.names where try !hasDatabase(name, in: txn) { missing.append(name) }
            return missing
        }
    }

    private static func hasDatabase(_ name: String, in txn: borrowing Transaction) throws -> Bool {
        do throws(LMDBError) {
            _ = try txn.openDatabase(name)
            return true
        } catch {
            if error == .notFound { return false }
            throw error
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
    /// database in an empty environment, or no format in it).
    ///
    /// - Throws: ``EventLogError/storage(_:)`` when `meta` is not found in an environment whose main database
    ///   has records: a damaged page of the main database can make the lookup miss it, and "no store here"
    ///   would then advise `chronicle init`, which would write an empty store over the history.
    private static func format(in environment: Environment, directory: String) throws -> UInt32? {
        try environment.read { txn in
            let meta: Database
            do throws(LMDBError) {
                meta = try txn.openDatabase("meta")
            } catch {
                guard error == .notFound else { throw error }
                // The count comes from the meta page, not from the pages the lookup walked.
                let records = try txn.statistics(txn.openDatabase(nil)).entries
                guard records == 0 else {
                    throw EventLogError.storage(
                        "the store at \(directory) is damaged or is not a Chronicle store: its data file holds "
                            + "\(records) database record(s) but no `meta` database; restore it from a backup")
                }
                return nil
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
    /// `tags` (tag, seq), sorted fixed-size duplicates; `nil` only in an earlier store opened read-only
    /// that has none (it reads as an empty index at position 0).
    let tags: Database?
    /// Subject keys; `nil` only in an earlier store opened read-only that has none (it reads as no key).
    let keys: Database?

    /// The names of the store's databases, in the order they are opened.
    static let names = ["meta", "events", "ids", "streams", "types", "occurred", "checkpoints", "tags", "keys"]

    /// Opens every database in `txn`, creating those missing when `create` is set (else a missing one
    /// throws `LMDBError.notFound`, unless `earlier` allows `tags` and `keys` to be missing: an earlier store
    /// read without an upgrade).
    init(_ txn: borrowing Transaction, create: Bool, earlier: Bool = false) throws(LMDBError) {
        let flags: DatabaseFlags = create ? .create : []
        meta = try txn.openDatabase("meta", flags: flags)
        events = try txn.openDatabase("events", flags: flags)
        ids = try txn.openDatabase("ids", flags: flags)
        streams = try txn.openDatabase("streams", flags: flags)
        types = try txn.openDatabase("types", flags: flags)
        occurred = try txn.openDatabase("occurred", flags: flags)
        checkpoints = try txn.openDatabase("checkpoints", flags: flags)
        tags = try Self.open("tags", flags.union([.duplicateSort, .duplicateFixed]), in: txn, optional: earlier)
        keys = try Self.open("keys", flags, in: txn, optional: earlier)
    }

    private static func open(
        _ name: String, _ flags: DatabaseFlags, in txn: borrowing Transaction, optional: Bool
    ) throws(LMDBError) -> Database? {
        do throws(LMDBError) {
            return try txn.openDatabase(name, flags: flags)
        } catch {
            guard optional, error == .notFound else { throw error }
            return nil
        }
    }

    /// `tags` for writing: an earlier store read without an upgrade is read-only, so a write never gets here
    /// without it; should one, it fails as a write to a read-only store does.
    func writableTags() throws -> Database {
        guard let tags else { throw Self.missing("tags") }
        return tags
    }

    /// `keys` for writing (see ``writableTags()``).
    func writableKeys() throws -> Database {
        guard let keys else { throw Self.missing("keys") }
        return keys
    }

    private static func missing(_ name: String) -> EventLogError {
        .storage("the store lacks its \(name) database (written by an earlier Chronicle, opened read-only)")
    }
}
