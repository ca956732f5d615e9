import EventLog
import Foundation
import LMDB
import Testing

/// `scanInPlace` (what a rebuild's fold reads) and `eventsInPlace(at:)` (what a rule check's scope judges on its
/// envelope): the fields `scan` and `event(at:)` give, read in place, and the same refusals.
@Suite struct ScanInPlaceTests {
    /// The fields both reads give, the payload as bytes.
    private struct Fields: Equatable {
        let seq: UInt64
        let id: UUID
        let type: String
        let schemaVersion: Int
        let occurredAt: ValidTime
        let recordedAt: Timestamp
        let payload: [UInt8]
        let hash: EventHash

        init(_ event: RecordedEvent) {
            (seq, id, type, schemaVersion, occurredAt) = (
                event.seq, event.id, event.type, event.schemaVersion, event.occurredAt
            )
            (recordedAt, payload, hash) = (event.recordedAt, event.payload, event.hash)
        }

        init(_ event: EventInPlace) {
            (seq, id, type, schemaVersion, occurredAt) = (
                event.seq, event.id, event.type, event.schemaVersion, event.occurredAt
            )
            (recordedAt, payload, hash) = (event.recordedAt, Array(event.payload), event.hash)
        }
    }

    private func scanned(_ store: some EventStore, from seq: UInt64) throws -> [Fields] {
        try store.read { view in
            var fields: [Fields] = []
            try view.scan(from: seq, direction: .forward) {
                fields.append(Fields($0))
                return true
            }
            return fields
        }
    }

    private func scannedInPlace(_ store: some EventStore, from seq: UInt64, limit: Int = .max) throws -> [Fields] {
        try store.read { view in
            var fields: [Fields] = []
            try view.scanInPlace(from: seq) {
                fields.append(Fields($0))
                return fields.count < limit
            }
            return fields
        }
    }

    /// What `eventsInPlace(at:)` lends for `seqs`, in the order lent (`nil` for a seq with no event).
    private func readInPlace(_ store: some EventStore, at seqs: [UInt64]) throws -> [Fields?] {
        try store.read { view in
            var fields: [Fields?] = []
            var lent: [UInt64] = []
            try view.eventsInPlace(at: seqs) { seq, event in
                lent.append(seq)
                fields.append(event.map(Fields.init))
            }
            #expect(lent == seqs)
            return fields
        }
    }

    /// What `event(at:)` reads for each of `seqs`.
    private func readOneByOne(_ store: some EventStore, at seqs: [UInt64]) throws -> [Fields?] {
        try store.read { view in try seqs.map { try view.event(at: $0).map(Fields.init) } }
    }

    private static let events = [
        newEvent("orders-1", type: "Placed", occurredAt: .day(19_000), payload: []),
        newEvent("orders-2", type: "Placed", occurredAt: .instant(instant(-30)), payload: Array("é".utf8)),
        newEvent("commandes-é", type: "Expédié", occurredAt: .day(-3), payload: [0, 255], recordedBy: "zoë"),
        newEvent(
            "orders-1", type: "Shipped", occurredAt: .instant(instant(7)), payload: Array(repeating: 9, count: 300)),
    ]

    @Test func scanInPlaceLendsEachEventsFieldsAndPayloadAsScanReadsThem() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            try store.append(Self.events)
            for start: UInt64 in [0, 1, 2, 4, 5] {
                #expect(try scannedInPlace(store, from: start) == scanned(store, from: start), "from \(start)")
            }
            #expect(try scannedInPlace(store, from: 2, limit: 2).map(\.seq) == [2, 3])
        }
    }

    @Test func theDefaultScanInPlaceOfAMemoryStoreLendsWhatItsScanReads() throws {
        let store = InMemoryEventStore(clock: FixedClock(epoch))
        try store.append(Self.events)
        #expect(try scannedInPlace(store, from: 1) == scanned(store, from: 1))
        #expect(try scannedInPlace(store, from: 1).count == Self.events.count)
    }

    /// The seqs asked for in order, out of order, repeated and missing (0, past the head, between two
    /// events' keys): each lent with the fields `event(at:)` reads, `nil` where it reads none.
    private static let seqsAskedFor: [[UInt64]] = [[1, 2, 3, 4], [4, 1, 3], [2, 2], [0, 5, 9], [3, 7, 1, 0], []]

    @Test(arguments: seqsAskedFor)
    func eventsInPlaceLendsEachEventAsEventAtReadsItInTheOrderAskedAndNilForOneNotStored(seqs: [UInt64]) throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            try store.append(Self.events)
            #expect(try readInPlace(store, at: seqs) == readOneByOne(store, at: seqs))
        }
    }

    @Test(arguments: seqsAskedFor)
    func theDefaultEventsInPlaceOfAMemoryStoreLendsWhatEventAtReads(seqs: [UInt64]) throws {
        let store = InMemoryEventStore(clock: FixedClock(epoch))
        try store.append(Self.events)
        #expect(try readInPlace(store, at: seqs) == readOneByOne(store, at: seqs))
    }

    /// Every byte of a stored record flipped in turn (and the record cut short): `scanInPlace` refuses it
    /// exactly when `scan` does, with the same error, and otherwise reads the fields `scan` reads. A flip in
    /// the stream or author name that makes it invalid UTF-8 is refused by both, though neither name is made.
    @Test func scanInPlaceRefusesEachDamagedRecordAsScanDoes() throws {
        try withTemporaryDirectory { path in
            try openStore(path).append([Self.events[2]])
            let record = try withRawDatabase(path, named: "events") { environment, events in
                try environment.read { txn in try #require(try txn.get(events, key: seqKey(1))) }
            }
            var damaged: [[UInt8]] = (0..<record.count).flatMap { offset in
                [0x80, 0x01].map { (flip: UInt8) in
                    var copy = record
                    copy[offset] ^= flip
                    return copy
                }
            }
            damaged += [Array(record.dropLast()), Array(record.prefix(40)), Array(record.prefix(32))]
            var refusedBoth = 0
            for (index, bytes) in damaged.enumerated() {
                try withRawDatabase(path, named: "events") { environment, events in
                    try environment.write { txn in try txn.put(events, key: seqKey(1), value: bytes) }
                }
                let store = try openStore(path, create: false)
                let expected = Result { try scanned(store, from: 1) }
                let found = Result { try scannedInPlace(store, from: 1) }
                let one = Result { try readOneByOne(store, at: [1]) }
                let inPlace = Result { try readInPlace(store, at: [1]) }
                switch (one, inPlace) {
                case (.success(let one), .success(let two)): #expect(one == two, "damage \(index), at")
                case (.failure(let one), .failure(let two)): #expect("\(one)" == "\(two)", "damage \(index), at")
                default: Issue.record("damage \(index): event(at:) \(one), eventsInPlace(at:) \(inPlace)")
                }
                switch (expected, found) {
                case (.success(let one), .success(let two)):
                    #expect(one == two, "damage \(index)")
                case (.failure(let one), .failure(let two)):
                    #expect("\(one)" == "\(two)", "damage \(index)")
                    refusedBoth += 1
                default:
                    Issue.record("damage \(index): scan \(expected), scanInPlace \(found)")
                }
            }
            #expect(refusedBoth > 10)
        }
    }
}

/// A record whose own seq is not its key's (a flipped byte) is refused by every read of it, not read as
/// another event: a rebuild's stretch stops at the first event past its end and would skip the rest.
@Suite struct RecordSeqTests {
    @Test func aRecordNamingAnotherSeqThanItsKeyIsRefusedByScanScanInPlaceEventAtAndEventsInPlace() throws {
        try withTemporaryDirectory { path in
            try openStore(path).append([
                newEvent("orders-1", type: "Placed", occurredAt: .day(19_000), payload: []),
                newEvent("orders-2", type: "Placed", occurredAt: .day(19_001), payload: []),
                newEvent("orders-3", type: "Placed", occurredAt: .day(19_002), payload: []),
            ])
            try withRawDatabase(path, named: "events") { environment, events in
                let third = try environment.read { txn in try #require(try txn.get(events, key: seqKey(3))) }
                try environment.write { txn in try txn.put(events, key: seqKey(2), value: third) }
            }
            let store = try openStore(path, create: false)
            let expected = "record says seq 3 but is stored under seq 2"
            #expect {
                try store.read { view in try view.scan(from: 1, direction: .forward) { _ in true } }
            } throws: { "\($0)".contains(expected) }
            #expect {
                try store.read { view in try view.scanInPlace(from: 1) { _ in true } }
            } throws: { "\($0)".contains(expected) }
            #expect {
                try store.read { view in _ = try view.event(at: 2) }
            } throws: { "\($0)".contains(expected) }
            #expect {
                try store.read { view in try view.eventsInPlace(at: [1, 2]) { _, _ in } }
            } throws: { "\($0)".contains(expected) }
            #expect(try store.read { view in try view.event(at: 1)?.seq } == 1)
        }
    }
}
