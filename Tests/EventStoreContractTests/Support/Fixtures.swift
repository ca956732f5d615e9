import EventLog
import Foundation
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

/// An error a test throws on purpose.
struct DeliberateFailure: Error, Equatable {}
