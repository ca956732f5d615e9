internal import EventLog
internal import Foundation

/// The walk behind ``HistoryReader/verifyRules(limit:progress:)``: judges each stored event, in `seq` order,
/// against the log before it, with the rule code of an append, and then applies it.
///
/// **How an append's verdict is reached one event at a time.** An append judges the whole timeline (the
/// stored events and the batch, ordered by `occurredAt`) and is refused when any entry breaks a rule. Here
/// the timeline's model is kept from one event to the next without its entries, and:
/// - an event that orders after every entry so far (the common case: recorded on or after the latest date
///   seen) is replayed onto the model; its own verdict is the append's, and of the entries before it only
///   those of its own day can change verdict (the model answers a query about a day from the events on or
///   before it), and only those naming the member whose state it changes, so those are judged again;
/// - an event that is inert on the timeline (``DomainEvent/isInertOnTimeline``) changes no query, so it is
///   judged on the model wherever it falls;
/// - a late details change is placed among its member's joins and details changes, when it does not make
///   them programme staff on other days (the only way details decide a verdict);
/// - any other event dated before the latest one, or the retraction of a non-inert event, can change the
///   verdict of any entry after its date: the timeline of the log before it is rebuilt with it (or without
///   the retracted event), and every entry that breaks a rule and was not already known to is blamed on it.
struct RuleAudit {
    /// The position of an entry on the timeline, as ``Timeline`` orders entries (before `seq`).
    struct Key: Comparable {
        let day: Int32
        let instant: Int64

        init(_ entry: TimelineEntry) {
            day = entry.occurredAt.localDay.daysSinceEpoch
            instant = entry.occurredAt.sortKey
        }

        init(day: Int32, instant: Int64) {
            self.day = day
            self.instant = instant
        }

        static func < (lhs: Key, rhs: Key) -> Bool { (lhs.day, lhs.instant) < (rhs.day, rhs.instant) }
    }

    /// Gives the entries on the timeline's source before a `seq` (in `seq` order; retractions included), for
    /// a rebuild: the whole log for ``HistoryReader/verifyRules(limit:progress:)``; for a streamed import, its
    /// scope (or the log before it) and its own events so far.
    let entriesBefore: (_ seq: UInt64, _ body: (TimelineEntry) throws -> Void) throws -> Void
    /// The members whose states the source holds whole (all when `nil`): rules about others are not judged.
    let memberScope: Set<Slug>?
    /// "Today" for the future-date rule when every event is judged as of one day (an import's); otherwise
    /// the London day of each event's `recordedAt`.
    let today: Day?
    /// Whether an event the model cannot place makes the walk rebuild it (else ``check(_:)`` throws
    /// ``RebuildNeeded``: a caller that can judge the final timeline whole does that once instead).
    let rebuildsInWalk: Bool
    /// The findings listed; the rest are counted.
    let limit: Int
    private(set) var findings: [RuleAuditFinding] = []
    private(set) var unlisted = 0

    /// The timeline's model of the events so far (less the retracted ones), without its entries.
    private var model = Timeline(entries: [])
    private var state = Timeline.ReplayState()
    /// The position of the latest entry on the timeline so far.
    private var lastKey: Key?
    /// The entries on the day of ``lastKey``, under each member they name: those whose verdict an event of
    /// that day changing the member's state may change.
    private var sameDay: [Slug: [TimelineEntry]] = [:]
    /// The events retracted so far.
    private var retracted: Set<UUID> = []
    /// The entries already known to break a rule on the timeline: not blamed again on a later event.
    private var knownInvalid: Set<UUID> = []
    /// The workshop slugs and survey waves more than one entry on the timeline uses (which of two uses breaks
    /// the rule depends on their order on the timeline, which only a rebuild knows when one of them is late
    /// or retracted); whether a name is used at all is in ``state``.
    private var repeated = RepeatedRegistrations()
    /// The events placed so far, and the entries looked at again for them beyond their own (a late details
    /// change derives the member's later snapshots again; a state change judges again the same-day entries
    /// naming the member): without ``rebuildsInWalk``, once the second outgrows ``workAllowance(placed:)``
    /// the walk stops with ``RebuildNeeded`` (the caller judges the final timeline whole, in linear time)
    /// rather than let an input of one member's late or same-day changes cost the square of its length.
    private var placed = 0
    private var work = 0

    /// The entries looked at again that `placed` events may cost before a walk that does not rebuild gives up:
    /// a few per event on average, and a fixed allowance so that small inputs never give up.
    static func workAllowance(placed: Int) -> Int { 32 * placed + 65_536 }

    /// Whether a walk that does not rebuild has looked at more entries again than its events allow.
    private var outgrewItsAllowance: Bool { !rebuildsInWalk && work > Self.workAllowance(placed: placed) }

    init(reader: HistoryReader, limit: Int) {
        self.init(limit: limit) { seq, body in
            try reader.forEachDecodedEntry(through: seq - 1) { try body($0.entry) }
        }
    }

    /// An audit whose source is given by `entriesBefore`, judging rules about `memberScope`'s members only
    /// (all when `nil`), as of `today` (each event's recording day when `nil`), rebuilding its model when an
    /// event needs it unless `rebuildsInWalk` is off.
    init(
        limit: Int, memberScope: Set<Slug>? = nil, today: Day? = nil, rebuildsInWalk: Bool = true,
        entriesBefore: @escaping (_ seq: UInt64, _ body: (TimelineEntry) throws -> Void) throws -> Void
    ) {
        self.limit = limit
        self.rebuildsInWalk = rebuildsInWalk
        self.memberScope = memberScope
        self.today = today
        self.entriesBefore = entriesBefore
    }

    /// Builds the model from the stored entries `stored` gives (in `seq` order, before `seq`; their
    /// retractions applied), as a rebuild does, without judging them: they were judged when they were
    /// appended, and every entry an event of the walk may make invalid is judged again then (see the type's
    /// comment). So `stored` need give only what the model is made of: every entry that changes a query, the
    /// workshops and survey waves (their names), the retractions, and every entry on the latest day
    /// (``latestDay``: those an event of that day may make invalid); the others change nothing the walk reads.
    /// (A stored entry that already breaks a rule, which only a writer past the rules leaves, is found by
    /// `verify --rules`, or here when the walk's event makes it invalid again.)
    mutating func prime(
        before seq: UInt64, from stored: (_ body: (TimelineEntry) throws -> Void) throws -> Void
    ) throws {
        _ = try rebuild(before: seq, adding: nil, from: stored, judging: false)
    }

    /// ``prime(before:from:)`` from entries `ordered` gives in timeline order (day, instant, `seq`, as
    /// ``Timeline`` orders them), with `retractedIDs` the events the stored retractions retract: those are
    /// not placed, and a retraction given is not placed either (its target is then taken as retracted too).
    /// The same model, built without holding the entries together: an import into a large log primes from the
    /// whole log before it, and holding its entries (twice, as ``Timeline`` sorts them) cost more than the
    /// model itself (an import of 100k into a 700k log: 214 MB of heap at its peak, the model about 60).
    mutating func prime(
        retracting retractedIDs: Set<UUID>,
        inTimelineOrder ordered: (_ body: (TimelineEntry) throws -> Void) throws -> Void
    ) throws {
        retracted.formUnion(retractedIDs)
        var newState = Timeline.ReplayState()
        var timeline = Timeline(entries: [], memberScope: memberScope, state: &newState)
        var registrations = RepeatedRegistrations()
        var latest: Key?
        var latestDayEntries: [TimelineEntry] = []
        try ordered { given in
            if case .eventRetracted(let retraction) = given.event {
                retracted.insert(retraction.event)
                return
            }
            guard !retracted.contains(given.id) else { return }
            let entry = given.withoutPersonalText
            let key = Key(entry)
            // Counted before the replay registers the name: as `RepeatedRegistrations(entries:state:)` counts
            // every use but the first on the timeline.
            if let name = RepeatedRegistrations.Name(of: entry.event) { registrations.add(name, state: newState) }
            _ = timeline.replay(entry, on: entry.occurredAt.localDay, state: &newState)
            if latest?.day != key.day { latestDayEntries = [] }
            latest = key
            latestDayEntries.append(entry)
        }
        // As a rebuild leaves them: the latest day's entries under each member they name, latest first.
        sameDay = [:]
        for placed in latestDayEntries.reversed() {
            for member in Set(placed.event.membersNamed) { sameDay[member, default: []].append(placed) }
        }
        lastKey = latest
        repeated = registrations
        model = timeline
        state = newState
    }

    /// The day of the latest entry on the timeline so far (`nil` while it is empty).
    var latestDay: Int32? { lastKey?.day }

    /// Thrown by ``check(_:)``, without ``rebuildsInWalk``, for an event the model cannot place without a
    /// rebuild: the audit is then over.
    struct RebuildNeeded: Error {}

    /// Judges the next event of the log and applies it.
    mutating func check(_ event: AuditedEvent) throws {
        let original = event.recorded.entry
        // As a batch event: its `seq` unknown (so it orders after every stored entry of its instant, and a
        // rule that exempts pairs of stored events does not exempt it).
        let own = BatchChecks.failure(
            of: TimelineEntry(id: original.id, seq: nil, occurredAt: original.occurredAt, event: original.event),
            today: today ?? Day.londonDay(of: event.recordedAt))
        // The model keeps no personal text (no rule reads it).
        let stored = original.withoutPersonalText
        let entry = TimelineEntry(id: stored.id, seq: nil, occurredAt: stored.occurredAt, event: stored.event)
        let verdict: Verdict
        if case .eventRetracted = entry.event {
            verdict = try retraction(entry, seq: event.recorded.seq, target: event.recorded.retracted)
        } else {
            verdict = try place(entry, stored: stored, seq: event.recorded.seq)
        }
        if let own {
            record(own, of: stored, invalidated: nil)
        } else if let failure = verdict.own {
            record(failure, of: stored, invalidated: nil)
        } else if let (other, failure) = verdict.invalidated.first {
            record(failure, of: stored, invalidated: other)
        }
    }

    /// What an event broke: its own rule, and the earlier-recorded entries it made invalid.
    private struct Verdict {
        var own: RuleFailure?
        var invalidated: [(TimelineEntry, RuleFailure)] = []
    }

    /// Admits a retraction (the retraction rules) and takes its target off the timeline.
    ///
    /// Even a retraction the rules refuse takes its target off: an append reads every stored retraction
    /// as retracting its target (``RetractionLedger``), whatever its own verdict was; and an event recorded
    /// after a retraction that names it is retracted from the start.
    private mutating func retraction(_ entry: TimelineEntry, seq: UInt64, target: TimelineEntry?) throws -> Verdict {
        guard case .eventRetracted(let retraction) = entry.event else { return Verdict() }
        // Only an event recorded before the retraction can be its target.
        let target = target.flatMap { ($0.seq ?? .max) < seq ? $0 : nil }
        var ledger = RetractionLedger(stored: target.map { [$0] } ?? [], retractedIDs: retracted)
        var verdict = Verdict(own: ledger.admit(entry, batchIndex: 0))
        guard retracted.insert(retraction.event).inserted, let target else { return verdict }
        if case .eventRetracted = target.event { return verdict }  // a retraction is not on the timeline
        guard target.event.isInertOnTimeline else {
            // The log without its target must stay valid: whatever now breaks a rule is the retraction's fault.
            let rebuilt = try rebuildInWalk(before: seq, adding: nil)
            verdict.invalidated = rebuilt.invalidated
            return verdict
        }
        if let name = RepeatedRegistrations.Name(of: target.event), repeated.isRepeated(name) {
            let rebuilt = try rebuildInWalk(before: seq, adding: nil)
            verdict.invalidated = rebuilt.invalidated
            return verdict
        }
        Timeline.forgetInert(target, state: &state)
        for member in Set(target.event.membersNamed) { sameDay[member]?.removeAll { $0.id == target.id } }
        return verdict
    }

    /// Places a non-retraction on the timeline, judging it and the entries it may make invalid.
    private mutating func place(_ entry: TimelineEntry, stored: TimelineEntry, seq: UInt64) throws -> Verdict {
        // Retracted by a retraction recorded before it: never on the timeline.
        if retracted.contains(entry.id) { return Verdict() }
        placed += 1
        let key = Key(entry)
        let registration = RepeatedRegistrations.Name(of: entry.event)
        if let lastKey, key < lastKey,
            !entry.event.isInertOnTimeline || registration?.isUsed(in: state) == true
        {
            if case .memberDetailsChanged(let change) = entry.event,
                let verdict = lateDetailsChange(change, entry: entry, key: key)
            {
                return verdict
            }
            return try rebuildInWalk(before: seq, adding: entry)
        }
        if let registration { repeated.add(registration, state: state) }
        let day = entry.occurredAt.localDay
        // As the timeline judges an entry: its references in the model that includes it, then its place.
        let issue = model.replay(entry, on: day, state: &state)
        var verdict = Verdict(own: model.referenceFailure(of: entry, on: day) ?? issue)
        if verdict.own != nil { knownInvalid.insert(entry.id) }
        if lastKey.map({ key >= $0 }) ?? true {
            if lastKey?.day != key.day { sameDay = [:] }
            lastKey = key
            if let member = entry.event.memberWhoseStateChanges {
                work += sameDay[member]?.count ?? 0
                if outgrewItsAllowance { throw RebuildNeeded() }
                for other in sameDay[member] ?? [] where !knownInvalid.contains(other.id) {
                    guard let failure = model.referenceFailure(of: other, on: day) else { continue }
                    knownInvalid.insert(other.id)
                    verdict.invalidated.append((other, failure))
                }
            }
        }
        if lastKey?.day == key.day {
            for member in Set(entry.event.membersNamed) { sameDay[member, default: []].append(stored) }
        }
        return verdict
    }

    /// Places a details change dated before the latest entry among the member's joins and details changes,
    /// when that changes no verdict: it is judged as the replay judges it (a member who has not joined by
    /// then), and the snapshots after it are derived again; `nil` when a rebuild must decide (the member
    /// would be programme staff on other days, which the coaching advisor rule reads).
    private mutating func lateDetailsChange(
        _ change: MemberDetailsChanged, entry: TimelineEntry, key: Key
    ) -> Verdict? {
        let member = change.member
        let old = model.detailsSnapshots(of: member)
        work += old.count
        // Past the allowance, `nil`: the caller's rebuild, which a walk that does not rebuild refuses.
        guard !outgrewItsAllowance else { return nil }
        // Every entry of the same instant has a smaller seq, so it orders before this one.
        let position = old.firstIndex { Key(day: $0.day.daysSinceEpoch, instant: $0.instant) > key } ?? old.count
        let day = entry.occurredAt.localDay
        var scratch = Timeline(entries: [])
        if position > 0 { scratch.setDetailsSnapshots([old[position - 1]], of: member) }
        var scratchState = Timeline.ReplayState()
        if let failure = scratch.replay(entry, on: day, state: &scratchState) {
            knownInvalid.insert(entry.id)
            return Verdict(own: failure)
        }
        guard let placed = scratch.detailsSnapshots(of: member).last else { return nil }
        var details = placed.details
        var snapshots = Array(old[..<position]) + [placed]
        // Each later join or change gives the fields it gave before, with the values of the snapshot it made.
        for made in old[position...] {
            details = made.fields.apply(made.details, over: details)
            snapshots.append(
                Timeline.DetailsSnapshot(day: made.day, fields: made.fields, instant: made.instant, details: details))
        }
        guard !Timeline.programmeStaffDiffers(old, snapshots) else { return nil }
        model.setDetailsSnapshots(snapshots, of: member)
        return Verdict()
    }

    /// ``rebuild(before:adding:from:judging:)`` for an event of the walk, unless the walk does not rebuild.
    private mutating func rebuildInWalk(before seq: UInt64, adding entry: TimelineEntry?) throws -> Verdict {
        guard rebuildsInWalk else { throw RebuildNeeded() }
        return try rebuild(before: seq, adding: entry)
    }

    /// Rebuilds the model from the log before `seq` (less the retracted events) and `entry` (the event at
    /// `seq`, if it goes on the timeline), and judges every entry on it: `entry`'s failure, and every other
    /// entry's not known before.
    private mutating func rebuild(before seq: UInt64, adding entry: TimelineEntry?) throws -> Verdict {
        let entriesBefore = entriesBefore
        return try rebuild(before: seq, adding: entry, from: { try entriesBefore(seq, $0) }, judging: true)
    }

    /// ``rebuild(before:adding:)`` from the entries `source` gives (a prime's: those the model needs),
    /// judging them unless `judging` is off.
    private mutating func rebuild(
        before seq: UInt64, adding entry: TimelineEntry?,
        from source: (_ body: (TimelineEntry) throws -> Void) throws -> Void, judging: Bool
    ) throws -> Verdict {
        var entries: [TimelineEntry] = []
        try source { stored in
            if case .eventRetracted(let retraction) = stored.event {
                // Known already when the walk met it; a primed model learns it here.
                retracted.insert(retraction.event)
                return
            }
            entries.append(stored.withoutPersonalText)
        }
        // A retraction comes after its target in the log.
        entries.removeAll { retracted.contains($0.id) }
        if let entry { entries.append(entry) }
        var newState = Timeline.ReplayState()
        var timeline = Timeline(entries: entries, memberScope: memberScope, state: &newState)
        entries = []
        var verdict = Verdict()
        for (position, placed) in timeline.entries.enumerated() where judging {
            guard
                let failure = timeline.referenceFailure(of: placed, on: timeline.localDays[position])
                    ?? timeline.issues[position]
            else { continue }
            if placed.id == entry?.id {
                verdict.own = failure
                knownInvalid.insert(placed.id)
            } else if knownInvalid.insert(placed.id).inserted {
                verdict.invalidated.append((placed, failure))
            }
        }
        sameDay = [:]
        lastKey = timeline.entries.last.map(Key.init)
        if let lastKey {
            for placed in timeline.entries.reversed() {
                guard Key(placed).day == lastKey.day else { break }
                let stored = TimelineEntry(
                    id: placed.id, seq: placed.seq ?? seq, occurredAt: placed.occurredAt, event: placed.event)
                for member in Set(placed.event.membersNamed) { sameDay[member, default: []].append(stored) }
            }
        }
        repeated = RepeatedRegistrations(entries: timeline.entries, state: newState)
        timeline.forgetEntries()
        model = timeline
        state = newState
        return verdict
    }

    /// Lists (or counts, past the limit) the event `stored` as breaking `failure`, or as making `invalidated`
    /// break it.
    private mutating func record(_ failure: RuleFailure, of stored: TimelineEntry, invalidated: TimelineEntry?) {
        guard findings.count < limit else {
            unlisted += 1
            return
        }
        var message = failure.message
        if let invalidated {
            let position = invalidated.seq.map { "seq \($0), " } ?? ""
            message =
                "makes event \(invalidated.id.lowercased) (\(position)\(invalidated.event.typeName), "
                + "\(invalidated.occurredAt.canonicalText)) invalid: \(message)"
        }
        findings.append(
            RuleAuditFinding(
                seq: stored.seq ?? 0, id: stored.id, eventType: stored.event.typeName, occurredAt: stored.occurredAt,
                rule: failure.rule, message: message, invalidated: invalidated?.id))
    }
}
