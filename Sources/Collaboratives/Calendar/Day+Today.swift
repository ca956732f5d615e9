public import Foundation

extension Day {
    /// The current day in Europe/London: "today" for the rule that nothing happens in the future.
    ///
    /// - Parameter now: the instant to convert; the system clock by default.
    public static func londonToday(now: Date = Date()) -> Day {
        let micros = Int64(exactly: (now.timeIntervalSince1970 * 1_000_000).rounded(.down)) ?? 0
        return OccurredAt.instant(microsecondsSinceEpoch: micros).localDay
    }
}
