import EventLog
import Testing

@Suite struct TransactionTimeTests {
    @Test func recordedAtComesFromTheInjectedClockAndIsSharedByABatch() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path, clock: FixedClock(instant(42)))
            let result = try store.append([newEvent("a"), newEvent("b"), newEvent("a")])
            #expect(result.appended.map(\.recordedAt) == Array(repeating: instant(42), count: 3))
            #expect(try store.head().recordedAt == instant(42))
        }
    }

    @Test func recordedAtNeverGoesBelowThePreviousEventsWhenTheClockGoesBackwards() throws {
        try withTemporaryDirectory { path in
            let clock = ManualClock(instant(100))
            let store = try openStore(path, clock: clock)
            try store.append([newEvent("s")])
            clock.set(instant(40))
            try store.append([newEvent("s")])
            clock.set(instant(90))
            try store.append([newEvent("s")])
            clock.set(instant(150))
            try store.append([newEvent("s")])
            #expect(try allEvents(store).map(\.recordedAt) == [instant(100), instant(100), instant(100), instant(150)])
            #expect(try store.verify().isSound)
        }
    }

    @Test func recordedAtStaysMonotonicAcrossReopeningWithAnEarlierClock() throws {
        try withTemporaryDirectory { path in
            do { _ = try openStore(path, clock: FixedClock(instant(500))).append([newEvent("s")]) }
            let store = try openStore(path, create: false, clock: FixedClock(instant(200)))
            let result = try store.append([newEvent("s")])
            #expect(result.appended.map(\.recordedAt) == [instant(500)])
        }
    }

    @Test func aClockExactlyTheToleranceBehindTheHeadIsClampedToIt() throws {
        try withTemporaryDirectory { path in
            let clock = ManualClock(instant(1_000))
            let store = try openStore(path, clock: clock)
            try store.append([newEvent("s")])
            clock.set(
                Timestamp(microsecondsSinceEpoch: instant(1_000).microsecondsSinceEpoch - ClockTolerance.behindHead))
            let result = try store.append([newEvent("s")])
            #expect(result.appended.map(\.recordedAt) == [instant(1_000)])
        }
    }

    @Test func anAppendWhoseClockIsFarBehindTheHeadIsRefusedNamingBothInstants() throws {
        try withTemporaryDirectory { path in
            let clock = ManualClock(instant(1_000_000))
            let store = try openStore(path, clock: clock)
            let first = try store.append([newEvent("s")])
            let behind = Timestamp(
                microsecondsSinceEpoch: instant(1_000_000).microsecondsSinceEpoch - ClockTolerance.behindHead - 1)
            clock.set(behind)
            let error = try #require(throws: EventLogError.self) { try store.append([newEvent("s")]) }
            #expect(error == .clockBehindHead(clock: behind, head: instant(1_000_000)))
            #expect(
                error.description.contains(behind.description) && error.description.contains("\(instant(1_000_000))"))
            #expect(try store.head() == first.head)
            #expect(try allEvents(store).count == 1)
        }
    }

    @Test func aRetryOfAStoredEventSucceedsWhateverTheClockSays() throws {
        try withTemporaryDirectory { path in
            let clock = ManualClock(instant(1_000_000))
            let store = try openStore(path, clock: clock)
            let event = newEvent("s")
            let first = try store.append([event])
            clock.set(instant(0))
            let retry = try store.append([event])
            #expect(retry.appended.isEmpty && retry.duplicates == first.appended)
        }
    }

    @Test func aStoreThatAllowsAClockBehindRecordsAtTheHeadsRecordedAt() throws {
        try withTemporaryDirectory { path in
            do { _ = try openStore(path, clock: FixedClock(instant(1_000_000))).append([newEvent("s")]) }
            let store = try LMDBEventStore(
                directory: path, options: .init(durable: false, allowsClockBehind: true), clock: FixedClock(instant(0)))
            let result = try store.append([newEvent("s")])
            #expect(result.appended.map(\.recordedAt) == [instant(1_000_000)])
            #expect(try store.verify().isSound)
        }
    }

    @Test func lastSeqRecordedAtOrBeforeIsZeroOnAnEmptyLog() throws {
        try withTemporaryDirectory { path in
            let store = try openStore(path)
            #expect(try store.read { try $0.lastSeq(recordedAtOrBefore: instant(0)) } == 0)
        }
    }

    @Test func lastSeqRecordedAtOrBeforeFindsTheLastEventRecordedByThatInstant() throws {
        try withTemporaryDirectory { path in
            let clock = ManualClock()
            let store = try openStore(path, clock: clock)
            // recordedAt by seq: 10 10 20 30 30 30 30 40 (the 25 is clamped to 30)
            for (seconds, count) in [(10, 2), (20, 1), (30, 3), (25, 1), (40, 1)] as [(Int64, Int)] {
                clock.set(instant(seconds))
                try store.append((0..<count).map { _ in newEvent("s") })
            }
            let recorded = try allEvents(store).map(\.recordedAt)
            #expect(recorded.count == 8)
            let (found, expected) = try store.read { view in
                var found: [UInt64] = []
                var expected: [UInt64] = []
                for seconds in Int64(0)...45 {
                    for micros in [Int64(-1), 0, 1] {
                        let probe = Timestamp(microsecondsSinceEpoch: instant(seconds).microsecondsSinceEpoch + micros)
                        found.append(try view.lastSeq(recordedAtOrBefore: probe))
                        expected.append(UInt64(recorded.lastIndex { $0 <= probe }.map { $0 + 1 } ?? 0))
                    }
                }
                return (found, expected)
            }
            #expect(found == expected)
            #expect(try store.read { try $0.lastSeq(recordedAtOrBefore: instant(30)) } == 7)
            #expect(try store.read { try $0.lastSeq(recordedAtOrBefore: instant(9)) } == 0)
            #expect(try store.read { try $0.lastSeq(recordedAtOrBefore: instant(10)) } == 2)
            #expect(try store.read { try $0.lastSeq(recordedAtOrBefore: instant(1000)) } == 8)
        }
    }

    @Test func timestampPrintsAndParsesRFC3339InUTC() throws {
        let stamp = try #require(Timestamp(rfc3339: "2021-11-20T09:12:03Z"))
        #expect(stamp.description == "2021-11-20T09:12:03Z")
        #expect(Timestamp(rfc3339: "2021-11-20T10:12:03.5+01:00")?.description == "2021-11-20T09:12:03.500000Z")
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59.999999Z")?.microsecondsSinceEpoch == -1)
        #expect(Timestamp(rfc3339: "2021-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2021-11-20 09:12:03Z") == nil)
        #expect(stamp.utcDay == 18_951)
    }

    @Test func validTimeOrdersDaysAtUTCMidnightAndKeepsItsKind() throws {
        let day = try #require(ValidTime(parsing: "2021-11-20"))
        let instantOnThatDay = try #require(ValidTime(parsing: "2021-11-20T00:00:00Z"))
        #expect(day == .day(18_951))
        #expect(day.sortKey == instantOnThatDay.sortKey)
        #expect(day != instantOnThatDay)
        #expect(day.description == "2021-11-20")
        #expect(ValidTime.day(-1).description == "1969-12-31")
        #expect(ValidTime(parsing: "2021-13-01") == nil)
    }
}
