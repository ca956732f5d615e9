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
    /// The on-disk format this build reads and writes (see `StoreMigration` for the earlier ones, which are
    /// upgraded when a store is opened).
    public static let formatVersion: UInt32 = StoreMigration.currentFormat

    let environment: Environment
    let databases: StoreDatabases
    let clock: any TransactionClock
    /// The most one append session may add to the data file (see ``Options/largestTransaction``).
    let largestTransaction: Int
    /// The default ``Options/largestTransaction``: 8 GiB, address space reserved, not disk (the file grows
    /// only as pages are written).
    public static let defaultLargestTransaction = 8 << 30
    /// The default ``Options/residentFileMemoryBudget``: 64 MiB, of which the program's own code and libraries
    /// take about 20 MiB, small enough beside any command's heap.
    public static let defaultResidentFileMemoryBudget = Environment.defaultResidentFileMemoryBudget
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
        /// The most an ``EventStore/withAppendSession(dryRun:_:)`` may add to the data file, in bytes: the map
        /// is grown to leave that much room before the session begins and cannot grow inside it (LMDB resizes
        /// the map only while no transaction is open). A streamed import of 10M events adds about 5.3 GB.
        public var largestTransaction: Int
        /// Write transactions write the store's pages in its file mapping (LMDB's `MDB_WRITEMAP`) rather than
        /// in heap copies held to the commit (up to 512 MiB with liblmdb 0.9): for a process whose write is
        /// one long append session (a streamed import); see `Environment+WriteMap.swift` in the LMDB module.
        public var writeMap: Bool
        /// The resident budget, in bytes: the store's mapped pages (every page a read or, under ``writeMap``, a
        /// write touched stays resident until released) are released whenever this process's resident
        /// file-backed memory exceeds it. The larger, the fewer pages a reader at random over a large store
        /// faults in again (`verify` looks each event up in four indexes); the smaller, the more of the
        /// process's memory is left to its heap. Default ``LMDBEventStore/defaultResidentFileMemoryBudget``.
        public var residentFileMemoryBudget: Int

        /// Creates options.
        public init(
            create: Bool = false, initialMapSize: Int = 1 << 30, durable: Bool = true, readOnly: Bool = false,
            allowsClockBehind: Bool = false, largestTransaction: Int = LMDBEventStore.defaultLargestTransaction,
            writeMap: Bool = false, residentFileMemoryBudget: Int = LMDBEventStore.defaultResidentFileMemoryBudget
        ) {
            self.writeMap = writeMap
            self.residentFileMemoryBudget = residentFileMemoryBudget
            self.largestTransaction = largestTransaction
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
                    noSync: !options.durable, writeMap: options.writeMap,
                    residentFileMemoryBudget: options.residentFileMemoryBudget))
            databases = try StoreMigration.open(environment, directory: directory, create: options.create)
        } catch let error as LMDBError {
            if error == .notFound { throw EventLogError.storeNotFound(path: directory) }
            // A fault or a page of the wrong type met while finding the store's databases.
            if error == .corrupted {
                throw EventLogError.storage("the store at \(directory) is damaged (\(error)); restore it from a backup")
            }
            throw EventLogError(error)
        }
        self.clock = clock
        self.allowsClockBehind = options.allowsClockBehind
        self.largestTransaction = options.largestTransaction
        self.directory = directory
    }

    /// Convenience: opens (or with `create`, creates) the store in `directory`.
    public convenience init(directory: String, create: Bool, clock: any TransactionClock = SystemClock()) throws {
        try self.init(directory: directory, options: Options(create: create), clock: clock)
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

    /// The resident budget the store was opened with, in bytes (``Options/residentFileMemoryBudget``).
    public var residentFileMemoryBudget: Int { environment.residentFileMemoryBudget }

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
