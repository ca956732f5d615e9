import EventLog
import Foundation
import LMDB
import Synchronization

/// The instant most tests treat as "now": 2023-11-14T22:13:20Z.
let epoch = Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000)

/// `epoch` plus `seconds`.
func instant(_ seconds: Int64) -> Timestamp {
    Timestamp(microsecondsSinceEpoch: epoch.microsecondsSinceEpoch + seconds * 1_000_000)
}

/// A new event with defaults for everything a test does not care about.
func newEvent(
    _ stream: String, type: String = "Happened", occurredAt: ValidTime = .day(19_000), payload: [UInt8] = [1, 2, 3],
    id: UUID = UUID(), recordedBy: String = "tester"
) -> NewEvent {
    NewEvent(
        id: id, stream: stream, type: type, occurredAt: occurredAt, recordedBy: recordedBy, payload: payload)
}

/// Opens (by default creating) the store in `path`; not durable, which is enough inside one process.
func openStore(
    _ path: String, create: Bool = true, clock: any TransactionClock = FixedClock(epoch), initialMapSize: Int = 1 << 20
) throws -> LMDBEventStore {
    try LMDBEventStore(
        directory: path, options: .init(create: create, initialMapSize: initialMapSize, durable: false), clock: clock)
}

/// A clock a test sets by hand; it may go backwards.
final class ManualClock: TransactionClock {
    private let current: Mutex<Timestamp>

    init(_ start: Timestamp = epoch) { current = Mutex(start) }

    func now() -> Timestamp { current.withLock { $0 } }

    func set(_ timestamp: Timestamp) { current.withLock { $0 = timestamp } }
}

/// Every event of the store, oldest first, read `pageSize` at a time.
func allEvents(_ store: some EventStore, pageSize: Int = 512) throws -> [RecordedEvent] {
    try collect(store.events(), pageSize: pageSize)
}

/// The events of `sequence`, read `pageSize` at a time.
func collect(_ sequence: EventSequence, pageSize: Int) throws -> [RecordedEvent] {
    var sequence = sequence
    sequence.pageSize = pageSize
    return try sequence.collect()
}

/// Runs `body` on the named database of the store in `path` through the LMDB layer, as an intruder would.
///
/// The store must have been released first: one environment per path per process.
func withRawDatabase<R>(
    _ path: String, named name: String, flags: DatabaseFlags = [], _ body: (Environment, Database) throws -> R
) throws -> R {
    let environment = try Environment(path: path)
    let database = try environment.openDatabase(name, flags: flags)
    return try body(environment, database)
}

/// The key of `seq` in the `events` database: u64 big-endian.
func seqKey(_ seq: UInt64) -> [UInt8] { withUnsafeBytes(of: seq.bigEndian) { Array($0) } }

/// An error a test throws on purpose.
struct DeliberateFailure: Error, Equatable {}
