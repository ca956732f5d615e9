/// A reporting period: the half-open day interval [start, end) and its label.
public struct Period: Hashable, Sendable, CustomStringConvertible {
    /// Its label: `Year 1`, `2021/22`, `2021 autumn`, `2021-09`.
    public let label: String
    /// The first day.
    public let start: Day
    /// The day after the last day.
    public let end: Day
    /// Whether the period was cut at the range asked for (`--from`, `--to`), so that it holds only some
    /// of its days; reports mark it partial, as they mark a period cut at D.
    public let isCut: Bool

    /// Creates a period.
    public init(label: String, start: Day, end: Day, isCut: Bool = false) {
        self.label = label
        self.start = start
        self.end = end
        self.isCut = isCut
    }

    /// The part of the period inside [`first`, `last`] (both inclusive), marked cut when that is less than
    /// the whole period; `nil` when they do not overlap. Reports cut their first and last periods at the
    /// range asked for so that no event dated outside it is ever counted.
    public func cut(from first: Day, through last: Day) -> Period? {
        let cutStart = max(start, first)
        let cutEnd = min(end, last.adding(days: 1))
        guard cutStart < cutEnd else { return nil }
        if cutStart == start && cutEnd == end { return self }
        return Period(label: label, start: cutStart, end: cutEnd, isCut: true)
    }

    /// The last day of the period (`end − 1`).
    public var lastDay: Day { end.adding(days: -1) }

    /// Whether `day` is in [start, end).
    public func contains(_ day: Day) -> Bool { start <= day && day < end }

    public var description: String { "\(label) [\(start), \(end))" }
}

/// How a range of days is cut into periods.
///
/// - `programmeYear`: year n is [start + (n−1) years, start + n years) from the collaborative's
///   `programmeStart`.
/// - `academicYear`: from 1 September to 31 August.
/// - `term`: autumn 1 Sept–31 Dec, spring 1 Jan–31 Mar, summer 1 Apr–31 Aug.
/// - `month`: calendar months.
public enum PeriodScheme: String, Sendable, CaseIterable {
    /// Programme years from the collaborative's `programmeStart`.
    case programmeYear = "programme-year"
    /// English academic years (1 September).
    case academicYear = "academic-year"
    /// Autumn, spring and summer terms.
    case term
    /// Calendar months.
    case month

    /// The periods that overlap [`from`, `through`] (both inclusive), in order; `programmeStart` anchors
    /// programme years (it is required for that scheme and ignored otherwise).
    public func periods(from: Day, through: Day, programmeStart: Day? = nil) -> [Period] {
        guard from <= through else { return [] }
        var periods: [Period] = []
        var period = containing(from, programmeStart: programmeStart)
        while let current = period, current.start <= through {
            periods.append(current)
            period = containing(current.end, programmeStart: programmeStart)
            if let next = period, next.start <= current.start { break }
        }
        return periods
    }

    /// The period containing `day`.
    public func containing(_ day: Day, programmeStart: Day? = nil) -> Period? {
        let (year, month, _) = day.components
        switch self {
        case .programmeYear:
            guard let origin = programmeStart else { return nil }
            var number = 1
            var start = origin
            if day < origin {
                while day < start {
                    number -= 1
                    start = origin.adding(years: number - 1)
                }
            } else {
                while day >= origin.adding(years: number) { number += 1 }
                start = origin.adding(years: number - 1)
            }
            return Period(label: "Year \(number)", start: start, end: origin.adding(years: number))
        case .academicYear:
            let first = month >= 9 ? year : year - 1
            return make("\(first)/\(String(format2(first + 1)))", (first, 9), (first + 1, 9))
        case .term:
            if month >= 9 { return make("\(year) autumn", (year, 9), (year + 1, 1)) }
            if month <= 3 { return make("\(year) spring", (year, 1), (year, 4)) }
            return make("\(year) summer", (year, 4), (year, 9))
        case .month:
            let next = month == 12 ? (year + 1, 1) : (year, month + 1)
            return make("\(year)-\(format2(month))", (year, month), next)
        }
    }

    private func make(_ label: String, _ start: (Int, Int), _ end: (Int, Int)) -> Period? {
        guard let first = Day(year: start.0, month: start.1, day: 1), let last = Day(year: end.0, month: end.1, day: 1)
        else { return nil }
        return Period(label: label, start: first, end: last)
    }
}

private func format2(_ value: Int) -> String {
    let text = String(value % 100)
    return text.count < 2 ? "0" + text : text
}
