import EventLog
import Foundation
import LMDB
import Testing

@Suite struct EncodingTests {
    @Test func referenceSHA256MatchesTheStandardTestVectors() {
        #expect(hex(ReferenceSHA256.digest([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            hex(ReferenceSHA256.digest(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            hex(ReferenceSHA256.digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func eachHashIsSHA256OfThePreviousHashAndTheDocumentedEncoding() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            try store.append([
                newEvent("orders-1", type: "Placed", occurredAt: .day(19_000), payload: []),
                newEvent("orders-2", type: "Placed", occurredAt: .instant(instant(-30)), payload: Array("é".utf8)),
            ])
            try store.append([newEvent("orders-1", type: "Shipped", occurredAt: .day(-3), payload: [0, 255])])
            var previous = EventHash.genesis.bytes
            for event in try allEvents(store) {
                let expected = ReferenceEncoding.chain(previous: previous, body: ReferenceEncoding.body(of: event))
                #expect(event.hash.bytes == expected, "seq \(event.seq)")
                previous = event.hash.bytes
            }
            #expect(try store.head().hash.bytes == previous)
        }
    }

    @Test func storedRecordIsTheDocumentedBodyFollowedByTheHash() throws {
        try withTemporaryDirectory { path in
            let events = try {
                let store = try openStore(path)
                try store.append([newEvent("s", occurredAt: .instant(instant(5)), payload: [9, 8, 7])])
                return try allEvents(store)
            }()
            let event = try #require(events.first)
            let record = try withRawDatabase(path, named: "events") { environment, events in
                try environment.read { txn in try txn.get(events, key: seqKey(1)) }
            }
            #expect(record == ReferenceEncoding.body(of: event) + event.hash.bytes)
        }
    }

    @Test(arguments: [(42, "occurredAt"), (33, "recordedAt")])
    func aStoredTimeOutOfRangeIsACorruptRecordNotAnOverflow(offset: Int, field: String) throws {
        try withTemporaryDirectory { path in
            try openStore(path).append([newEvent("s", occurredAt: .day(19_000), payload: [])])
            // The body's occurredAt (a day) and recordedAt, 8 bytes each: their top byte set, as a flip would.
            try withRawDatabase(path, named: "events") { environment, events in
                try environment.write { txn in
                    var record = try #require(try txn.get(events, key: seqKey(1)))
                    record[offset] ^= 0x40
                    try txn.put(events, key: seqKey(1), value: record)
                }
            }
            let store = try openStore(path)
            let error = try #require(throws: EventLogError.self) { try allEvents(store) }
            guard case .corruptRecord(seq: 1, let reason) = error else {
                Issue.record("not a corrupt record: \(error)")
                return
            }
            #expect(reason.contains(field) && reason.contains("out of range"), "\(reason)")
        }
    }

    @Test func anAppendRefusesATimeOutsideTheStorableRange() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            for time in [ValidTime.day(Int64.max / 2), .instant(Timestamp(microsecondsSinceEpoch: .min))] {
                let error = try #require(throws: EventLogError.self) {
                    try store.append([newEvent("s", occurredAt: time)])
                }
                guard case .invalidEnvelope(index: 0, field: "occurredAt", _) = error else {
                    Issue.record("not refused for its occurredAt: \(error)")
                    continue
                }
            }
            #expect(try store.head().seq == 0)
        }
    }

    /// A scan holds the type, stream and author names it has read, so that a repeated name is not made
    /// again: names that share a length and their last bytes (one slot of its table), differ in one byte,
    /// are one byte long or not ASCII must each still come back as stored, forwards and backwards.
    @Test func aScanGivesEachEventItsOwnNamesThoughTheyShareTheirLengthAndEnding() throws {
        let names = ["aaaa-0001", "bbbb-0001", "aaaa-0001", "abaa-0001", "x", "é-0001", "aaaa-0001", "e-0001", "y"]
        let stored = names.indices.map { index in
            newEvent(
                "stream-\(names[index])", type: names[(index + 1) % names.count],
                recordedBy: names[(index + 2) % names.count])
        }
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            try store.append(stored)
            for direction in [ReadDirection.forward, .backward] {
                var read: [RecordedEvent] = []
                try store.read { view in
                    try view.scan(from: direction == .forward ? 1 : UInt64(stored.count), direction: direction) {
                        read.append($0)
                        return true
                    }
                }
                if direction == .backward { read.reverse() }
                #expect(read.map(\.stream) == stored.map(\.stream), "\(direction)")
                #expect(read.map(\.type) == stored.map(\.type), "\(direction)")
                #expect(read.map(\.recordedBy) == stored.map(\.recordedBy), "\(direction)")
            }
        }
    }

    @Test func eventHashParsesAndPrintsSixtyFourHexDigits() throws {
        let text = "00ff10ab" + String(repeating: "0", count: 56)
        let hash = try #require(EventHash(hex: text.uppercased()))
        #expect(hash.description == text)
        #expect(hash.bytes.prefix(4) == [0x00, 0xff, 0x10, 0xab])
        #expect(EventHash(hex: "abc") == nil)
        #expect(EventHash(hex: String(repeating: "g", count: 64)) == nil)
        #expect(EventHash(bytes: [1, 2, 3]) == nil)
        #expect(EventHash.genesis.bytes == [UInt8](repeating: 0, count: 32))
    }
}
