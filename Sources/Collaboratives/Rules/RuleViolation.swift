public import Foundation

/// Why an append was refused: the rule, what is wrong, and which event is at fault.
///
/// When the fault is in a stored event that the batch would make invalid (a late
/// `MemberLeft` dated before a workshop the member attended), the subject is that
/// stored event:
///
/// ```text
/// rule member-active: refused because stored event 3f1c… (WorkshopHeld, 2023-10-12) would become
/// invalid: attendee ol-17 is not an active member of oldham on 2023-10-12
/// ```
public struct RuleViolation: Error, Equatable, Sendable, CustomStringConvertible {
    /// The event at fault.
    public enum Subject: Equatable, Sendable {
        /// An event of the batch, by its index in the batch (from 0).
        case batch(index: Int, id: UUID)
        /// A stored event that the batch would make invalid.
        case stored(id: UUID)
    }

    /// The rule broken.
    public let rule: Rule
    /// What is wrong, in one line.
    public let message: String
    /// The event at fault.
    public let subject: Subject
    /// The catalog type of the event at fault.
    public let eventType: String
    /// When the event at fault happened.
    public let occurredAt: OccurredAt
    /// When the event names a collaborative, sub-group or member that does not exist: a known slug at
    /// most two edits from it (a likely typo), shown as "did you mean" after the message.
    public let suggestion: Slug?

    /// Creates a violation.
    public init(
        rule: Rule, message: String, subject: Subject, eventType: String, occurredAt: OccurredAt,
        suggestion: Slug? = nil
    ) {
        self.rule = rule
        self.message = message
        self.subject = subject
        self.eventType = eventType
        self.occurredAt = occurredAt
        self.suggestion = suggestion
    }

    /// One line: `rule <name>: batch event <index> (<type>, <date>): <message>`, or for a
    /// stored event `rule <name>: refused because stored event <id> (<type>, <date>) would
    /// become invalid: <message>`; then `; did you mean <slug>?` when there is a ``suggestion``.
    public var description: String {
        let what = "(\(eventType), \(occurredAt.canonicalText))"
        let hint = suggestion.map { "; did you mean \($0)?" } ?? ""
        switch subject {
        case .batch(let index, _):
            return "rule \(rule.rawValue): batch event \(index) \(what): \(message)\(hint)"
        case .stored(let id):
            return "rule \(rule.rawValue): refused because stored event \(id.lowercased) \(what) "
                + "would become invalid: \(message)\(hint)"
        }
    }
}
