/// When an event happened (valid time, the envelope's `occurredAt`): a calendar day or an exact instant.
///
/// The log keeps the distinction so that an export reproduces its input: a day is written back as
/// `YYYY-MM-DD`, an instant as RFC 3339 in UTC. For ordering, a day counts as its UTC midnight
/// (``sortKey``); a domain with a local calendar refines that when it reads.
public enum ValidTime: Hashable, Sendable, CustomStringConvertible {
    /// A calendar day, as days since 1970-01-01.
    case day(Int64)
    /// An exact instant.
    case instant(Timestamp)

    /// The day numbers a `.day` may hold: those whose midnight, in microseconds since the epoch, fits an
    /// `Int64` (about ±292,000 years). An append refuses others and the decoding of a stored event treats
    /// one outside as damage, so no reader's arithmetic on a day overflows.
    public static let dayRange: ClosedRange<Int64> = (Int64.min / 86_400_000_000)...(Int64.max / 86_400_000_000)

    /// The instants (microseconds since the epoch) a stored event may hold, `recordedAt` and an instant
    /// `occurredAt`: about ±146,000 years, leaving room for a reader's offsets (a time zone, a day) without
    /// overflow. As with ``dayRange``, an append refuses others and a decoding treats them as damage.
    public static let instantRange: ClosedRange<Int64> = -(1 << 62)...(1 << 62)

    /// Microseconds since the epoch used to order events in the `occurredAt` index.
    public var sortKey: Int64 {
        switch self {
        case .day(let days): days &* 86_400_000_000
        case .instant(let timestamp): timestamp.microsecondsSinceEpoch
        }
    }

    /// `YYYY-MM-DD` for a day, RFC 3339 UTC for an instant.
    public var description: String {
        switch self {
        case .day(let days):
            let (year, month, day) = CivilCalendar.civil(fromDays: days)
            return CivilCalendar.format(year: year, month: month, day: day)
        case .instant(let timestamp):
            return timestamp.description
        }
    }

    /// Parses `YYYY-MM-DD` or an RFC 3339 timestamp; `nil` when it is neither.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        if bytes.count == 10 {
            guard let days = CivilCalendar.parseDate(bytes[...]) else { return nil }
            self = .day(days)
        } else if let timestamp = Timestamp(rfc3339: text) {
            self = .instant(timestamp)
        } else {
            return nil
        }
    }
}
