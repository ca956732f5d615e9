/// The outcome of ``EventStore/verify()``.
public struct VerificationReport: Hashable, Sendable {
    /// Events checked.
    public let eventCount: UInt64
    /// The head as stored.
    public let head: LogHead
    /// The first inconsistency found, or `nil` when the log and every index are sound.
    public let fault: VerificationFault?

    /// Whether no fault was found.
    public var isSound: Bool { fault == nil }

    /// Creates a report.
    public init(eventCount: UInt64, head: LogHead, fault: VerificationFault?) {
        self.eventCount = eventCount
        self.head = head
        self.fault = fault
    }
}

/// One inconsistency: where it is and what is wrong.
public struct VerificationFault: Hashable, Sendable, CustomStringConvertible {
    /// The event it concerns (`nil` for a fault of the store as a whole, such as an index's size).
    public let seq: UInt64?
    /// What is wrong, in one line.
    public let problem: String

    /// Creates a fault.
    public init(seq: UInt64?, problem: String) {
        self.seq = seq
        self.problem = problem
    }

    public var description: String {
        seq.map { "seq \($0): \(problem)" } ?? problem
    }
}
