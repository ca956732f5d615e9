import EventLog
import Foundation
import Testing

/// SplitMix64: a tiny, seedable generator, so that a failing seed replays exactly.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// The whole log as a list, which is all the store should amount to.
private struct LogModel {
    var events: [RecordedEvent] = []
    var versions: [String: UInt64] = [:]
    var lastHash = EventHash.genesis.bytes

    /// Records `batch` as the store should: next seqs and versions, clamped time, chained hashes.
    mutating func append(_ batch: [NewEvent], clock: Timestamp) -> [RecordedEvent] {
        let recordedAt = max(clock, events.last?.recordedAt ?? clock)
        var recorded: [RecordedEvent] = []
        for event in batch {
            let seq = UInt64(events.count + 1)
            let version = (versions[event.stream] ?? 0) + 1
            let body = ReferenceEncoding.body(
                seq: seq, id: event.id, streamVersion: version, recordedAt: recordedAt, event: event)
            lastHash = ReferenceEncoding.chain(previous: lastHash, body: body)
            guard let hash = EventHash(bytes: lastHash) else { preconditionFailure("SHA-256 is 32 bytes") }
            let stored = RecordedEvent(
                seq: seq, id: event.id, stream: event.stream, streamVersion: version, type: event.type,
                schemaVersion: event.schemaVersion, occurredAt: event.occurredAt, recordedAt: recordedAt,
                recordedBy: event.recordedBy, payload: event.payload, hash: hash)
            events.append(stored)
            versions[event.stream] = version
            recorded.append(stored)
        }
        return recorded
    }
}

private let streams = ["orders-1", "orders-2", "member-ol-17", "member-ol-170", "workshop"]
private let types = ["Placed", "Shipped", "Joined", "Left"]
private let firstDay: Int64 = 19_000

@Suite struct PropertyTests {
    @Test(arguments: [1, 2, 3, 42, 2024] as [UInt64])
    func randomHistoriesReadBackExactlyAsASimpleModelPredicts(seed: UInt64) throws {
        try withTemporaryDirectory { path in
            var random = SplitMix64(state: seed)
            let clock = ManualClock(instant(0))
            let store = try openStore(path, clock: clock)
            var model = LogModel()
            var batches: [[NewEvent]] = []
            var conflicts = 0
            var retries = 0

            while model.events.count < 300 {
                clock.set(instant(Int64(model.events.count) * 10 + Int64.random(in: -40...40, using: &random)))
                if let earlier = batches.randomElement(using: &random), Int.random(in: 0..<10, using: &random) == 0 {
                    // A retry of an acknowledged batch: nothing is written, the stored events come back.
                    let result = try store.append(earlier)
                    #expect(result.appended.isEmpty)
                    #expect(result.duplicates.map(\.id) == earlier.map(\.id))
                    retries += 1
                    continue
                }
                let batch = (0..<Int.random(in: 1...5, using: &random)).map { _ in randomEvent(&random) }
                var expecting: [String: ExpectedVersion] = [:]
                var firstWrong: EventLogError?
                for stream in Set(batch.map(\.stream)).sorted() {
                    let actual = model.versions[stream]
                    switch Int.random(in: 0..<8, using: &random) {
                    case 0...2: break
                    case 3: expecting[stream] = .any
                    case 4...6: expecting[stream] = actual.map(ExpectedVersion.exact) ?? .noStream
                    default:
                        let wrong: ExpectedVersion = actual.map { .exact($0 + 1) } ?? .exact(1)
                        expecting[stream] = wrong
                        if firstWrong == nil {
                            firstWrong = .wrongExpectedVersion(stream: stream, expected: wrong, actual: actual)
                        }
                    }
                }
                if let firstWrong {
                    #expect(throws: firstWrong) { try store.append(batch, expecting: expecting) }
                    conflicts += 1
                    continue
                }
                let result = try store.append(batch, expecting: expecting)
                let expected = model.append(batch, clock: clock.now())
                #expect(result.appended == expected)
                batches.append(batch)
            }
            #expect(conflicts > 0 && retries > 0, "the seed exercises conflicts and retries")
            try compare(store, with: model, random: &random)
        }
    }

    private func randomEvent(_ random: inout SplitMix64) -> NewEvent {
        let day = firstDay + Int64.random(in: 0..<6, using: &random)
        let occurredAt: ValidTime =
            Bool.random(using: &random)
            ? .day(day)
            : .instant(
                Timestamp(
                    microsecondsSinceEpoch: day * 86_400_000_000 + Int64.random(in: 0..<3, using: &random)
                        * 3_600_000_000))
        let payload = (0..<Int.random(in: 0...24, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random)
        }
        let id = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
        return NewEvent(
            id: UUID(
                uuid: (
                    id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8], id[9], id[10], id[11], id[12],
                    id[13],
                    id[14], id[15]
                )),
            stream: streams.randomElement(using: &random) ?? "orders-1",
            type: types.randomElement(using: &random) ?? "Placed", schemaVersion: Int.random(in: 1...3, using: &random),
            occurredAt: occurredAt, recordedBy: "clerk-\(Int.random(in: 1...3, using: &random))", payload: payload)
    }

    private func compare(_ store: LMDBEventStore, with model: LogModel, random: inout SplitMix64) throws {
        let log = model.events
        let pageSize = Int.random(in: 1...7, using: &random)

        #expect(try collect(store.events(), pageSize: pageSize) == log)
        #expect(try collect(store.eventsBackward(), pageSize: pageSize) == log.reversed())
        let start = UInt64.random(in: 1...UInt64(log.count), using: &random)
        #expect(try collect(store.events(from: start), pageSize: pageSize) == Array(log[Int(start - 1)...]))
        #expect(
            try collect(store.events(from: start, direction: .backward), pageSize: pageSize)
                == log[..<Int(start)].reversed())

        for stream in streams {
            let expected = log.filter { $0.stream == stream }
            #expect(try collect(store.events(inStream: stream), pageSize: pageSize) == expected)
            #expect(
                try collect(store.events(inStream: stream, direction: .backward), pageSize: pageSize)
                    == expected.reversed())
            #expect(try store.read { try $0.streamVersion(stream) } == model.versions[stream])
        }
        for type in types {
            let expected = log.filter { $0.type == type }
            #expect(try collect(store.events(ofType: type), pageSize: pageSize) == expected)
            #expect(
                try collect(store.events(ofType: type, direction: .backward), pageSize: pageSize) == expected.reversed()
            )
        }
        let lowest = firstDay * 86_400_000_000
        for _ in 0..<6 {
            let lower = lowest + Int64.random(in: -1...6, using: &random) * 43_200_000_000
            let upper = lower + Int64.random(in: 0...4, using: &random) * 43_200_000_000
            let expected = log.filter { (lower...upper).contains($0.occurredAt.sortKey) }
                .sorted { ($0.occurredAt.sortKey, $0.seq) < ($1.occurredAt.sortKey, $1.seq) }
            #expect(try collect(store.events(occurredFrom: lower, through: upper), pageSize: pageSize) == expected)
            #expect(
                try collect(store.events(occurredFrom: lower, through: upper, direction: .backward), pageSize: pageSize)
                    == expected.reversed())
        }

        let last = try #require(log.last)
        #expect(try store.head() == LogHead(seq: last.seq, hash: last.hash, recordedAt: last.recordedAt))
        for _ in 0..<10 {
            let probe = instant(Int64.random(in: -50...3100, using: &random))
            let expected = UInt64(log.lastIndex { $0.recordedAt <= probe }.map { $0 + 1 } ?? 0)
            #expect(try store.read { try $0.lastSeq(recordedAtOrBefore: probe) } == expected)
        }
        for event in log where Int.random(in: 0..<10, using: &random) == 0 {
            #expect(try store.read { try $0.event(id: event.id) } == event)
        }
        let report = try store.verify()
        #expect(report.isSound, "\(report.fault.map(String.init(describing:)) ?? "")")
        #expect(report.eventCount == UInt64(log.count))
    }
}
