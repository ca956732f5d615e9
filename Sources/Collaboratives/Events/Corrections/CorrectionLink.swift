public import EventLog

/// How a correction is found again in the log: which stored event, if any, replaced a retracted one.
///
/// `EventRetracted` names only the event it retracts (EVENTS.md), so a correction (`chronicle correct`,
/// `import register --apply-corrections`) is recognised by its shape: the retraction and, right after it
/// (the next seq, in the same batch and so with the same `recordedAt`), an event that stands for the same
/// thing as the retracted one (``standsForTheSameThing(as:)``). Adjacency alone is not enough: an import
/// batch, or two appends with a pinned or lagging clock, can put an unrelated event right after a
/// retraction with the same `recordedAt`; it is then no replacement, and the retracted event simply stays
/// retracted. `log` and register imports both use this one definition.
public enum CorrectionLink {
    /// Whether `candidate`, stored right after a retraction, is the replacement of the event it retracts.
    ///
    /// - Parameters:
    ///   - candidate: the event stored after the retraction, with its seq and `recordedAt`.
    ///   - retracted: the event the retraction names.
    ///   - retraction: the retraction's seq and `recordedAt`.
    public static func isReplacement(
        _ candidate: (event: DomainEvent, occurredAt: OccurredAt, seq: UInt64, recordedAt: Timestamp),
        of retracted: (event: DomainEvent, occurredAt: OccurredAt),
        retraction: (seq: UInt64, recordedAt: Timestamp)
    ) -> Bool {
        candidate.seq == retraction.seq + 1 && candidate.recordedAt == retraction.recordedAt
            && candidate.event.standsForTheSameThing(
                as: retracted.event, on: candidate.occurredAt, retractedOn: retracted.occurredAt)
    }
}

extension DomainEvent {
    /// Whether this event, corrected, can stand for `other`: the same type and the same identity, which a
    /// correction keeps.
    ///
    /// The identity is the event's stream (its collaborative, member, sub-group or workshop slug), and for a
    /// coaching session also its advisor and day (a collaborative holds many sessions; the register tells
    /// them apart by those). A correction that changes these (`correct --set collaborative=…`, a coaching
    /// session moved with `--on`) records a retraction and an unrelated event.
    func standsForTheSameThing(as other: DomainEvent, on day: OccurredAt, retractedOn otherDay: OccurredAt) -> Bool {
        guard typeName == other.typeName, stream == other.stream else { return false }
        switch (self, other) {
        case (.eventRetracted, _):
            return false
        case (.coachingSessionHeld(let session), .coachingSessionHeld(let original)):
            return session.advisor == original.advisor && day.localDay == otherDay.localDay
        default:
            return true
        }
    }
}
