public import EventLog

extension OccurredAt {
    /// The envelope's valid time for this date or instant.
    public var validTime: ValidTime {
        switch self {
        case .day(let day): .day(Int64(day.daysSinceEpoch))
        case .instant(let micros): .instant(Timestamp(microsecondsSinceEpoch: micros))
        }
    }

    /// The domain's view of an envelope's valid time.
    public init(_ validTime: ValidTime) {
        switch validTime {
        case .day(let days): self = .day(Day(daysSinceEpoch: Int32(clamping: days)))
        case .instant(let timestamp): self = .instant(microsecondsSinceEpoch: timestamp.microsecondsSinceEpoch)
        }
    }
}

extension Day {
    /// The Europe/London day containing `instant` (the "today" of the future-date rule).
    public static func londonDay(of instant: Timestamp) -> Day {
        OccurredAt.instant(microsecondsSinceEpoch: instant.microsecondsSinceEpoch).localDay
    }
}
