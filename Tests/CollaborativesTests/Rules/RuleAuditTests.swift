import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// `Chronicle.verifyRules`: every stored event judged as an append of it at its place in the log would
/// have been, on logs written past the rules through the bare `EventStore` (as a recorder with their own
/// code could on PostgreSQL, where the rules run in the client).
@Suite struct RuleAuditTests {
    /// Writes `events` straight to the log in one batch, past every rule; returns their ids.
    @discardableResult
    static func bypass(_ store: TemporaryChronicle, _ events: [(String, DomainEvent)]) throws -> [UUID] {
        let drafts = store.drafts(events)
        try store.chronicle.log.append(drafts.map(\.newEvent))
        return drafts.map(\.id)
    }

    /// Oldham formed, ol-1 and staff-1 joined (seq 1–3).
    static let oldham: [(String, DomainEvent)] = [
        ("2021-09-01", Events.formed("oldham")),
        ("2021-11-15", Events.joined("ol-1", "oldham")),
        ("2021-11-15", Events.joined("staff-1", "oldham", sector: .programmeStaff)),
    ]

    @Test func aMemberJoinedTwiceIsNamedWithItsSeqAndRule() throws {
        let store = try TemporaryChronicle()
        let ids = try Self.bypass(store, Self.oldham + [("2022-01-10", Events.joined("ol-1", "oldham"))])
        let report = try store.chronicle.reader.verifyRules()
        #expect(report.checkedThrough == 4)
        #expect(report.findings.map(\.seq) == [4])
        let finding = try #require(report.findings.first)
        #expect(finding.rule == .joinWhenNotActive)
        #expect(finding.id == ids[3])
        #expect(finding.eventType == "MemberJoined")
        #expect(finding.message.contains("ol-1 is already active in oldham"))
    }

    @Test func aRoleAssignedAgainToItsHolderIsNamed() throws {
        let store = try TemporaryChronicle()
        try Self.bypass(
            store,
            Self.oldham + [
                ("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham")),
                // A second holder is lawful (a locality had two anchors); the same holder again is not.
                ("2022-01-11", Events.assigned("staff-1", .anchor, in: "oldham")),
                ("2022-01-12", Events.assigned("ol-1", .anchor, in: "oldham")),
            ])
        let report = try store.chronicle.reader.verifyRules()
        #expect(report.findings.map(\.seq) == [6])
        #expect(report.findings.first?.rule == .roleNotReassigned)
    }

    @Test func anAttendeeWhoWasNeverAMemberIsNamed() throws {
        let store = try TemporaryChronicle()
        try Self.bypass(
            store,
            Self.oldham + [("2022-02-01", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1", "ghost-9"]))])
        let report = try store.chronicle.reader.verifyRules()
        #expect(report.findings.map(\.seq) == [4])
        #expect(report.findings.first?.rule == .memberActive)
        #expect(report.findings.first?.message.contains("ghost-9") == true)
    }

    @Test func aDateInTheFutureOfItsRecordedAtIsNamedWhateverTheChronicleCallsToday() throws {
        // Recorded on 2024-09-01 (the store's clock); the chronicle's own "today" is earlier and plays no part.
        let store = try TemporaryChronicle(now: "2024-09-01T12:00:00Z", today: "2024-01-01")
        try Self.bypass(
            store,
            Self.oldham + [
                ("2024-06-01", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1"])),
                ("2024-09-02", Events.workshop("w2", for: ["oldham"], attendees: ["ol-1"])),
            ])
        let report = try store.chronicle.reader.verifyRules()
        #expect(report.findings.map(\.seq) == [5])
        #expect(report.findings.first?.rule == .notInFuture)
        #expect(report.findings.first?.message.contains("after today (2024-09-01") == true)
    }

    @Test func aLateLeaveIsNamedForTheWorkshopItMakesInvalid() throws {
        let store = try TemporaryChronicle()
        let ids = try Self.bypass(
            store,
            Self.oldham + [
                ("2022-03-01", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1"])),
                ("2022-01-10", Events.left("ol-1", "oldham")),
            ])
        let report = try store.chronicle.reader.verifyRules()
        #expect(report.findings.map(\.seq) == [5])
        let finding = try #require(report.findings.first)
        #expect(finding.rule == .memberActive)
        #expect(finding.invalidated == ids[3])
        #expect(finding.message.hasPrefix("makes event \(ids[3].uuidString.lowercased()) (seq 4, WorkshopHeld"))
    }

    @Test func aLeaveOnTheDayOfAWorkshopRecordedBeforeItIsNamedForThatWorkshop() throws {
        let store = try TemporaryChronicle()
        let ids = try Self.bypass(
            store,
            Self.oldham + [
                ("2022-03-01", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1"])),
                ("2022-03-01", Events.left("ol-1", "oldham")),
            ])
        let report = try store.chronicle.reader.verifyRules()
        #expect(report.findings.map(\.seq) == [5])
        #expect(report.findings.first?.invalidated == ids[3])
    }

    @Test func aLateDetailsChangeThatUnmakesACoachingAdvisorIsNamedForTheSession() throws {
        let store = try TemporaryChronicle()
        let ids = try Self.bypass(
            store,
            Self.oldham + [
                ("2022-03-01", Events.coaching(in: "oldham", advisor: "staff-1", attendees: ["ol-1"])),
                ("2022-01-01", Events.changed("ol-1", sector: .health)),
                ("2022-01-01", Events.changed("staff-1", sector: .health)),
            ])
        let report = try store.chronicle.reader.verifyRules()
        #expect(report.findings.map(\.seq) == [6])
        #expect(report.findings.first?.rule == .coachingAdvisor)
        #expect(report.findings.first?.invalidated == ids[3])
    }

    @Test func aLateDetailsChangeBeforeTheMembersFirstJoinIsNamed() throws {
        let store = try TemporaryChronicle()
        try Self.bypass(
            store,
            Self.oldham + [
                ("2022-03-01", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1"])),
                ("2021-10-01", Events.changed("ol-1", sector: .health)),
                ("2022-03-02", Events.coaching(in: "oldham", advisor: "staff-1", attendees: ["ol-1"])),
            ])
        let report = try store.chronicle.reader.verifyRules()
        #expect(report.findings.map(\.seq) == [5])
        #expect(report.findings.first?.rule == .memberExists)
    }

    @Test func oneBadEventDoesNotCascadeIntoReportsForTheEventsAfterIt() throws {
        let store = try TemporaryChronicle()
        try Self.bypass(
            store,
            Self.oldham + [
                ("2022-01-10", Events.joined("ol-1", "oldham")),
                ("2022-02-01", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1", "staff-1"])),
                ("2022-02-02", Events.left("ol-1", "oldham")),
                ("2022-02-03", Events.coaching(in: "oldham", advisor: "staff-1", attendees: [], kind: .group)),
                ("2021-12-01", Events.workshop("w0", for: ["oldham"], attendees: ["staff-1"])),
            ])
        let report = try store.chronicle.reader.verifyRules()
        #expect(report.findings.map(\.seq) == [4])
    }

    @Test func aRetractionThatLeavesALaterEventInvalidIsNamed() throws {
        let store = try TemporaryChronicle()
        let ids = try Self.bypass(
            store,
            Self.oldham + [("2022-02-01", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1"]))])
        try Self.bypass(store, [("2022-03-01", Events.retract(ids[1]))])
        let report = try store.chronicle.reader.verifyRules()
        #expect(report.findings.map(\.seq) == [5])
        #expect(report.findings.first?.rule == .memberActive)
        #expect(report.findings.first?.invalidated == ids[3])
    }

    @Test func retractingARetractionOrRetractingTwiceIsNamed() throws {
        let store = try TemporaryChronicle()
        let ids = try Self.bypass(
            store,
            Self.oldham + [("2022-02-01", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1"]))])
        let retraction = try Self.bypass(store, [("2022-03-01", Events.retract(ids[3]))])
        try Self.bypass(
            store, [("2022-03-02", Events.retract(ids[3])), ("2022-03-03", Events.retract(retraction[0]))])
        let report = try store.chronicle.reader.verifyRules()
        #expect(report.findings.map(\.seq) == [6, 7])
        #expect(report.findings.map(\.rule) == [.retractionFinal, .retractionFinal])
    }

    @Test func findingsPastTheLimitAreCountedNotListed() throws {
        let store = try TemporaryChronicle()
        let ghosts = (1...5).map {
            ("2022-02-0\($0)", Events.workshop("w\($0)", for: ["oldham"], attendees: ["g-\($0)"]))
        }
        try Self.bypass(store, Self.oldham + ghosts)
        let report = try store.chronicle.reader.verifyRules(limit: 2)
        #expect(report.findings.map(\.seq) == [4, 5])
        #expect(report.unlisted == 3)
        #expect(report.count == 5 && !report.isClean)
    }

    @Test func aCleanGeneratedHistoryHasNoFinding() throws {
        let store = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        try store.chronicle.importLines(
            HistoryGeneratorTests.numbered(HistoryGeneratorTests.history), defaultRecordedBy: "t")
        var calls = 0
        let report = try store.chronicle.reader.verifyRules { _, _ in calls += 1 }
        #expect(report.checkedThrough == UInt64(HistoryGeneratorTests.history.count))
        #expect(report.isClean, "\(report.findings.prefix(3))")
        #expect(calls > 0)
    }

    @Test func anEmptyLogHasNoFinding() throws {
        let store = try TemporaryChronicle()
        let report = try store.chronicle.reader.verifyRules()
        #expect(report.checkedThrough == 0 && report.isClean)
    }

    /// The audit against its definition, computed the slow way: for each event, the append's own check
    /// (``BatchChecks``, the ``RetractionLedger`` of everything stored before it, the ``Timeline`` of the
    /// stored events and it), naming it when it breaks a rule itself or when an entry breaks one that had
    /// never broken one before. Random valid histories, with some events held back and written late, and
    /// random candidates (about half breaking a rule) dated late or on the latest day, exercise every path
    /// of the walk: in order, late and inert, late and rebuilt, retractions.
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func theAuditNamesExactlyTheEventsAnAppendAtTheirPlaceWouldHaveRefused(seed: UInt64) throws {
        let history = RandomHistory(seed: seed, length: 90)
        var generator = SeededGenerator(seed: seed &+ 100)
        let base = history.events.map {
            TimelineEntry(id: UUID(), seq: nil, occurredAt: occurred($0.day), event: $0.event)
        }
        var candidates = CandidateEvents(stored: base, seed: seed)
        var written: [TimelineEntry] = []
        var heldBack: [TimelineEntry] = []
        for entry in base {
            if Int.random(in: 0..<10, using: &generator) == 0 {
                heldBack.append(entry)
            } else {
                written.append(entry)
            }
            if Int.random(in: 0..<4, using: &generator) == 0, !heldBack.isEmpty {
                written.append(heldBack.removeFirst())
            }
            if Int.random(in: 0..<3, using: &generator) == 0 {
                var candidate = candidates.next()
                if Bool.random(using: &generator) {
                    candidate = TimelineEntry(
                        id: candidate.id, seq: nil, occurredAt: entry.occurredAt, event: candidate.event)
                }
                written.append(candidate)
            }
        }
        written += heldBack
        let store = try TemporaryChronicle()
        let drafts = written.map { Draft(id: $0.id, occurredAt: $0.occurredAt, recordedBy: "t", event: $0.event) }
        try store.chronicle.log.append(drafts.map(\.newEvent))

        let expected = Self.refusals(of: written, today: day("2024-09-01"))
        try Self.expectFindings(of: store.chronicle, equalTo: expected)
    }

    /// Expects `verify --rules` on `chronicle` to name exactly the events of `expected`, each for its rule (or
    /// as invalidated by one of the events it names).
    static func expectFindings(
        of chronicle: Chronicle, equalTo expected: [(seq: UInt64, own: Rule?, invalidated: Set<UUID>)]
    ) throws {
        let report = try chronicle.reader.verifyRules(limit: .max)
        #expect(report.findings.map(\.seq) == expected.map(\.seq))
        for (finding, refusal) in zip(report.findings, expected) where finding.seq == refusal.seq {
            if let rule = refusal.own {
                #expect(finding.rule == rule && finding.invalidated == nil, "seq \(finding.seq)")
            } else {
                #expect(finding.invalidated.map(refusal.invalidated.contains) == true, "seq \(finding.seq)")
            }
        }
        #expect(!expected.isEmpty)
    }

    /// What ``theAuditNamesExactlyTheEventsAnAppendAtTheirPlaceWouldHaveRefused(seed:)`` compares with.
    static func refusals(
        of log: [TimelineEntry], today: Day
    ) -> [(seq: UInt64, own: Rule?, invalidated: Set<UUID>)] {
        var refusals: [(seq: UInt64, own: Rule?, invalidated: Set<UUID>)] = []
        var stored: [TimelineEntry] = []
        var everInvalid = Set<UUID>()
        var retracted = Set<UUID>()
        for (index, entry) in log.enumerated() {
            let seq = UInt64(index + 1)
            var ledger = RetractionLedger(stored: stored, retractedIDs: [])
            var own = BatchChecks.failure(of: entry, today: today)?.rule
            if let failure = ledger.admit(entry, batchIndex: 0) { own = own ?? failure.rule }
            // A stored retraction retracts its target for every later append, even one the rules refused:
            // the audit takes that effect at the retraction.
            if case .eventRetracted(let retraction) = entry.event { retracted.insert(retraction.event) }
            var entries = stored.filter { !retracted.contains($0.id) }
            if !retracted.contains(entry.id) { entries.append(entry) }
            let timeline = Timeline(entries: entries)
            var failing = Set<UUID>()
            for (position, placed) in timeline.entries.enumerated() {
                guard
                    let failure = timeline.referenceFailure(of: placed, on: timeline.localDays[position])
                        ?? timeline.issues[position]
                else { continue }
                failing.insert(placed.id)
                if placed.id == entry.id, !everInvalid.contains(entry.id) { own = own ?? failure.rule }
            }
            let invalidated = failing.subtracting(everInvalid).subtracting([entry.id])
            everInvalid.formUnion(failing)
            if own != nil || !invalidated.isEmpty { refusals.append((seq, own, invalidated)) }
            stored.append(TimelineEntry(id: entry.id, seq: seq, occurredAt: entry.occurredAt, event: entry.event))
        }
        return refusals
    }
}
