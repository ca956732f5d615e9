/// A day of the proleptic Gregorian calendar, counted from 1970-01-01.
///
/// Days are the unit of validity in Chronicle: memberships, roles and sub-group
/// memberships are half-open intervals of days. `Day` is a plain number, so
/// comparing, hashing and storing it costs nothing; parsing and printing use
/// hand-written civil calendar arithmetic (no `DateFormatter`).
///
/// ```swift
/// let start = Day(parsing: "2021-09-01")   // Optional(2021-09-01)
/// start?.adding(years: 1).description      // "2022-09-01"
/// ```
public struct Day: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01 (negative before it).
    public let daysSinceEpoch: Int32

    /// The day numbers a decoder of stored bytes accepts: those whose midnight, in microseconds since the
    /// epoch, fits an `Int64`. A damaged number outside it is refused where it is read, so that no
    /// arithmetic on it (a sort key, a period) overflows later.
    public static let storableRange: ClosedRange<Int64> = (Int64.min / 86_400_000_000)...(Int64.max / 86_400_000_000)

    /// Creates the day that lies `daysSinceEpoch` days after 1970-01-01.
    public init(daysSinceEpoch: Int32) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// Creates a day from its civil date, or `nil` when the date does not exist
    /// (month outside 1...12, day outside the month, February 29 of a common year).
    public init?(year: Int, month: Int, day: Int) {
        guard (-1_000_000...1_000_000).contains(year), (1...12).contains(month) else { return nil }
        guard (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        self.daysSinceEpoch = Int32(CivilCalendar.daysFromCivil(year: year, month: month, day: day))
    }

    /// Parses a strict `YYYY-MM-DD` date: exactly four year digits, two month
    /// digits and two day digits, and a date that exists; anything else is `nil`.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        guard let year = CivilCalendar.number(bytes[0..<4]),
            let month = CivilCalendar.number(bytes[5..<7]),
            let day = CivilCalendar.number(bytes[8..<10])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The civil year, month (1...12) and day of the month (1...31).
    public var components: (year: Int, month: Int, day: Int) {
        CivilCalendar.civilFromDays(Int(daysSinceEpoch))
    }

    /// The day `days` days later (earlier when negative), clamped to the representable range.
    public func adding(days: Int) -> Day {
        let clampedDays = max(min(days, Int(Int32.max)), Int(Int32.min))
        return Day(daysSinceEpoch: Int32(clamping: Int(daysSinceEpoch) + clampedDays))
    }

    /// The same month and day `years` years later (earlier when negative); February 29
    /// becomes February 28 in a common year.
    public func adding(years: Int) -> Day {
        let (year, month, day) = components
        let targetYear = max(min(year + max(min(years, 2_000_000), -2_000_000), 1_000_000), -1_000_000)
        let targetDay = min(day, CivilCalendar.daysInMonth(year: targetYear, month: month))
        let days = CivilCalendar.daysFromCivil(year: targetYear, month: month, day: targetDay)
        return Day(daysSinceEpoch: Int32(clamping: days))
    }

    /// The first day an input may name (1900-01-01): earlier dates are typing slips (year 0000 turned a
    /// report into one row per month for 24,000 lines), not programme history.
    public static let earliestAccepted = Day(daysSinceEpoch: -25_567)
    /// The last day an input may name (2200-12-31), for the same reason.
    public static let latestAccepted = Day(daysSinceEpoch: 84_370)

    /// Whether the day lies between ``earliestAccepted`` and ``latestAccepted``.
    public var isAccepted: Bool { (Self.earliestAccepted...Self.latestAccepted).contains(self) }

    /// Orders days chronologically.
    public static func < (lhs: Day, rhs: Day) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }
}

extension Day: CustomStringConvertible {
    /// The date as `YYYY-MM-DD` (years outside 0...9999 keep their sign and digits).
    public var description: String {
        let (year, month, day) = components
        let yearText = year < 0 ? "-" + CivilCalendar.padded(-year, width: 4) : CivilCalendar.padded(year, width: 4)
        return yearText + "-" + CivilCalendar.padded(month, width: 2) + "-" + CivilCalendar.padded(day, width: 2)
    }
}
