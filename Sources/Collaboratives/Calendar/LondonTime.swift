import Foundation

/// The offset of the programme's local calendar (Europe/London) from UTC.
enum LondonTime {
    /// The Europe/London time zone from the system's time zone database, if present.
    static let zone: TimeZone? = TimeZone(identifier: "Europe/London")

    /// Seconds east of UTC in Europe/London at an instant (3600 in British Summer Time, else 0).
    ///
    /// Uses Foundation's time zone database; when the machine has none, falls back to
    /// the EU rule in force since 1996 (summer time from 01:00 UTC on the last Sunday
    /// of March to 01:00 UTC on the last Sunday of October).
    static func secondsFromUTC(atSecondsSinceEpoch seconds: Int64) -> Int {
        if let zone {
            return zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
        return ruleBasedSecondsFromUTC(atSecondsSinceEpoch: seconds)
    }

    /// The EU summer-time rule, without a time zone database.
    static func ruleBasedSecondsFromUTC(atSecondsSinceEpoch seconds: Int64) -> Int {
        let day = Int(OccurredAt.floorDivide(seconds, by: 86_400))
        let year = CivilCalendar.civilFromDays(day).year
        let start = Int64(lastSunday(year: year, month: 3)) * 86_400 + 3600
        let end = Int64(lastSunday(year: year, month: 10)) * 86_400 + 3600
        return (start..<end).contains(seconds) ? 3600 : 0
    }

    /// The day number of the last Sunday of a month.
    private static func lastSunday(year: Int, month: Int) -> Int {
        let last = CivilCalendar.daysFromCivil(
            year: year, month: month, day: CivilCalendar.daysInMonth(year: year, month: month))
        // 1970-01-01 was a Thursday: weekday 0 = Sunday when (days + 4) mod 7 == 0.
        let weekday = ((last + 4) % 7 + 7) % 7
        return last - weekday
    }
}
