import EventLog
import Testing

@Suite struct TransactionTimeTests {
    @Test(arguments: StoreKind.available) func recordedAtComesFromTheInjectedClockAndIsSharedByABatch(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open(clock: FixedClock(instant(42)))
            let result = try store.append([newEvent("a"), newEvent("b"), newEvent("a")])
            #expect(result.appended.map(\.recordedAt) == Array(repeating: instant(42), count: 3))
            #expect(try store.head().recordedAt == instant(42))
        }
    }

    @Test(arguments: StoreKind.available) func recordedAtNeverGoesBelowThePreviousEventsWhenTheClockGoesBackwards(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let clock = ManualClock(instant(100))
            let store = try stores.open(clock: clock)
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

    @Test(arguments: StoreKind.available) func aClockExactlyTheToleranceBehindTheHeadIsClampedToIt(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let clock = ManualClock(instant(1_000))
            let store = try stores.open(clock: clock)
            try store.append([newEvent("s")])
            clock.set(
                Timestamp(microsecondsSinceEpoch: instant(1_000).microsecondsSinceEpoch - ClockTolerance.behindHead))
            let result = try store.append([newEvent("s")])
            #expect(result.appended.map(\.recordedAt) == [instant(1_000)])
        }
    }

    @Test(arguments: StoreKind.available) func anAppendWhoseClockIsFarBehindTheHeadIsRefusedNamingBothInstants(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let clock = ManualClock(instant(1_000_000))
            let store = try stores.open(clock: clock)
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

    @Test(arguments: StoreKind.available) func aRetryOfAStoredEventSucceedsWhateverTheClockSays(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let clock = ManualClock(instant(1_000_000))
            let store = try stores.open(clock: clock)
            let event = newEvent("s")
            let first = try store.append([event])
            clock.set(instant(0))
            let retry = try store.append([event])
            #expect(retry.appended.isEmpty && retry.duplicates == first.appended)
        }
    }

    @Test(arguments: StoreKind.available) func lastSeqRecordedAtOrBeforeIsZeroOnAnEmptyLog(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            #expect(try store.read { try $0.lastSeq(recordedAtOrBefore: instant(0)) } == 0)
        }
    }

    @Test(arguments: StoreKind.available) func lastSeqRecordedAtOrBeforeFindsTheLastEventRecordedByThatInstant(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let clock = ManualClock()
            let store = try stores.open(clock: clock)
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
}
