internal import Foundation

/// Where the store reads transaction time (`recordedAt`) from. Injectable so tests and demos are
/// reproducible; the store never lets `recordedAt` go below the previous event's, whatever the clock says: a
/// reading a little behind the log's last `recordedAt` is raised to it, one further behind refuses the append
/// (see ``ClockTolerance``).
public protocol TransactionClock: Sendable {
    /// The current instant.
    func now() -> Timestamp
}

/// The system's real-time clock.
public struct SystemClock: TransactionClock {
    /// Creates the system clock.
    public init() {}

    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(microsecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000)
    }
}

/// A clock stopped at one instant.
public struct FixedClock: TransactionClock {
    /// The instant it always returns.
    public let instant: Timestamp

    /// Creates a clock that always says `instant`.
    public init(_ instant: Timestamp) { self.instant = instant }

    public func now() -> Timestamp { instant }
}

/// How far behind the log's last `recordedAt` the clock may read when appending.
///
/// `recordedAt` never decreases along the log, so a clock behind the head cannot be written as it reads: a
/// small step back (two machines' clocks a little apart, an NTP correction) is absorbed by recording at the
/// head's `recordedAt`. A larger one means a clock is wrong, now or when the head was written (a clock set
/// years ahead once would otherwise pin every later event to that instant, with no sign of it), so the
/// append is refused naming both instants unless the caller allows it
/// (``LMDBEventStore/Options/allowsClockBehind``).
public enum ClockTolerance {
    /// Five minutes, in microseconds.
    public static let behindHead: Int64 = 5 * 60 * 1_000_000

    /// Whether a clock reading `clock` is more than ``behindHead`` behind `head`.
    public static func isTooFarBehind(_ clock: Timestamp, _ head: Timestamp) -> Bool {
        let (gap, overflow) = head.microsecondsSinceEpoch.subtractingReportingOverflow(clock.microsecondsSinceEpoch)
        return overflow || gap > behindHead
    }
}
