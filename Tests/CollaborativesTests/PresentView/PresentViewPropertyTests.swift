import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// The present view kept incrementally by `Chronicle.append` equals a fold of the whole log from scratch
/// after every batch, on random histories recorded in random batches, a quarter of the events late and with
/// random retractions; and it agrees with `replay` on the latest day.
@Suite struct PresentViewPropertyTests {
    /// Records `history` in batches of 1…5 through the store, checking after each one.
    /// What a recording exercised.
    struct Exercised {
        var batches = 0
        var refused = 0
        var retractions = 0
        /// Events appended with a date before the latest date already in the log.
        var late = 0
    }

    /// Records `history` through the store in batches of one to four events, a quarter of them held back
    /// and recorded late (with a later batch), and now and then a retraction of an event already recorded,
    /// checking the checkpoint after every append, accepted or refused.
    private func recordChecking(_ history: ProjectionHistoryGenerator, seed: UInt64) throws -> Exercised {
        // Odd seeds store the checkpoint with every append, even ones once every 3 events.
        let store = try ClockedChronicle(checkpointInterval: seed % 2 == 1 ? 1 : 3)
        var generator = SeededGenerator(seed: seed &* 7919)
        var pending = history.events
        var late: [(day: String, event: DomainEvent)] = []
        var ids: [UUID] = []
        var instant: Int64 = 1_700_000_000_000_000
        var exercised = Exercised()
        var latestDay = day("1970-01-01")
        func append(_ batch: [(day: String, event: DomainEvent)]) throws {
            instant += Int64.random(in: 0...2, using: &generator) * 3_600_000_000
            store.clock.set(Timestamp(microsecondsSinceEpoch: instant))
            let drafts = batch.map { Draft(occurredAt: occurred($0.day), recordedBy: "property", event: $0.event) }
            do {
                try store.chronicle.append(drafts)
                for draft in drafts {
                    if case .eventRetracted = draft.event {
                        exercised.retractions += 1
                        continue
                    }
                    ids.append(draft.id)
                    if draft.occurredAt.localDay < latestDay { exercised.late += 1 }
                    latestDay = max(latestDay, draft.occurredAt.localDay)
                }
            } catch is RuleViolation {
                exercised.refused += 1
            }
            exercised.batches += 1
            try expectCheckpointEqualsRebuild(store, after: exercised.batches)
        }
        while !pending.isEmpty || !late.isEmpty {
            var batch: [(day: String, event: DomainEvent)] = []
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                if !pending.isEmpty {
                    let item = pending.removeFirst()
                    // The formations are never late: without them every later event would be refused.
                    if ids.count >= 2, Int.random(in: 0..<4, using: &generator) == 0 {
                        late.append(item)
                    } else {
                        batch.append(item)
                    }
                } else if !late.isEmpty {
                    batch.append(late.removeFirst())
                }
                if !late.isEmpty, Int.random(in: 0..<3, using: &generator) == 0 {
                    batch.append(late.remove(at: Int.random(in: 0..<late.count, using: &generator)))
                }
            }
            try append(batch)
            if let target = ids.randomElement(using: &generator), Int.random(in: 0..<4, using: &generator) == 0 {
                try append([("2024-01-01", Events.retract(target))])
            }
        }
        try expectAgreementWithReplay(store)
        return exercised
    }

    private func expectCheckpointEqualsRebuild(_ store: ClockedChronicle, after batches: Int) throws {
        let (head, checkpoint) = try store.chronicle.log.read { view in
            (try view.head(), try view.checkpoint(named: PresentView.checkpointName))
        }
        guard head.seq > 0 else { return }
        let stored = try #require(checkpoint, "no checkpoint after batch \(batches)")
        // Within the interval of the head, and the fold of the log up to its position.
        #expect(head.seq - stored.position < store.chronicle.checkpointInterval, "after batch \(batches)")
        let rebuild = try store.chronicle.reader.rederivePresentView()
        #expect(rebuild.comparison.isMatched(at: stored.position), "after batch \(batches)")
        let present = try store.chronicle.log.read { try store.chronicle.reader.presentView(in: $0).present }
        #expect(present == (try plainFold(store.chronicle)), "after batch \(batches)")
        #expect(present.digest == rebuild.digest, "after batch \(batches)")
        // `status` reads it one collaborative at a time, the events after the checkpoint folded in: the same.
        let (_, footprint) = try expectStreamedEqualsWhole(store.chronicle, "after batch \(batches)")
        #expect(footprint.streamed, "after batch \(batches)")
        if stored.position == head.seq {
            #expect(try PresentView(decoding: stored.state) == present, "after batch \(batches)")
        }
    }

    /// `replay` on a day after every event, as known now, is the present view by another road.
    private func expectAgreementWithReplay(_ store: ClockedChronicle) throws {
        let summary = try store.chronicle.log.read { view in
            try store.chronicle.reader.summary(of: try store.chronicle.reader.presentView(in: view).present, in: view)
        }
        let view = try HistoryView.load(
            from: store.chronicle.reader, asOf: day("2030-01-01"), knownAt: Timestamp(microsecondsSinceEpoch: .max))
        #expect(summary.collaboratives.map(\.collaborative) == view.collaboratives)
        #expect(summary.retracted == view.eventsRetracted)
        var workshops: [Slug: Int] = [:]
        var sessions: [Slug: Int] = [:]
        for entry in view.timeline.entries {
            switch entry.event {
            case .workshopHeld(let workshop): for slug in workshop.collaboratives { workshops[slug, default: 0] += 1 }
            case .coachingSessionHeld(let session): sessions[session.collaborative, default: 0] += 1
            default: break
            }
        }
        for present in summary.collaboratives {
            let replay = ReplayReport.compute(view: view, collaborative: present.collaborative)
            #expect(present.formedOn == replay.formedOn && present.name == replay.name)
            #expect(present.members.map(\.member) == replay.members.map(\.member))
            #expect(present.members.map(\.sector) == replay.members.map(\.sector))
            #expect(present.members.map(\.organisation) == replay.members.map(\.organisation))
            #expect(present.members.map(\.since) == replay.members.map(\.since))
            #expect(present.roles == replay.roles)
            #expect(present.subgroups.map(\.subgroup) == replay.subgroups.map(\.subgroup))
            #expect(present.subgroups.map(\.status) == replay.subgroups.map(\.status))
            #expect(present.subgroups.map(\.statusSince) == replay.subgroups.map(\.statusSince))
            #expect(present.subgroups.map(\.title) == replay.subgroups.map(\.title))
            #expect(present.subgroupsByStatus == replay.counts.subgroupsByStatus)
            #expect(present.membersBySector.count == replay.counts.sectors)
            #expect(present.workshops == workshops[present.collaborative, default: 0])
            #expect(present.coachingSessions == sessions[present.collaborative, default: 0])
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func incrementalCheckpointEqualsAFullRebuildAfterEveryBatch(seed: UInt64) throws {
        let exercised = try recordChecking(ProjectionHistoryGenerator(seed: seed, length: 90), seed: seed)
        #expect(exercised.batches > 10)
    }

    @Test func randomBatchesExerciseLateEventsRetractionsAndRefusals() throws {
        var total = Exercised()
        for seed in [11, 12, 13] as [UInt64] {
            let exercised = try recordChecking(ProjectionHistoryGenerator(seed: seed, length: 90), seed: seed)
            total.refused += exercised.refused
            total.retractions += exercised.retractions
            total.late += exercised.late
            total.batches += exercised.batches
        }
        #expect(total.refused > 0 && total.retractions > 5 && total.late > 10, "\(total)")
        #expect(total.refused < total.batches / 2, "\(total)")
    }
}
