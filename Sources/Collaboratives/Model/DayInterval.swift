/// A half-open interval of days `[start, end)`; an open interval has no end yet.
///
/// A membership from 2021-11-15 that ended on 2023-07-20 contains 2023-07-19 but
/// not 2023-07-20: on the day someone leaves, they are no longer active.
public struct DayInterval: Hashable, Sendable {
    /// The first day in the interval.
    public let start: Day
    /// The first day after the interval, or `nil` while it is still open.
    public let end: Day?

    /// Creates `[start, end)`.
    public init(start: Day, end: Day?) {
        self.start = start
        self.end = end
    }

    /// Whether `day` lies in `[start, end)`.
    public func contains(_ day: Day) -> Bool {
        start <= day && end.map { day < $0 } ?? true
    }
}
