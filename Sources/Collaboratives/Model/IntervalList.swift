/// Consecutive, non-overlapping intervals of one relationship (a membership,
/// a sub-group membership, a tenure), opened and closed in timeline order.
///
/// Most relationships have one interval (a member joins a collaborative or a sub-group once), and the
/// timeline keeps one list per relationship, so a single interval is held inline in 8 bytes (its start and
/// end days) rather than in an array of its own on the heap (a 32-byte header and a 16-byte allocation's
/// rounding at least: about 48 bytes a membership, a tenth of the rule model at 10M events before session
/// 16). A second interval moves them all into ``spilled``.
struct IntervalList: Sendable {
    /// The intervals when there are two or more (or one whose start is `Int32.min`, which the inline form
    /// cannot hold); empty otherwise.
    private var spilled: [DayInterval] = []
    /// The single interval's first day, or `Int32.min` when the list is empty or ``spilled``.
    private var start = Int32.min
    /// The single interval's end, or `Int32.min` while it is open: a closed end is never before its start,
    /// which is above `Int32.min`, so the two cannot be confused.
    private var end = Int32.min

    /// No interval yet.
    init() {}

    /// Whether the single interval is held inline.
    private var isInline: Bool { start != Int32.min }

    /// The intervals, in order.
    var intervals: [DayInterval] {
        guard isInline else { return spilled }
        return [inlineInterval]
    }

    private var inlineInterval: DayInterval {
        DayInterval(
            start: Day(daysSinceEpoch: start), end: end == Int32.min ? nil : Day(daysSinceEpoch: end))
    }

    /// The last interval, if any.
    private var last: DayInterval? { isInline ? inlineInterval : spilled.last }

    /// The start of the interval still open, if any.
    var openSince: Day? {
        guard let last, last.end == nil else { return nil }
        return last.start
    }

    /// The end of the last closed interval, if the list is closed.
    var lastEnd: Day? { last?.end }

    /// Opens a new interval; the caller has checked that none is open.
    mutating func open(at day: Day) {
        if !isInline && spilled.isEmpty && day.daysSinceEpoch != Int32.min {
            start = day.daysSinceEpoch
            end = Int32.min
            return
        }
        if isInline {
            spilled = [inlineInterval]
            start = Int32.min
            end = Int32.min
        }
        spilled.append(DayInterval(start: day, end: nil))
    }

    /// Closes the open interval on `day`; the caller has checked one is open.
    mutating func close(at day: Day) {
        if isInline {
            end = max(day.daysSinceEpoch, start)
            return
        }
        guard let last = spilled.popLast() else { return }
        spilled.append(DayInterval(start: last.start, end: max(day, last.start)))
    }

    /// Whether some interval contains `day`, in O(log n): intervals are sorted and
    /// disjoint, so only the last one starting on or before `day` can contain it.
    func contains(_ day: Day) -> Bool {
        if isInline { return inlineInterval.contains(day) }
        let low = spilled.partitioningIndex { $0.start > day }
        return low > 0 && spilled[low - 1].contains(day)
    }
}
