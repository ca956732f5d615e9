import Foundation

/// The offset of the programme's local calendar (Europe/London) from UTC.
enum LondonTime {
    /// The Europe/London time zone from the system's time zone database, if present.
    static let zone: TimeZone? = TimeZone(identifier: "Europe/London")

    /// The first instant (1996-01-01T00:00:00Z) from which Europe/London follows the EU rule.
    static let euRuleStart: Int64 = 820_454_400

    /// Seconds east of UTC in Europe/London at an instant (3600 in British Summer Time, else 0).
    ///
    /// From 1996 on, the EU rule (summer time from 01:00 UTC on the last Sunday of March to 01:00 UTC
    /// on the last Sunday of October), which is what the time zone database says for those years
    /// (a test compares them); earlier instants use Foundation's time zone database, or the rule
    /// when the machine has none. Computing the rule rather than asking the database keeps ICU's
    /// time zone data from being loaded at every start-up: `record` needs today's date in London.
    static func secondsFromUTC(atSecondsSinceEpoch seconds: Int64) -> Int {
        if seconds < euRuleStart, let zone {
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
