public import EventLog

/// The read side of a history: a log and the ``EventDecoder`` that turns its events back into domain
/// events. Reports, the present view, the rule audit and the tag index check read through it; only
/// appending needs ``Chronicle`` (which holds one of these as its ``Chronicle/reader``).
///
/// ```swift
/// let reader = HistoryReader(log: try LMDBEventStore(directory: path, create: false))
/// let view = try HistoryView.load(from: reader, asOf: day, knownAt: instant)
/// ```
public struct HistoryReader: Sendable {
    /// The log read.
    public let log: any EventStore
    /// How its events are decoded.
    public let decoder: EventDecoder

    /// Reads `log`, decoding with `upcasters`.
    public init(log: any EventStore, upcasters: UpcasterChain = .empty) {
        self.log = log
        self.decoder = EventDecoder(upcasters: upcasters)
    }
}
