public import Foundation

/// One stored event that an append of it, at its place in the log, would have been refused for.
public struct RuleAuditFinding: Equatable, Sendable {
    /// The event's position in the log.
    public let seq: UInt64
    /// The event's id.
    public let id: UUID
    /// Its catalog type.
    public let eventType: String
    /// When it happened.
    public let occurredAt: OccurredAt
    /// The rule broken.
    public let rule: Rule
    /// What is wrong, in one line; when the event made an earlier-recorded event invalid (a `MemberLeft`
    /// dated before a workshop the member attended), the message names that event.
    public let message: String
    /// The earlier-recorded event this one made invalid, when that is the fault.
    public let invalidated: UUID?

    /// Creates a finding.
    public init(
        seq: UInt64, id: UUID, eventType: String, occurredAt: OccurredAt, rule: Rule, message: String,
        invalidated: UUID? = nil
    ) {
        self.seq = seq
        self.id = id
        self.eventType = eventType
        self.occurredAt = occurredAt
        self.rule = rule
        self.message = message
        self.invalidated = invalidated
    }
}

/// What ``HistoryReader/verifyRules(limit:progress:)`` found.
public struct RuleAuditReport: Equatable, Sendable {
    /// The events checked: the log through this `seq` (its head when the audit began).
    public let checkedThrough: UInt64
    /// The first findings in `seq` order, at most the audit's limit.
    public let findings: [RuleAuditFinding]
    /// How many more events broke a rule beyond ``findings``.
    public let unlisted: Int

    /// Creates a report.
    public init(checkedThrough: UInt64, findings: [RuleAuditFinding], unlisted: Int) {
        self.checkedThrough = checkedThrough
        self.findings = findings
        self.unlisted = unlisted
    }

    /// How many events broke a rule.
    public var count: Int { findings.count + unlisted }
    /// Whether every event passed every rule.
    public var isClean: Bool { count == 0 }
}
