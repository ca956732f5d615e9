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
}
