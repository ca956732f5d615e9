/// The strict parser behind ``OccurredAt/parse(_:)``.
enum OccurredAtParser {
    /// Parses a day or an RFC 3339 timestamp; `field` names the field in errors.
    static func parse(_ text: String, field: String) throws(DomainError) -> OccurredAt {
        let bytes = Array(text.utf8)
        func fail(_ reason: String) -> DomainError {
            DomainError(
                .invalidDate, field: field,
                message: "\(Quoting.quoted(text)) is not a date (YYYY-MM-DD) or an RFC 3339 timestamp: \(reason)")
        }
        guard bytes.count >= 10 else { throw fail("too short") }
        guard let day = Day(parsing: String(decoding: bytes[0..<10], as: UTF8.self)) else {
            throw fail("the date part is not a valid YYYY-MM-DD date")
        }
        if bytes.count == 10 { return .day(day) }
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") else {
            throw fail("expected 'T' after the date")
        }
        guard bytes.count >= 20, bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let hour = CivilCalendar.number(bytes[11..<13]),
            let minute = CivilCalendar.number(bytes[14..<16]),
            let second = CivilCalendar.number(bytes[17..<19])
        else { throw fail("expected HH:MM:SS after 'T'") }
        guard hour < 24, minute < 60, second < 60 else { throw fail("time of day out of range") }
        var index = 19
        var fraction: Int64 = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, let digit = CivilCalendar.number(bytes[index..<index + 1]) {
                digits += 1
                if digits <= 6 { fraction = fraction * 10 + Int64(digit) }
                index += 1
            }
            guard (1...9).contains(digits) else { throw fail("the fraction of a second has 1 to 9 digits") }
            if digits < 6 {
                for _ in digits..<6 { fraction *= 10 }
            }
        }
        let offsetSeconds = try offset(bytes[index...], fail: fail)
        let seconds =
            Int64(day.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return .instant(microsecondsSinceEpoch: seconds * OccurredAt.microsecondsPerSecond + fraction)
    }

    /// Seconds east of UTC of a `Z` / `±HH:MM` suffix.
    private static func offset(
        _ suffix: ArraySlice<UInt8>, fail: (String) -> DomainError
    ) throws(DomainError) -> Int {
        if suffix.count == 1, suffix.first == UInt8(ascii: "Z") || suffix.first == UInt8(ascii: "z") {
            return 0
        }
        let start = suffix.startIndex
        guard suffix.count == 6, suffix[start] == UInt8(ascii: "+") || suffix[start] == UInt8(ascii: "-"),
            suffix[start + 3] == UInt8(ascii: ":"),
            let hours = CivilCalendar.number(suffix[start + 1..<start + 3]),
            let minutes = CivilCalendar.number(suffix[start + 4..<start + 6])
        else { throw fail("expected 'Z' or an offset ±HH:MM after the time") }
        guard hours < 24, minutes < 60 else { throw fail("offset out of range") }
        let magnitude = hours * 3600 + minutes * 60
        return suffix[start] == UInt8(ascii: "-") ? -magnitude : magnitude
    }
}
