internal import EventLog
internal import Foundation

/// The timeline's rules of a streamed import, judged once for the whole import before its commit (see
/// ``StreamedImport``'s comment for why a walk that finds nothing means one batch would accept the file).
extension StreamedImport {
    /// How ``judgeRules()`` judged the import's rules.
    struct RulesJudgement {
        /// Whether they hold (else the input is to be judged as one batch).
        let holds: Bool
        /// How many times the stored events before the import were read (its scope, or the whole log).
        let storedReads: Int
        /// Whether the final timeline was judged whole, as one batch judges it, the walk having needed to
        /// rebuild its model.
        let judgedWhole: Bool
    }

    /// Judges the rules for the import's events together, before the commit (see the type's comment): they
    /// do not hold when anything breaks a rule, the stored events the import concerns included, and the
    /// input is then to be judged as one batch.
    ///
    /// The walk places each event on its model; an event it cannot place (dated before the latest entry so
    /// far and not inert, or retracting one that is not) would make it rebuild the model from the stored
    /// events and the import so far, and every later such event again: a backfill (an import dated before
    /// the events stored) would cost the square of its length. So the walk stops at the first rebuild and
    /// the final timeline (the stored events and the import's, as one batch builds it) is judged once, as one
    /// batch judges it, holding the import's entries (not its lines or drafts) meanwhile.
    func judgeRules() throws -> RulesJudgement {
        let before = session.headBefore.seq
        guard deferringRules, head.seq > before else {
            return RulesJudgement(holds: true, storedReads: 0, judgedWhole: false)
        }
        let chronicle = chronicle
        let decoder = chronicle.reader.decoder
        let needs = needs
        let appended = UInt64(appended)
        var storedReads = 0
        return try session.read { view in
            // The stored events the import concerns (its scope; the whole log before it when the import is
            // large next to it, as one batch decides).
            let scoped = appended <= max(64, before / 8)
            func loadScope() throws -> RuleScope? {
                guard scoped, before > 0 else { return nil }
                storedReads += 1
                return try RuleScope.load(needs, through: before, in: view, decoder: decoder)
            }
            var scope = try loadScope()
            func stored(_ scope: RuleScope?, _ body: (TimelineEntry) throws -> Void) throws {
                guard before > 0 else { return }
                if let scope {
                    for entry in scope.entries { try body(entry) }
                    return
                }
                storedReads += scoped ? 0 : 1
                try view.scan(from: 1, direction: .forward) { event in
                    guard event.seq <= before else { return false }
                    try body(try decoder.entry(of: event))
                    return true
                }
            }
            var walked = true
            do {
                var audit = RuleAudit(
                    limit: 1, memberScope: scope?.members, today: chronicle.today, rebuildsInWalk: false
                ) { _, body in try stored(scope, body) }
                if before > 0 {
                    guard try audit.prime(before: before + 1) else {
                        return RulesJudgement(holds: false, storedReads: storedReads, judgedWhole: false)
                    }
                }
                scope = nil  // not held through the walk
                try view.scan(from: before + 1, direction: .forward) { event in
                    let recorded = try decoder.recordedEntry(of: event, in: view)
                    try audit.check(AuditedEvent(recorded: recorded, recordedAt: event.recordedAt))
                    walked = audit.findings.isEmpty && audit.unlisted == 0
                    return walked
                }
                return RulesJudgement(holds: walked, storedReads: storedReads, judgedWhole: false)
            } catch is RuleAudit.RebuildNeeded {
                // The final timeline, judged once.
            }
            scope = try scope ?? loadScope()
            var storedEntries: [TimelineEntry] = []
            try stored(scope, { storedEntries.append($0) })
            var batch: [TimelineEntry] = []
            try view.scan(from: before + 1, direction: .forward) { event in
                let entry = try decoder.entry(of: event)
                // As one batch offers it: not stored yet, so without its seq.
                batch.append(TimelineEntry(id: entry.id, seq: nil, occurredAt: entry.occurredAt, event: entry.event))
                return true
            }
            let holds: Bool
            do throws(RuleViolation) {
                try RuleCheck.validate(
                    stored: storedEntries, batch: batch, today: chronicle.today, memberScope: scope?.members)
                holds = true
            } catch {
                holds = false
            }
            return RulesJudgement(holds: holds, storedReads: storedReads, judgedWhole: true)
        }
    }
}
