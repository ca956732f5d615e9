import EventLog
import Testing

/// Appends 23 events over streams s1…s3 and types A, B, C with valid times that tie across days and
/// instants, in batches of uneven size; returns what the appends reported.
private func appendFixture(to store: some EventStore) throws -> [RecordedEvent] {
    var events: [NewEvent] = []
    for index in 0..<23 {
        let day = Int64(19_000 + (index * 3) % 5)
        let occurredAt: ValidTime =
            switch index % 4 {
            case 0: .day(day)
            case 1: .instant(Timestamp(microsecondsSinceEpoch: day * 86_400_000_000))  // ties with the day
            case 2: .instant(Timestamp(microsecondsSinceEpoch: day * 86_400_000_000 + Int64(index) * 3_600_000_000))
            default: .day(day - 400)
            }
        events.append(
            newEvent("s\(index % 3 + 1)", type: ["A", "B", "C"][(index * 7 / 3) % 3], occurredAt: occurredAt))
    }
    var recorded: [RecordedEvent] = []
    var start = 0
    for size in [1, 4, 2, 5, 3, 1, 7] {
        recorded += try store.append(Array(events[start..<(start + size)])).appended
        start += size
    }
    return recorded
}

/// `events` ordered as the occurredAt index orders them: valid time, then seq.
private func byValidTime(_ events: [RecordedEvent]) -> [RecordedEvent] {
    events.sorted { ($0.occurredAt.sortKey, $0.seq) < ($1.occurredAt.sortKey, $1.seq) }
}

private let pageSizes = [1, 3, 512]

@Suite struct ReadTests {
    @Test(arguments: StoreKind.available) func globalReadsForwardAndBackwardAgreeAtEveryPageSize(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            let log = try appendFixture(to: store)
            for pageSize in pageSizes {
                #expect(try collect(store.events(), pageSize: pageSize) == log)
                #expect(try collect(store.eventsBackward(), pageSize: pageSize) == log.reversed())
            }
        }
    }

    @Test(arguments: StoreKind.available) func globalBackwardReadWithoutAStartBeginsAtTheHead(_ kind: StoreKind) throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            let log = try appendFixture(to: store)
            #expect(try collect(store.events(direction: .backward), pageSize: 3) == log.reversed())
        }
    }

    @Test(arguments: StoreKind.available) func globalReadsStartAtTheGivenSeqInEitherDirection(_ kind: StoreKind) throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            let log = try appendFixture(to: store)
            for pageSize in pageSizes {
                #expect(try collect(store.events(from: 5), pageSize: pageSize) == Array(log[4...]))
                #expect(
                    try collect(store.events(from: 7, direction: .backward), pageSize: pageSize) == log[..<7].reversed()
                )
                #expect(try collect(store.events(from: 1, direction: .backward), pageSize: pageSize) == [log[0]])
                #expect(try collect(store.events(from: 23), pageSize: pageSize) == [log[22]])
                #expect(try collect(store.events(from: 24), pageSize: pageSize).isEmpty)
                #expect(try collect(store.events(from: 99, direction: .backward), pageSize: pageSize) == log.reversed())
            }
        }
    }

    @Test(arguments: StoreKind.available) func streamReadsReturnTheStreamInVersionOrderInEitherDirection(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let log = try appendFixture(to: store)
            for stream in ["s1", "s2", "s3"] {
                let expected = log.filter { $0.stream == stream }
                #expect(expected.map(\.streamVersion) == Array(1...UInt64(expected.count)))
                for pageSize in pageSizes {
                    #expect(try collect(store.events(inStream: stream), pageSize: pageSize) == expected)
                    #expect(
                        try collect(store.events(inStream: stream, direction: .backward), pageSize: pageSize)
                            == expected.reversed())
                    #expect(
                        try collect(store.events(inStream: stream, from: 3), pageSize: pageSize)
                            == Array(expected[2...]))
                    #expect(
                        try collect(store.events(inStream: stream, from: 4, direction: .backward), pageSize: pageSize)
                            == expected[..<4].reversed())
                }
            }
            #expect(try collect(store.events(inStream: "s1", from: 1, direction: .backward), pageSize: 3).count == 1)
        }
    }

    @Test(arguments: StoreKind.available) func typeReadsReturnOnlyThatTypeInSeqOrderInEitherDirection(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            let log = try appendFixture(to: store)
            for type in ["A", "B", "C"] {
                let expected = log.filter { $0.type == type }
                #expect(!expected.isEmpty)
                for pageSize in pageSizes {
                    #expect(try collect(store.events(ofType: type), pageSize: pageSize) == expected)
                    #expect(
                        try collect(store.events(ofType: type, direction: .backward), pageSize: pageSize)
                            == expected.reversed())
                }
            }
        }
    }

    @Test(arguments: StoreKind.available) func occurredRangeReadsReturnEventsInValidTimeOrderInEitherDirection(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let log = try appendFixture(to: store)
            let dayStart: (Int64) -> Int64 = { $0 * 86_400_000_000 }
            let ranges: [(Int64, Int64)] = [
                (.min, .max), (dayStart(19_001), dayStart(19_003)), (dayStart(19_002), dayStart(19_002)),
                (dayStart(19_002) + 1, dayStart(19_003) - 1), (dayStart(18_000), dayStart(18_700)),
                (dayStart(20_000), .max), (dayStart(19_003), dayStart(19_001)),
            ]
            for (lower, upper) in ranges {
                let expected = byValidTime(log.filter { (lower...max(lower, upper)).contains($0.occurredAt.sortKey) })
                let reference = lower <= upper ? expected : []
                for pageSize in pageSizes {
                    let forward = try collect(store.events(occurredFrom: lower, through: upper), pageSize: pageSize)
                    let backward = try collect(
                        store.events(occurredFrom: lower, through: upper, direction: .backward), pageSize: pageSize)
                    #expect(forward == reference, "range \(lower)...\(upper), page \(pageSize)")
                    #expect(backward == reference.reversed(), "range \(lower)...\(upper), page \(pageSize)")
                }
            }
            #expect(
                try collect(store.events(occurredFrom: dayStart(19_002), through: dayStart(19_002)), pageSize: 2).count
                    > 1)
        }
    }

    @Test(arguments: StoreKind.available) func readsOfAnUnknownStreamOrTypeAreEmpty(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            _ = try appendFixture(to: store)
            #expect(try collect(store.events(inStream: "s"), pageSize: 3).isEmpty)
            #expect(try collect(store.events(inStream: "s4", direction: .backward), pageSize: 3).isEmpty)
            #expect(try collect(store.events(ofType: "D"), pageSize: 3).isEmpty)
            #expect(try collect(store.events(ofType: "", direction: .backward), pageSize: 3).isEmpty)
        }
    }

    @Test(arguments: StoreKind.available) func streamsAndTypesWhoseNamesArePrefixesOfOthersDoNotMix(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let store = try stores.open()
            try store.append([
                newEvent("a", type: "T"), newEvent("ab", type: "T2"), newEvent("a", type: "T"),
                newEvent("a\u{1}", type: "T "),
                newEvent("ab", type: "T2"),
            ])
            #expect(try collect(store.events(inStream: "a"), pageSize: 1).map(\.seq) == [1, 3])
            #expect(try collect(store.events(inStream: "a", direction: .backward), pageSize: 1).map(\.seq) == [3, 1])
            #expect(try collect(store.events(inStream: "ab", direction: .backward), pageSize: 1).map(\.seq) == [5, 2])
            #expect(try collect(store.events(ofType: "T"), pageSize: 1).map(\.seq) == [1, 3])
            #expect(try collect(store.events(ofType: "T", direction: .backward), pageSize: 1).map(\.seq) == [3, 1])
            #expect(try store.read { try $0.streamVersion("a") } == 2)
            #expect(try store.read { try $0.streamVersion("ab") } == 2)
        }
    }

    @Test(arguments: StoreKind.available) func scanStopsAsSoonAsTheBodyReturnsFalse(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let log = try appendFixture(to: store)
            let seen = try store.read { view in
                var seen: [UInt64] = []
                try view.scan(from: 3, direction: .forward) { event in
                    seen.append(event.seq)
                    return seen.count < 4
                }
                return seen
            }
            #expect(seen == [3, 4, 5, 6])
            #expect(try store.events().collect(limit: 2) == Array(log[..<2]))
        }
    }

    @Test(arguments: StoreKind.available, ["global", "stream", "type", "occurred"])
    func readThatHasStartedDoesNotSeeEventsAppendedLater(_ kind: StoreKind, query: String) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            for _ in 0..<7 { try store.append([newEvent("s", type: "T", occurredAt: .day(19_000))]) }
            var sequence =
                switch query {
                case "global": store.events()
                case "stream": store.events(inStream: "s")
                case "type": store.events(ofType: "T")
                default: store.events(occurredFrom: .min, through: .max)
                }
            sequence.pageSize = 3
            var cursor = sequence.makeCursor()
            let first = try #require(try cursor.next())
            for _ in 0..<5 { try store.append([newEvent("s", type: "T", occurredAt: .day(19_000))]) }
            var seqs = [first.seq]
            while let event = try cursor.next() { seqs.append(event.seq) }
            #expect(seqs == Array(1...7))
            #expect(try collect(sequence, pageSize: 3).count == 12, "a fresh read of the same sequence sees them")
        }
    }

    @Test(arguments: StoreKind.available) func backwardReadThatHasStartedDoesNotSeeEventsAppendedLater(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            for _ in 0..<7 { try store.append([newEvent("s")]) }
            var sequence = store.events(inStream: "s", direction: .backward)
            sequence.pageSize = 2
            var cursor = sequence.makeCursor()
            var versions: [UInt64] = []
            if let event = try cursor.next() { versions.append(event.streamVersion) }
            try store.append([newEvent("s"), newEvent("s")])
            while let event = try cursor.next() { versions.append(event.streamVersion) }
            #expect(versions == [7, 6, 5, 4, 3, 2, 1])
        }
    }

    @Test(arguments: StoreKind.available) func pageSizeBelowOneReadsOneEventAtATime(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            #expect(try collect(store.events(), pageSize: 0).isEmpty)
            #expect(try collect(store.events(inStream: "s1"), pageSize: -1).isEmpty)
            let log = try appendFixture(to: store)
            #expect(try collect(store.events(), pageSize: 0) == log)
            #expect(try collect(store.eventsBackward(), pageSize: -5) == log.reversed())
        }
    }

    @Test(arguments: StoreKind.available) func forEachVisitsEveryEventOfTheRead(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let store = try stores.open()
            let log = try appendFixture(to: store)
            var sequence = store.events(inStream: "s2")
            sequence.pageSize = 2
            var visited: [RecordedEvent] = []
            try sequence.forEach { visited.append($0) }
            #expect(visited == log.filter { $0.stream == "s2" })
        }
    }
}
