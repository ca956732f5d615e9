internal import FileSystem
internal import Foundation
internal import LMDB

/// The embedded event store: one LMDB environment in a directory.
///
/// Databases (see the README's on-disk layout): `meta` (format, head), `events` (seq → record),
/// `ids` (id → seq), `streams` (stream, version → seq), `types` (type, seq), `occurred` (valid time,
/// seq), `tags` (tag, seq), `checkpoints` (name → position, state) and `keys` (subject → ``SubjectKey``). Every
/// append updates all of them in one transaction.
///
/// ```swift
/// let store = try LMDBEventStore(directory: "/tmp/chronicle", create: true)
/// ```
public final class LMDBEventStore: EventStore {
    /// The on-disk format this build reads and writes. Format 2 added the `keys` database; a format 1 store
    /// is upgraded in place when opened for writing (it has no keys to move), and read as is when read-only.
    public static let formatVersion: UInt32 = 2

    let environment: Environment
    let databases: StoreDatabases
    let clock: any TransactionClock
    /// Whether an append may go ahead with a clock far behind the log's last `recordedAt` (see ``Options``).
    let allowsClockBehind: Bool
    /// The store directory.
    public let directory: String

    /// How a store is opened.
    public struct Options: Sendable {
        /// Create the store when the directory holds none.
        public var create: Bool
        /// The initial memory map size in bytes (the map grows by itself). It is address space, not disk: the
        /// data file grows only as pages are used. Starting large means growth, which must wait for this
        /// process's open readers, is rare.
        public var initialMapSize: Int
        /// Skip fsync on commit: faster and not durable across power loss. For tests and benchmarks only.
        public var durable: Bool
        /// Open read-only.
        public var readOnly: Bool
        /// Append even when the clock reads more than ``ClockTolerance/behindHead`` before the log's last
        /// `recordedAt`, recording at that `recordedAt` (as for a smaller step back). Off by default: such an
        /// append throws ``EventLogError/clockBehindHead(clock:head:)``.
        public var allowsClockBehind: Bool

        /// Creates options.
        public init(
            create: Bool = false, initialMapSize: Int = 1 << 30, durable: Bool = true, readOnly: Bool = false,
            allowsClockBehind: Bool = false
        ) {
            self.create = create
            self.initialMapSize = initialMapSize
            self.durable = durable
            self.readOnly = readOnly
            self.allowsClockBehind = allowsClockBehind
        }
    }

    /// Opens the store in `directory`, creating it when `options.create` is set.
    ///
    /// Throws ``EventLogError/storeNotFound(path:)`` when there is no store and creation was not asked for,
    /// and ``EventLogError/unsupportedFormat(found:supported:)`` for a store of an unknown format.
    public init(directory: String, options: Options = Options(), clock: any TransactionClock = SystemClock()) throws {
        let dataFile = FileSystem.joined(directory, "data.mdb")
        if !options.create {
            do {
                guard try FileSystem.status(of: dataFile) != nil else {
                    throw EventLogError.storeNotFound(path: directory)
                }
            } catch let error as FileSystemError {
                // A directory this process may not search hides the store; it is there, just not for us.
                guard error.isPermissionDenied else { throw EventLogError.storeNotFound(path: directory) }
                throw EventLogError.permissionDenied("cannot open the store at \(directory): \(error.errno.text)")
            }
        }
        // LMDB takes an empty data file for a new one and writes a fresh environment into it: a store
        // truncated to nothing would be silently replaced by an empty one. Only `create` may start a store.
        if !options.create, let size = FileSystem.size(of: dataFile), size == 0 {
            throw EventLogError.storage(
                "\(dataFile) is truncated (0 bytes): it holds no store; restore it from a backup")
        }
        do {
            environment = try Environment(
                path: directory,
                options: .init(
                    mapSize: options.initialMapSize, maxDatabases: 16, readOnly: options.readOnly,
                    noSync: !options.durable))
            // A store this process cannot write is opened read-only whatever was asked (the environment
            // falls back): queries and verify work, and appends fail saying so.
            databases = try StoreDatabases(
                environment: environment, create: options.create && !environment.isReadOnly,
                readOnly: environment.isReadOnly)
        } catch let error as LMDBError {
            if error == .notFound { throw EventLogError.storeNotFound(path: directory) }
            throw EventLogError(error)
        }
        self.clock = clock
        self.allowsClockBehind = options.allowsClockBehind
        self.directory = directory
        try checkFormat(create: options.create && !environment.isReadOnly, readOnly: environment.isReadOnly)
    }

    /// Convenience: opens (or with `create`, creates) the store in `directory`.
    public convenience init(directory: String, create: Bool, clock: any TransactionClock = SystemClock()) throws {
        try self.init(directory: directory, options: Options(create: create), clock: clock)
    }

    private func checkFormat(create: Bool, readOnly: Bool) throws {
        let found: UInt32? = try storage {
            try environment.read { txn in
                try txn.get(databases.meta, key: StoreKeys.formatKey).map { bytes in
                    bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                }
            }
        }
        if let found {
            if found == 1 && databases.keys == nil && readOnly { return }
            if found == 1 && databases.keys != nil && !readOnly {
                try storage { try environment.write { txn in try writeFormat(txn) } }
                return
            }
            guard found == Self.formatVersion, databases.keys != nil else {
                throw EventLogError.unsupportedFormat(found: found, supported: Self.formatVersion)
            }
            return
        }
        guard create else { throw EventLogError.storeNotFound(path: directory) }
        try storage {
            try environment.write { txn in
                try writeFormat(txn)
                try txn.put(databases.meta, key: StoreKeys.headKey, value: StoreKeys.encodeHead(.empty))
            }
        }
    }

    private func writeFormat(_ txn: borrowing Transaction) throws {
        let version = Self.formatVersion
        try txn.put(
            databases.meta, key: StoreKeys.formatKey,
            value: [
                UInt8(version >> 24 & 0xff), UInt8(version >> 16 & 0xff), UInt8(version >> 8 & 0xff),
                UInt8(version & 0xff),
            ])
    }

    public func read<R>(_ body: (any LogView) throws -> R) throws -> R {
        try storage {
            try environment.read { txn in
                try withUnsafePointer(to: txn) { pointer in
                    try body(LMDBLogView(transaction: pointer, databases: databases))
                }
            }
        }
    }

    /// ``read(_:)`` for work on a second thread of a write transaction this process holds open until the
    /// work is over (see `Environment.readBesideWrite(_:)`).
    func readBesideWrite<R>(_ body: (any LogView) throws -> R) throws -> R {
        try storage {
            try environment.readBesideWrite { txn in
                try withUnsafePointer(to: txn) { pointer in
                    try body(LMDBLogView(transaction: pointer, databases: databases))
                }
            }
        }
    }

    public func saveCheckpoint(_ checkpoint: Checkpoint) throws {
        try saveCheckpoint(name: checkpoint.name, position: checkpoint.position, stateSize: checkpoint.state.count) {
            $0.copyBytes(from: checkpoint.state)
        }
    }

    public func saveCheckpoint(
        name: String, position: UInt64, stateSize: Int, write: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        try storage {
            try environment.write { txn in
                try withUnsafePointer(to: txn) { pointer in
                    try LMDBLogView(transaction: pointer, databases: databases).putCheckpoint(
                        name: name, position: position, stateSize: stateSize, write: write)
                }
            }
        }
    }

    public func releaseReadMemory() {
        environment.releaseMappedPages()
    }

    /// Bytes of the data file in use.
    public var usedSize: Int { environment.usedSize }

    /// Whether the store was opened read-only (asked for, or because this process cannot write its files).
    public var isReadOnly: Bool { environment.isReadOnly }

    /// Runs `body`, turning errors of the storage engine into ``EventLogError/storage(_:)`` so that no
    /// engine type crosses the public API.
    func storage<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as LMDBError {
            throw EventLogError(error)
        }
    }
}

extension EventLogError {
    /// LMDB's error as the log's: a write this process is not permitted (`EACCES`, `EPERM`: the store's files
    /// or directory, or a store opened read-only) as ``permissionDenied(_:)``, anything else as ``storage(_:)``.
    init(_ error: LMDBError) {
        self =
            error.code == EACCES || error.code == EPERM
            ? .permissionDenied(error.description) : .storage(error.description)
    }
}

/// The handles of the store's named databases.
struct StoreDatabases: Sendable {
    let meta: Database
    let events: Database
    let ids: Database
    let streams: Database
    let types: Database
    let occurred: Database
    let checkpoints: Database
    /// `tags` (tag, seq): `nil` only in a store of an earlier build opened read-only, which has none yet.
    let tags: Database?
    /// Subject keys; `nil` only for a format 1 store opened read-only (it has none).
    let keys: Database?

    init(environment: Environment, create: Bool, readOnly: Bool) throws {
        let flags: DatabaseFlags = create ? .create : []
        meta = try environment.openDatabase("meta", flags: flags)
        events = try environment.openDatabase("events", flags: flags)
        ids = try environment.openDatabase("ids", flags: flags)
        streams = try environment.openDatabase("streams", flags: flags)
        types = try environment.openDatabase("types", flags: flags)
        occurred = try environment.openDatabase("occurred", flags: flags)
        checkpoints = try environment.openDatabase("checkpoints", flags: flags)
        // Stores written before the tag index existed gain it on their first writable open; its position
        // (0) then lags the head and the next catch-up fills it in.
        do {
            let sorted: DatabaseFlags = [.duplicateSort, .duplicateFixed]
            tags = try environment.openDatabase("tags", flags: readOnly ? sorted : sorted.union(.create))
        } catch let error as LMDBError where error == .notFound && readOnly {
            tags = nil
        }
        // A format 1 store has no `keys` database: it is added when the store is opened for writing
        // (``LMDBEventStore`` then records format 2).
        do {
            keys = try environment.openDatabase("keys", flags: [])
        } catch let error as LMDBError where error == .notFound {
            keys = readOnly ? nil : try environment.openDatabase("keys", flags: .create)
        }
    }
}
