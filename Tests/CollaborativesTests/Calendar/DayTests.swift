import Foundation
import Testing

@testable import Collaboratives

@Suite struct DayTests {
    @Test func epochIsDayZero() {
        #expect(Day(parsing: "1970-01-01")?.daysSinceEpoch == 0)
        #expect(Day(parsing: "1969-12-31")?.daysSinceEpoch == -1)
        #expect(Day(parsing: "2000-03-01")?.daysSinceEpoch == 11_017)
    }

    @Test(arguments: ["2000-02-29", "2024-02-29", "1600-02-29", "2021-12-31", "0001-01-01", "9999-12-31"])
    func existingDatesParseAndPrintTheSame(_ text: String) {
        #expect(Day(parsing: text)?.description == text)
    }

    @Test(arguments: [
        "2023-02-29", "1900-02-29", "2100-02-29", "2021-04-31", "2021-06-31", "2021-13-01", "2021-00-10",
        "2021-01-00", "2021-01-32", "2021-1-01", "21-01-01", "2021/01/01", "2021-01-01 ", "+021-01-01",
        "2021-01-0a", "", "２０２１-01-01", "2021-01-01T00:00:00Z",
    ])
    func nonexistentOrMalformedDatesAreRefused(_ text: String) {
        #expect(Day(parsing: text) == nil)
    }

    @Test func leapYearsFollowTheGregorianRule() {
        #expect(CivilCalendar.isLeapYear(2024))
        #expect(CivilCalendar.isLeapYear(2000))
        #expect(!CivilCalendar.isLeapYear(1900))
        #expect(!CivilCalendar.isLeapYear(2023))
    }

    @Test func everyDayOfTwoCenturiesRoundTripsThroughItsText() {
        guard let first = Day(parsing: "1900-01-01"), let last = Day(parsing: "2100-12-31") else {
            Issue.record("bounds do not parse")
            return
        }
        var previous: (year: Int, month: Int, day: Int)?
        for number in first.daysSinceEpoch...last.daysSinceEpoch {
            let current = Day(daysSinceEpoch: number)
            let components = current.components
            #expect(Day(year: components.year, month: components.month, day: components.day) == current)
            if let previous {
                let nextDay = previous.day + 1 == components.day && previous.month == components.month
                let nextMonth = components.day == 1 && (components.month == previous.month % 12 + 1)
                #expect(nextDay || nextMonth, "\(current) does not follow \(previous)")
            }
            previous = components
        }
    }

    @Test func arithmeticAgreesWithFoundationsGregorianCalendarSinceTheGregorianReform() throws {
        // Foundation switches to the Julian calendar before October 1582; `Day` is proleptic Gregorian.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for number in stride(from: day("1583-01-01").daysSinceEpoch, through: 200_000, by: 997) {
            let date = Date(timeIntervalSince1970: TimeInterval(number) * 86_400)
            let expected = calendar.dateComponents([.year, .month, .day], from: date)
            let components = Day(daysSinceEpoch: number).components
            #expect(components.year == expected.year)
            #expect(components.month == expected.month)
            #expect(components.day == expected.day)
        }
    }

    @Test func addingDaysCrossesMonthsAndYears() {
        #expect(day("2023-12-31").adding(days: 1) == day("2024-01-01"))
        #expect(day("2024-02-28").adding(days: 1) == day("2024-02-29"))
        #expect(day("2023-02-28").adding(days: 1) == day("2023-03-01"))
        #expect(day("2024-03-01").adding(days: -1) == day("2024-02-29"))
        #expect(day("2021-09-01").adding(days: 365) == day("2022-09-01"))
    }

    @Test func addingYearsTurnsFebruary29IntoFebruary28InACommonYear() {
        #expect(day("2024-02-29").adding(years: 1) == day("2025-02-28"))
        #expect(day("2024-02-29").adding(years: 4) == day("2028-02-29"))
        #expect(day("2024-02-29").adding(years: -1) == day("2023-02-28"))
        #expect(day("2021-09-01").adding(years: 2) == day("2023-09-01"))
    }

    @Test func extremeArithmeticClampsInsteadOfTrapping() {
        let far = day("2021-09-01").adding(days: Int.max)
        #expect(far.daysSinceEpoch == Int32.max)
        _ = day("2021-09-01").adding(years: Int.min)
    }

    @Test func daysCompareChronologically() {
        #expect(day("2021-12-31") < day("2022-01-01"))
        #expect([day("2023-05-01"), day("2021-01-01")].sorted() == [day("2021-01-01"), day("2023-05-01")])
    }

    @Test func todayIsTheDateInLondon() {
        // 23:30 UTC on 1 July 2023 is 00:30 on 2 July in British Summer Time.
        let summerNight = Date(timeIntervalSince1970: TimeInterval(day("2023-07-01").daysSinceEpoch) * 86_400 + 84_600)
        #expect(Day.londonToday(now: summerNight) == day("2023-07-02"))
        let winterNight = Date(timeIntervalSince1970: TimeInterval(day("2023-12-01").daysSinceEpoch) * 86_400 + 84_600)
        #expect(Day.londonToday(now: winterNight) == day("2023-12-01"))
    }
}
