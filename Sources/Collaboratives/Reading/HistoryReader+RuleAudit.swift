internal import ChronicleSupport
internal import EventLog
internal import Foundation

extension HistoryReader {
    /// The findings listed by default; the rest are counted.
    public static let defaultRuleAuditLimit = 100

    /// Checks every stored event against the rules exactly as an append of it, at its place in the log,
    /// would have, and returns every event that would have been refused.
    ///
    /// The log is walked once in `seq` order (decoded a stretch ahead on another thread, as a rebuild
    /// does). Each event is judged by the append's own rule code (``BatchChecks``, the retraction ledger,
    /// the ``Timeline``'s replay and reference checks) against the log before it, with its own
    /// `occurredAt`; "today" for the future-date rule is the London day of the event's `recordedAt`, since
    /// that is what it was judged against when recorded. An event is named when it breaks a rule itself or
    /// makes an earlier-recorded event invalid (the message names that one).
    ///
    /// **After a violation** the event is still applied, as the lenient replay of ``Timeline`` applies it
    /// (an event that breaks a rule about the state, a second join say, changes nothing; one whose
    /// references fail still counts), so the walk goes on from the log as it is; an event already found
    /// invalid is not blamed again on later events, so one bad event does not cascade into reports for
    /// every later one. A retraction refused by the retraction rules retracts nothing.
    ///
    /// Memory holds the timeline's model (people, memberships, tenures, formations, workshop slugs, each
    /// member's joins and details changes) but not the events, except in one case: an event dated before the
    /// latest one seen that changes the model (a late join, leave, role, formation, or a details change
    /// that makes its member programme staff on other days), or the retraction of one, can change verdicts
    /// anywhere after its date, so the log before it is read again and its timeline rebuilt (holding that
    /// part's entries while it is). Late activities (workshops, coaching, milestones, sub-group status,
    /// survey waves) and other late details changes are judged without it: they change no verdict but
    /// their own.
    ///
    /// The rule `erasure-final` for personal data recorded after an erasure is enforced when the data is
    /// sealed, not by the rule checks; its erasure and retraction cases are checked here.
    ///
    /// ```swift
    /// let report = try HistoryReader(log: log).verifyRules()
    /// for finding in report.findings { print(finding.seq, finding.rule.rawValue, finding.message) }
    /// ```
    ///
    /// - Parameters:
    ///   - limit: the findings listed (the rest are counted in ``RuleAuditReport/unlisted``).
    ///   - progress: called as the walk goes, with the events checked and the total.
    /// - Throws: ``EventLogError`` when the log cannot be read or an event does not decode.
    public func verifyRules(
        limit: Int = HistoryReader.defaultRuleAuditLimit,
        progress: (_ checked: UInt64, _ total: UInt64) -> Void = { _, _ in }
    ) throws -> RuleAuditReport {
        let head = try log.head().seq
        var audit = RuleAudit(reader: self, limit: max(limit, 0))
        var checked: UInt64 = 0
        // Decoded a stretch ahead on another thread, as a rebuild does, each with its `recordedAt`.
        try forEachDecoded(through: head, { AuditedEvent(recorded: $0, recordedAt: $1.recordedAt) }) { event in
            try audit.check(event)
            checked += 1
            if checked % 4_096 == 0 || checked == head { progress(checked, head) }
        }
        return RuleAuditReport(checkedThrough: head, findings: audit.findings, unlisted: audit.unlisted)
    }
}

/// A stored event as the rule audit reads it.
struct AuditedEvent: Sendable {
    /// The event decoded, with the target of a retraction.
    let recorded: RecordedEntry
    /// When it was recorded: its "today" is the London day of this instant.
    let recordedAt: Timestamp
}
