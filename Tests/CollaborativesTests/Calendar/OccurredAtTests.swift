import Foundation
import Testing

@testable import Collaboratives

@Suite struct OccurredAtTests {
    @Test func aDateIsADay() throws {
        #expect(try OccurredAt.parse("2023-10-12") == .day(day("2023-10-12")))
    }

    @Test(arguments: [
        ("2023-10-12T09:30:00Z", "2023-10-12T09:30:00Z"),
        ("2023-10-12T10:30:00+01:00", "2023-10-12T09:30:00Z"),
        ("2023-10-12T04:00:00-05:30", "2023-10-12T09:30:00Z"),
        ("2023-10-12t09:30:00z", "2023-10-12T09:30:00Z"),
        ("2023-10-12T09:30:00.5Z", "2023-10-12T09:30:00.500000Z"),
        ("2023-10-12T09:30:00.000Z", "2023-10-12T09:30:00Z"),
        ("2023-10-12T09:30:00.123456789Z", "2023-10-12T09:30:00.123456Z"),
        ("2024-01-01T00:30:00+01:00", "2023-12-31T23:30:00Z"),
        ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.500000Z"),
    ])
    func timestampsHaveACanonicalUTCText(_ input: String, _ canonical: String) throws {
        #expect(try OccurredAt.parse(input).canonicalText == canonical)
        #expect(try OccurredAt.parse(canonical).canonicalText == canonical)
    }

    @Test func fractionsBeyondMicrosecondsAreTruncated() throws {
        let parsed = try OccurredAt.parse("1970-01-01T00:00:01.9999999Z")
        #expect(parsed == .instant(microsecondsSinceEpoch: 1_999_999))
    }

    @Test(arguments: [
        "2023-10-12T09:30Z", "2023-10-12T09:30:00", "2023-10-12 09:30:00Z", "2023-10-12T24:00:00Z",
        "2023-10-12T09:60:00Z", "2023-10-12T09:30:60Z", "2023-10-12T09:30:00.Z", "2023-10-12T09:30:00.1234567890Z",
        "2023-10-12T09:30:00+1:00", "2023-10-12T09:30:00+01:60", "2023-10-12T09:30:00+24:00",
        "2023-10-12T09:30:00+0100",
        "2023-02-29T09:30:00Z", "2023-10-12T09:30:00Zjunk", "2023-10-12X", "2023", "yesterday",
    ])
    func malformedTimesAreRefusedNamingOccurredAt(_ text: String) {
        #expect {
            try OccurredAt.parse(text)
        } throws: { error in
            guard let error = error as? DomainError else { return false }
            return error.kind == .invalidDate && error.field == "occurredAt" && !error.description.contains("\n")
        }
    }

    @Test func aDayIsItsOwnLocalDay() {
        #expect(OccurredAt.day(day("2023-07-01")).localDay == day("2023-07-01"))
    }

    @Test(arguments: [
        ("2023-07-01T23:30:00Z", "2023-07-02"),  // BST: 00:30 local
        ("2023-07-01T22:59:59Z", "2023-07-01"),
        ("2023-12-01T23:30:00Z", "2023-12-01"),  // GMT
        ("2023-03-26T00:59:59Z", "2023-03-26"),  // last second of GMT
        ("2023-03-26T23:30:00Z", "2023-03-27"),  // first day of BST
        ("2023-10-28T23:30:00Z", "2023-10-29"),  // still BST
        ("2023-10-29T23:30:00Z", "2023-10-29"),  // GMT again
        ("2023-10-12T23:30:00-05:00", "2023-10-13"),
    ])
    func localDayIsTheDateInLondon(_ instant: String, _ expected: String) {
        #expect(occurred(instant).localDay == day(expected))
    }

    @Test func sortKeyOfADayBeyondTheRangeOfMicrosecondsSaturatesInsteadOfTrapping() {
        #expect(OccurredAt.day(Day(daysSinceEpoch: .max)).sortKey == .max)
        #expect(OccurredAt.day(Day(daysSinceEpoch: .min)).sortKey == .min)
    }

    @Test func sortKeyCountsADayAsItsUTCMidnight() {
        #expect(OccurredAt.day(day("1970-01-02")).sortKey == 86_400_000_000)
        #expect(occurred("1970-01-02T00:00:00Z").sortKey == 86_400_000_000)
        #expect(occurred("1970-01-01T23:59:59Z").sortKey < OccurredAt.day(day("1970-01-02")).sortKey)
    }

    @Test func ruleBasedSummerTimeAgreesWithTheTimeZoneDatabase() throws {
        let london = try #require(LondonTime.zone)
        #expect(LondonTime.euRuleStart == Int64(day("1996-01-01").daysSinceEpoch) * 86_400)
        let start = LondonTime.euRuleStart
        let end = Int64(day("2037-12-31").daysSinceEpoch) * 86_400
        for seconds in stride(from: start, through: end, by: 3 * 3600 + 17) {
            let expected = london.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(LondonTime.ruleBasedSecondsFromUTC(atSecondsSinceEpoch: seconds) == expected)
        }
    }

    @Test func offsetFromUTCChangesWhenTheTimeZoneDatabaseSaysFrom1996On() throws {
        let london = try #require(LondonTime.zone)
        // Either side of 01:00 UTC on every last Sunday of March and October (the rule's transitions), and
        // at midnight on the first of every month, 1996 to 2099; before 1996 the database itself answers.
        var instants: [Int64] = []
        for year in 1996...2099 {
            for month in 1...12 {
                let first = Int64(CivilCalendar.daysFromCivil(year: year, month: month, day: 1)) * 86_400
                instants.append(first)
                guard month == 3 || month == 10 else { continue }
                let last = CivilCalendar.daysFromCivil(
                    year: year, month: month, day: CivilCalendar.daysInMonth(year: year, month: month))
                let lastSunday = Int64(last - ((last + 4) % 7 + 7) % 7) * 86_400
                instants += [lastSunday + 3599, lastSunday + 3600, lastSunday + 3601]
            }
        }
        instants += [day("1995-10-22"), day("1995-03-26"), day("1980-07-01")].map {
            Int64($0.daysSinceEpoch) * 86_400 + 3600
        }
        for seconds in instants {
            let expected = london.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(LondonTime.secondsFromUTC(atSecondsSinceEpoch: seconds) == expected, "at \(seconds)")
        }
    }
}
