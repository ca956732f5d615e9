import Collaboratives
import EventLog

extension Day {
    /// The day given to `flag`, or a usage error when it lies outside the accepted dates
    /// (``Day/earliestAccepted`` to ``Day/latestAccepted``): a report from year 0000 runs to thousands of
    /// periods, and is never what was meant.
    func accepted(for flag: String) throws -> Day {
        guard isAccepted else {
            throw CLIError.usage(
                "\(flag): \(self) is outside the accepted dates \(Day.earliestAccepted) to \(Day.latestAccepted)")
        }
        return self
    }
}

extension Timestamp {
    /// The instant given to `flag`, or a usage error when its UTC day lies outside the accepted dates.
    func accepted(for flag: String) throws -> Timestamp {
        let microsecondsPerDay: Int64 = 86_400_000_000
        let days = microsecondsSinceEpoch.quotientRoundedDown(by: microsecondsPerDay)
        _ = try Day(daysSinceEpoch: Int32(clamping: days)).accepted(for: flag)
        return self
    }
}

extension Int64 {
    /// The quotient rounded towards minus infinity (an instant before 1970 lies in the day before).
    fileprivate func quotientRoundedDown(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
