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

/// Consecutive, non-overlapping intervals of one relationship (a membership,
/// a sub-group membership, a tenure), opened and closed in timeline order.
struct IntervalList: Sendable {
    private(set) var intervals: [DayInterval] = []

    /// The start of the interval still open, if any.
    var openSince: Day? {
        guard let last = intervals.last, last.end == nil else { return nil }
        return last.start
    }

    /// The end of the last closed interval, if the list is closed.
    var lastEnd: Day? { intervals.last?.end }

    /// Opens a new interval; the caller has checked that none is open.
    mutating func open(at day: Day) {
        intervals.append(DayInterval(start: day, end: nil))
    }

    /// Closes the open interval on `day`; the caller has checked one is open.
    mutating func close(at day: Day) {
        guard let last = intervals.popLast() else { return }
        intervals.append(DayInterval(start: last.start, end: max(day, last.start)))
    }

    /// Whether some interval contains `day`, in O(log n): intervals are sorted and
    /// disjoint, so only the last one starting on or before `day` can contain it.
    func contains(_ day: Day) -> Bool {
        let low = intervals.partitioningIndex { $0.start > day }
        return low > 0 && intervals[low - 1].contains(day)
    }
}
