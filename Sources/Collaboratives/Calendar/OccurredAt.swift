/// When an event happened (valid time): a whole day, or an instant.
///
/// Days are days of the programme's local calendar (Europe/London); instants
/// are kept in UTC to the microsecond. Events are ordered on the timeline by
/// ``localDay`` first, then by ``sortKey``.
///
/// ```swift
/// let day = try OccurredAt.parse("2023-10-12")
/// let instant = try OccurredAt.parse("2023-10-12T23:30:00Z")
/// instant.localDay.description   // "2023-10-13" (00:30 in London, summer time)
/// instant.canonicalText          // "2023-10-12T23:30:00Z"
/// ```
public enum OccurredAt: Hashable, Sendable {
    /// A day of the Europe/London calendar.
    case day(Day)
    /// An instant, in microseconds since 1970-01-01T00:00:00Z.
    case instant(microsecondsSinceEpoch: Int64)

    static let microsecondsPerSecond: Int64 = 1_000_000
    static let microsecondsPerDay: Int64 = 86_400 * microsecondsPerSecond

    /// Parses `YYYY-MM-DD` or an RFC 3339 timestamp (`YYYY-MM-DDTHH:MM:SS`, an optional
    /// fraction of up to 9 digits that is truncated to microseconds, then `Z` or `±HH:MM`).
    ///
    /// - Throws: ``DomainError`` of kind `.invalidDate` naming the field `occurredAt`.
    public static func parse(_ text: String) throws(DomainError) -> OccurredAt {
        try OccurredAtParser.parse(text, field: "occurredAt")
    }

    /// The canonical text: `YYYY-MM-DD` for a day; for an instant, UTC
    /// `YYYY-MM-DDTHH:MM:SSZ` with a six-digit `.ffffff` fraction only when it is not zero.
    public var canonicalText: String {
        switch self {
        case .day(let day):
            return day.description
        case .instant(let micros):
            let (days, microsOfDay) = Self.split(micros)
            let seconds = Int(microsOfDay / Self.microsecondsPerSecond)
            let fraction = Int(microsOfDay % Self.microsecondsPerSecond)
            var text = Day(daysSinceEpoch: Int32(clamping: days)).description + "T"
            text += CivilCalendar.padded(seconds / 3600, width: 2) + ":"
            text += CivilCalendar.padded(seconds / 60 % 60, width: 2) + ":"
            text += CivilCalendar.padded(seconds % 60, width: 2)
            if fraction != 0 {
                text += "." + CivilCalendar.padded(fraction, width: 6)
            }
            return text + "Z"
        }
    }

    /// The day this happened on in Europe/London; a `.day` is itself.
    public var localDay: Day {
        switch self {
        case .day(let day):
            return day
        case .instant(let micros):
            let seconds = Self.floorDivide(micros, by: Self.microsecondsPerSecond)
            let local =
                micros + Int64(LondonTime.secondsFromUTC(atSecondsSinceEpoch: seconds)) * Self.microsecondsPerSecond
            return Day(daysSinceEpoch: Int32(clamping: Self.split(local).days))
        }
    }

    /// Microseconds since the epoch, for ordering events within a day; a `.day`
    /// counts as its UTC midnight.
    public var sortKey: Int64 {
        switch self {
        // Saturating: a `Day` can be made from any number, and an ordering key must not trap.
        case .day(let day):
            Int64(day.daysSinceEpoch).multipliedReportingOverflow(by: Self.microsecondsPerDay).overflow
                ? (day.daysSinceEpoch < 0 ? .min : .max)
                : Int64(day.daysSinceEpoch) * Self.microsecondsPerDay
        case .instant(let micros): micros
        }
    }

    /// Whole days since the epoch and the microseconds into that (UTC) day.
    static func split(_ micros: Int64) -> (days: Int64, microsOfDay: Int64) {
        let days = floorDivide(micros, by: microsecondsPerDay)
        return (days, micros - days * microsecondsPerDay)
    }

    /// Division rounding towards negative infinity.
    static func floorDivide(_ value: Int64, by divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

extension OccurredAt: CustomStringConvertible {
    /// The ``canonicalText``.
    public var description: String { canonicalText }
}
