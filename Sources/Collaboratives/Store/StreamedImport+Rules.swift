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
    /// do not hold when an event of the import breaks a rule or makes a stored event break one, and the input
    /// is then to be judged as one batch. The stored events are not judged again on their own (they were
    /// when they were appended: ``RuleAudit/prime(before:from:)``), so a stored event that already breaks a
    /// rule, which only a writer past the rules leaves (README, Security), is not the import's concern unless
    /// the import makes it invalid again; `verify --rules` finds it.
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
        // What the stretches freed (much of it in the drafting threads' heaps, which the model, built on this
        // thread, does not reuse) is given back before the walk, and the model's pages after it, before the
        // checkpoint is copied and the transaction commits (``HeapTrim``).
        chronicle.heapTrim.trim()
        defer { chronicle.heapTrim.trim() }
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
                var audit = try primedAudit(before: before, scope: scope, in: view, reads: &storedReads)
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

    /// The walk's audit, its model primed with the stored events before the import (its `scope`, else the
    /// whole log through `before`), decoding and placing only those ``RuleAudit/prime(before:from:)`` needs:
    /// the events that change no query and register no name (coaching sessions, milestones, sub-groups'
    /// redefinitions and status changes, most of a generated log) are passed over on their envelope unless
    /// dated on the stored events' latest day, and workshops before it are read without their attendee lists.
    /// Should that day's entries all be retracted (the model's latest day is then earlier, and events passed
    /// over may lie on it), the model is primed again from every stored event.
    private func primedAudit(before: UInt64, scope: RuleScope?, in view: any LogView, reads: inout Int) throws
        -> RuleAudit
    {
        let decoder = chronicle.reader.decoder
        func audit() -> RuleAudit {
            RuleAudit(limit: 1, memberScope: scope?.members, today: chronicle.today, rebuildsInWalk: false) { _, _ in
                throw RuleAudit.RebuildNeeded()
            }
        }
        var primed = audit()
        guard before > 0 else { return primed }
        let filter = ModelEntries(latestDay: try Self.latestDay(before: before, scope: scope, in: view))
        func prime(all: Bool) throws {
            if let scope {
                // The scope's entries are held already: the model is built from them at once.
                try primed.prime(before: before + 1) { body in
                    for entry in scope.entries {
                        let day = entry.occurredAt.localDay
                        if all || filter.take(type: entry.event.typeName, on: day) != .passedOver { try body(entry) }
                    }
                }
                return
            }
            // The whole log before the import: its entries given in timeline order, never held together.
            reads += 1
            let order = try StoredTimelineOrder(through: before, taking: filter, all: all, in: view, decoder: decoder)
            try primed.prime(retracting: order.retracted) { body in
                try order.entries(in: view, decoder: decoder, body)
            }
        }
        try prime(all: false)
        guard primed.latestDay != filter.latestDay else { return primed }
        primed = audit()
        try prime(all: true)
        return primed
    }

    /// The latest local day of the stored events through `before` (retractions aside): the latest in `scope`,
    /// else the first met going back through the log's valid-time index (past the import's own events).
    private static func latestDay(before: UInt64, scope: RuleScope?, in view: any LogView) throws -> Int32? {
        if let scope {
            return
                scope.entries.lazy.filter { if case .eventRetracted = $0.event { false } else { true } }
                .map(\.occurredAt.localDay.daysSinceEpoch).max()
        }
        var latest: Int32?
        try view.scanOccurred(from: .minimum, through: .maximum, direction: .backward) { event in
            guard event.seq <= before, event.type != EventRetracted.typeName else { return true }
            latest = OccurredAt(event.occurredAt).localDay.daysSinceEpoch
            return false
        }
        return latest
    }
}

/// Which stored events ``RuleAudit/prime(before:from:)`` needs, judged on an event's type and local day (both
/// in its envelope, so that an event passed over is never decoded) against the stored events' latest day.
struct ModelEntries {
    /// How an event is given to the model.
    enum Take: Equatable {
        /// Not at all: it changes no query, registers no name, and is dated before the latest day.
        case passedOver
        /// A workshop dated before the latest day: only its slug is read (no rule of the walk reads
        /// its attendees unless it is on the latest day).
        case withoutAttendees
        case whole
    }

    /// The events inert on the timeline (``DomainEvent/isInertOnTimeline``) that register no name
    /// (``RepeatedRegistrations``): retractions are not among them, their targets leaving the model.
    static let passedOverTypes: Set<String> = [
        CoachingSessionHeld.typeName, MilestoneReached.typeName, SubGroupRedefined.typeName,
        SubGroupStatusChanged.typeName,
    ]

    /// The latest local day of the stored events (retractions aside, which are not on the timeline).
    let latestDay: Int32?

    /// How an event of `type` dated on `day` is given to the model.
    func take(type: String, on day: Day) -> Take {
        guard let latestDay, type != EventRetracted.typeName, day.daysSinceEpoch < latestDay else { return .whole }
        if Self.passedOverTypes.contains(type) { return .passedOver }
        return type == WorkshopHeld.typeName ? .withoutAttendees : .whole
    }
}
