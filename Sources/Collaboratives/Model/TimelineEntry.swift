public import Foundation

/// One event placed on the timeline: its id, its position in the log (if stored),
/// when it happened and what happened.
public struct TimelineEntry: Equatable, Sendable {
    /// The event's id.
    public let id: UUID
    /// Its global position in the log; `nil` for a pending event of the batch being
    /// appended, which orders after every stored event of the same instant, by batch position.
    public let seq: UInt64?
    /// When it happened (valid time).
    public let occurredAt: OccurredAt
    /// What happened.
    public let event: DomainEvent

    /// Creates an entry; pass `seq: nil` for an event not yet stored.
    public init(id: UUID, seq: UInt64?, occurredAt: OccurredAt, event: DomainEvent) {
        self.id = id
        self.seq = seq
        self.occurredAt = occurredAt
        self.event = event
    }
}
