import EventLog
import Testing

@Suite struct TransactionTimeTests {
    @Test func recordedAtStaysMonotonicAcrossReopeningWithAnEarlierClock() throws {
        try withTemporaryDirectory { path in
            do { _ = try openStore(path, clock: FixedClock(instant(500))).append([newEvent("s")]) }
            let store = try openStore(path, create: false, clock: FixedClock(instant(200)))
            let result = try store.append([newEvent("s")])
            #expect(result.appended.map(\.recordedAt) == [instant(500)])
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
