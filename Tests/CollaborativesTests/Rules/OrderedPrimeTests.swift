import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// A rule model primed from stored entries given one at a time in timeline order (what an import into a large
/// log does, so as not to hold the whole log's entries: ``StoredTimelineOrder``) is the model primed from
/// every entry at once: the events after it are judged alike.
@Suite struct OrderedPrimeTests {
    /// `entries` with `seq`s from `first` on.
    private static func numbered(_ entries: [TimelineEntry], from first: UInt64) -> [TimelineEntry] {
        entries.enumerated().map { index, entry in
            TimelineEntry(id: entry.id, seq: first + UInt64(index), occurredAt: entry.occurredAt, event: entry.event)
        }
    }

    /// An audit of `log` (rebuilding from it when an event needs it), judging as of one day.
    private static func audit(of log: [TimelineEntry]) -> RuleAudit {
        RuleAudit(limit: 1_000, today: day("2024-09-01")) { seq, body in
            for entry in log where (entry.seq ?? 0) < seq { try body(entry) }
        }
    }

    /// Judges each of `events` (numbered, after the stored ones) with `audit`; its findings, as text.
    private static func findings(of audit: inout RuleAudit, judging events: [TimelineEntry], log: [TimelineEntry])
        throws -> [String]
    {
        let byID = Dictionary(log.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for event in events {
            var target: TimelineEntry?
            if case .eventRetracted(let retraction) = event.event { target = byID[retraction.event] }
            let seq = event.seq ?? 0
            let recorded = RecordedEntry(seq: seq, hash: EventHash.genesis, entry: event, retracted: target)
            try audit.check(AuditedEvent(recorded: recorded, recordedAt: Timestamp(microsecondsSinceEpoch: 0)))
        }
        return audit.findings.map { "\($0.seq) \($0.rule): \($0.message)" }
    }

    /// Events after `stored`: for each workshop slug, the retraction of its first use on the stored timeline
    /// and a new workshop of that slug (whose verdict depends on whether the prime knew that another stored
    /// entry uses the slug), then a random log's (less its formation and first joins).
    private static func events(after stored: [TimelineEntry], seed: UInt64) -> [TimelineEntry] {
        var events: [TimelineEntry] = []
        var retracted = Set<UUID>()
        for entry in stored {
            if case .eventRetracted(let retraction) = entry.event { retracted.insert(retraction.event) }
        }
        let later = OccurredAt.day(day("2021-03-15"))
        for name in ["w1", "w2", "w3"] {
            let workshop = slug(name)
            let uses = stored.filter {
                if case .workshopHeld(let held) = $0.event {
                    held.workshop == workshop && !retracted.contains($0.id)
                } else {
                    false
                }
            }
            func place(_ entry: TimelineEntry) -> (Int64, UInt64) { (entry.occurredAt.sortKey, entry.seq ?? 0) }
            guard let first = uses.min(by: { place($0) < place($1) }) else { continue }
            let held = Events.workshop(name, for: ["c"], attendees: ["m1"])
            events.append(
                TimelineEntry(
                    id: UUID(), seq: nil, occurredAt: later,
                    event: .eventRetracted(EventRetracted(event: first.id, reason: "in error"))))
            events.append(TimelineEntry(id: UUID(), seq: nil, occurredAt: later, event: held))
        }
        events += RuleAuditModelTests.log(seed: seed &+ 100, length: 30).dropFirst(5)
        return numbered(events, from: UInt64(stored.count + 1))
    }

    @Test(arguments: Array(1...24) as [UInt64])
    func aModelPrimedInTimelineOrderJudgesTheNextEventsAsOnePrimedFromEveryEntryAtOnce(seed: UInt64) throws {
        // Late events, retractions (of workshops and survey waves whose names others use, of joins...), details
        // changes on the latest day: what the prime's order, its retractions and its latest day must get right.
        let stored = Self.numbered(RuleAuditModelTests.log(seed: seed, length: 60), from: 1)
        let next = Self.events(after: stored, seed: seed)
        let log = stored + next

        var atOnce = Self.audit(of: log)
        try atOnce.prime(before: UInt64(stored.count + 1)) { body in
            for entry in stored { try body(entry) }
        }

        var retracted = Set<UUID>()
        for entry in stored {
            if case .eventRetracted(let retraction) = entry.event { retracted.insert(retraction.event) }
        }
        let onTimeline = stored.filter {
            if case .eventRetracted = $0.event { false } else { true }
        }
        let ordered = onTimeline.sorted {
            ($0.occurredAt.localDay, $0.occurredAt.sortKey, $0.seq ?? 0)
                < ($1.occurredAt.localDay, $1.occurredAt.sortKey, $1.seq ?? 0)
        }
        var inOrder = Self.audit(of: log)
        try inOrder.prime(retracting: retracted) { body in
            for entry in ordered { try body(entry) }
        }

        #expect(inOrder.latestDay == atOnce.latestDay, "seed \(seed)")
        let expected = try Self.findings(of: &atOnce, judging: next, log: log)
        let found = try Self.findings(of: &inOrder, judging: next, log: log)
        #expect(found == expected, "seed \(seed)")
    }

    /// The trials above are not vacuous: across the seeds the events after the prime break rules, among them
    /// some that a stored entry of the latest day or a repeated name decides.
    @Test func theTrialsJudgeEventsThatBreakRules() throws {
        var findings = 0
        for seed in 1...24 as ClosedRange<UInt64> {
            let stored = Self.numbered(RuleAuditModelTests.log(seed: seed, length: 60), from: 1)
            let next = Self.events(after: stored, seed: seed)
            var audit = Self.audit(of: stored + next)
            try audit.prime(before: UInt64(stored.count + 1)) { body in
                for entry in stored { try body(entry) }
            }
            findings += try Self.findings(of: &audit, judging: next, log: stored + next).count
        }
        #expect(findings > 24)
    }

    /// Through a store: the keys `StoredTimelineOrder` reads, its filter (events passed over, workshops
    /// without their attendees) and its slices (of 1, 7 and 4,096 events), with the whole log taken too (the
    /// second prime): the walk that does not rebuild (the import's) finds the same events, and gives up at the
    /// same one, after either prime.
    @Test(arguments: [1, 7, 4_096])
    func aStoredLogGivenInTimelineOrderPrimesTheImportsWalkAsTheWholeLogGivenAtOnce(slice: Int) throws {
        let store = try ClockedChronicle()
        store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        try store.chronicle.importLines(
            HistoryGeneratorTests.numbered(HistoryGeneratorTests.history), defaultRecordedBy: "tester")
        let decoder = store.chronicle.reader.decoder
        var lean = decoder
        lean.keepsAttendees = false
        try store.chronicle.log.read { view in
            let head = try view.head().seq
            let before = head * 2 / 3
            var latest: Int32?
            try view.scan(from: 1, direction: .forward) { event in
                guard event.seq <= before else { return false }
                if event.type != EventRetracted.typeName {
                    latest = max(latest ?? .min, OccurredAt(event.occurredAt).localDay.daysSinceEpoch)
                }
                return true
            }
            let filter = ModelEntries(latestDay: latest)
            var stored: [TimelineEntry] = []
            try view.scan(from: 1, direction: .forward) { event in
                guard event.seq <= before else { return false }
                stored.append(try decoder.entry(of: event))
                return true
            }
            // The inert ones (workshops, coaching sessions...) where they fall, judged on the model's history of
            // memberships and details; the others dated on the stored latest day, so that the walks place them
            // (and judge again the stored entries of that day they may make invalid) rather than give up.
            var candidates = CandidateEvents(stored: stored, seed: UInt64(slice))
            let onLatestDay = OccurredAt.day(Day(daysSinceEpoch: latest ?? 0))
            let trial = (0..<120).map { _ in
                let candidate = candidates.next()
                let date = candidate.event.isInertOnTimeline ? candidate.occurredAt : onLatestDay
                return TimelineEntry(id: candidate.id, seq: nil, occurredAt: date, event: candidate.event)
            }
            for all in [false, true] {
                func audit() -> RuleAudit {
                    RuleAudit(limit: 1_000, today: day("2030-01-01"), rebuildsInWalk: false) { _, _ in
                        throw RuleAudit.RebuildNeeded()
                    }
                }
                // As the import primed its walk before: every stored entry its filter takes, at once.
                var atOnce = audit()
                try atOnce.prime(before: before + 1) { body in
                    try view.scan(from: 1, direction: .forward) { event in
                        guard event.seq <= before else { return false }
                        switch all ? .whole : filter.take(type: event.type, on: OccurredAt(event.occurredAt).localDay) {
                        case .passedOver: break
                        case .withoutAttendees: try body(try lean.entry(of: event))
                        case .whole: try body(try decoder.entry(of: event))
                        }
                        return true
                    }
                }
                let order = try StoredTimelineOrder(
                    through: before, taking: filter, all: all, in: view, decoder: decoder)
                var inOrder = audit()
                try inOrder.prime(retracting: order.retracted) { body in
                    try order.entries(in: view, decoder: decoder, slice: slice, body)
                }
                #expect(inOrder.latestDay == atOnce.latestDay)
                // Candidate events after the prime (about half break a rule, many dated before the stored
                // events around them), judged one after the other by each walk.
                func walk(_ audit: inout RuleAudit) throws -> [String] {
                    var seen: [String] = []
                    for (index, candidate) in trial.enumerated() {
                        let seq = before + 1 + UInt64(index)
                        var target: TimelineEntry?
                        if case .eventRetracted(let retraction) = candidate.event,
                            let stored = try view.event(id: retraction.event)
                        {
                            target = try decoder.entry(of: stored)
                        }
                        let entry = TimelineEntry(
                            id: candidate.id, seq: seq, occurredAt: candidate.occurredAt, event: candidate.event)
                        let recorded = RecordedEntry(seq: seq, hash: .genesis, entry: entry, retracted: target)
                        do {
                            try audit.check(
                                AuditedEvent(recorded: recorded, recordedAt: Timestamp(microsecondsSinceEpoch: 0)))
                        } catch is RuleAudit.RebuildNeeded {
                            seen.append("gave up at \(index)")
                            break
                        }
                    }
                    return seen + audit.findings.map { "\($0.seq) \($0.rule): \($0.message)" }
                }
                let expected = try walk(&atOnce)
                #expect(try walk(&inOrder) == expected, "slice \(slice), all \(all)")
                #expect(expected.contains { !$0.hasPrefix("gave up") }, "the candidates break rules: \(expected)")
            }
        }
    }
}
