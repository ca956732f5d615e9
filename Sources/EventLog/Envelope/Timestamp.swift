/// An instant in UTC with microsecond precision: the type of `recordedAt`.
///
/// Parsing and formatting are hand-written (RFC 3339) because Foundation's formatters cost tens of
/// microseconds per call, which a log of millions of events cannot afford.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public let microsecondsSinceEpoch: Int64

    /// Creates a timestamp from microseconds since the Unix epoch.
    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    /// The day containing this instant in UTC, as days since 1970-01-01.
    public var utcDay: Int64 { floorDivide(microsecondsSinceEpoch, 86_400_000_000) }

    /// RFC 3339 in UTC: `2021-11-20T09:12:03Z`, with `.ffffff` only when the microseconds are not zero.
    public var description: String {
        let micros = microsecondsSinceEpoch
        let day = floorDivide(micros, 86_400_000_000)
        let inDay = micros - day * 86_400_000_000
        let (year, month, dayOfMonth) = CivilCalendar.civil(fromDays: day)
        let seconds = inDay / 1_000_000
        let fraction = inDay % 1_000_000
        var text = CivilCalendar.format(year: year, month: month, day: dayOfMonth)
        text += "T" + pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if fraction != 0 { text += "." + pad(fraction, 6) }
        return text + "Z"
    }

    /// Parses RFC 3339 (`YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`); the fraction is truncated to microseconds.
    ///
    /// Returns `nil` for anything else, including out-of-range fields.
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, let days = CivilCalendar.parseDate(bytes[0..<10]) else { return nil }
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") else { return nil }
        guard let hour = digits(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"),
            let minute = digits(bytes, 14, 2), bytes[16] == UInt8(ascii: ":"),
            let second = digits(bytes, 17, 2), hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var micros: Int64 = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var count = 0
            while index < bytes.count, let digit = digitValue(bytes[index]) {
                if count < 6 { micros = micros * 10 + Int64(digit) }
                count += 1
                index += 1
            }
            guard count > 0, count <= 9 else { return nil }
            if count < 6 {
                for _ in count..<6 { micros *= 10 }
            }
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds: Int64 = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = bytes[index] == UInt8(ascii: "+") ? 1 : -1
            guard let offsetHour = digits(bytes, index + 1, 2), index + 3 < bytes.count,
                bytes[index + 3] == UInt8(ascii: ":"), let offsetMinute = digits(bytes, index + 4, 2),
                offsetHour < 24, offsetMinute < 60
            else { return nil }
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
            index += 6
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        self.microsecondsSinceEpoch = seconds * 1_000_000 + micros
    }
}

private func pad(_ value: Int64, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

private func digitValue(_ byte: UInt8) -> Int64? {
    byte >= 48 && byte <= 57 ? Int64(byte - 48) : nil
}

private func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int64? {
    guard start + count <= bytes.count else { return nil }
    var value: Int64 = 0
    for index in start..<(start + count) {
        guard let digit = digitValue(bytes[index]) else { return nil }
        value = value * 10 + digit
    }
    return value
}

func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
}

/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01).
enum CivilCalendar {
    /// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = floorDivide(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400
        let monthIndex = (month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day number (Howard Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Parses exactly `YYYY-MM-DD` into a day number, checking month and day ranges.
    static func parseDate(_ bytes: ArraySlice<UInt8>) -> Int64? {
        let bytes = Array(bytes)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = digits(bytes, 0, 4), let month = digits(bytes, 5, 2), let day = digits(bytes, 8, 2),
            (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        return days(year: year, month: month, day: day)
    }

    static func format(year: Int64, month: Int64, day: Int64) -> String {
        pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }
}
