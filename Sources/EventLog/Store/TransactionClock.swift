internal import Foundation

/// Where the store reads transaction time (`recordedAt`) from. Injectable so tests and demos are
/// reproducible; the store never lets `recordedAt` go below the previous event's, whatever the clock says.
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
