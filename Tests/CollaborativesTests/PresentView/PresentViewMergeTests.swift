import EventLog
import Foundation
import Testing

@testable import Collaboratives
@testable import HistoryGeneration

/// An append that is due to store the present-view checkpoint, and `refreshPresentView`, bring the stored
/// checkpoint up to the head a record at a time (`MergedCheckpoint`) instead of folding and encoding the
/// whole view: what they store is byte for byte what the whole log's fold encodes (over generated histories
/// with late entries, retractions, erasures and re-joins), they hold only the records the events after the
/// checkpoint change, and a damaged, missing or far-behind checkpoint is folded whole (or rebuilt) as before.
@Suite struct PresentViewMergeTests {
    @Test(arguments: [1, 2, 5] as [UInt64])
    func aDueAppendStoresWhatTheWholeFoldEncodesAfterEveryChunkOfAGeneratedHistory(seed: UInt64) throws {
        var merges = 0
        try importGenerated(events: 3_000, collaboratives: 6, seed: seed, chunk: 90, interval: 200) { store in
            if case .some(.some(let footprint)) = store.chronicle.lastCheckpointWrite.value, footprint.streamed {
                merges += 1
            }
            try expectStoredIsTheWholeFold(store.chronicle)
        }
        // The first chunks find no checkpoint (folded whole); every later due one is merged.
        #expect(merges >= 10, "\(merges) merges")
    }

    @Test func aDueAppendHoldsOnlyTheRecordsItsEventsChange() throws {
        var merges = 0
        try importGenerated(events: 4_000, collaboratives: 8, seed: 3, chunk: 40, interval: 100) { store in
            guard case .some(.some(let footprint)) = store.chronicle.lastCheckpointWrite.value else { return }
            let whole = try plainFold(store.chronicle)
            #expect(footprint.streamed)
            guard whole.recordCount > 1_000 else { return }
            merges += 1
            #expect(footprint.records * 3 < whole.recordCount, "\(footprint) of \(whole.recordCount)")
        }
        #expect(merges > 5, "\(merges) merges of a view of more than 1,000 records")
    }

    @Test func appendsOneAtATimeWithRetractionsAndErasuresStoreWhatTheWholeFoldEncodes() throws {
        let store = try ClockedChronicle(checkpointInterval: 7)
        var ids: [UUID] = []
        var merges = 0
        var extras = 0
        let history = ProjectionHistoryGenerator(seed: 8, length: 240).events
        for (index, event) in history.enumerated() {
            var drafts = [Draft(occurredAt: occurred(event.day), recordedBy: "test", event: event.event)]
            // Now and then a retraction of an event stored before or after the checkpoint, or an erasure.
            if index % 5 == 4, !ids.isEmpty {
                drafts.append(
                    Draft(
                        occurredAt: occurred("2024-06-01"), recordedBy: "test",
                        event: Events.retract(ids[(index * 37 + 11) % ids.count])))
            }
            if index % 41 == 40 {
                drafts.append(
                    Draft(occurredAt: occurred("2024-07-01"), recordedBy: "test", event: Events.erased("m\(index % 8)"))
                )
            }
            for (place, draft) in drafts.enumerated() {
                store.clock.set(Timestamp(microsecondsSinceEpoch: 1_800_000_000_000_000 + Int64(ids.count + extras)))
                do {
                    try store.chronicle.append([draft])
                } catch is RuleViolation {
                    continue
                }
                if place == 0 { ids.append(draft.id) } else { extras += 1 }
                if case .some(.some(let footprint)) = store.chronicle.lastCheckpointWrite.value, footprint.streamed {
                    merges += 1
                }
                try expectStoredIsTheWholeFold(store.chronicle)
            }
        }
        #expect(extras > 10 && merges > 20, "\(extras) retractions and erasures, \(merges) merges")
    }

    @Test func aDamagedCheckpointIsFoldedWholeByTheNextDueAppend() throws {
        let store = try ClockedChronicle(checkpointInterval: 5)
        let history = ProjectionHistoryGenerator(seed: 6, length: 60).events
        var appended = 0
        for event in history.prefix(30) {
            store.clock.set(Timestamp(microsecondsSinceEpoch: 1_800_000_000_000_000 + Int64(appended)))
            let draft = Draft(occurredAt: occurred(event.day), recordedBy: "test", event: event.event)
            if (try? store.chronicle.append([draft])) != nil { appended += 1 }
        }
        let stored = try #require(try store.chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) })
        // A byte of the records changed: the header still fits the log, so only a full read finds it.
        var damaged = stored.state
        damaged[PresentView.headerLength + 3] ^= 0x5A
        try store.chronicle.log.saveCheckpoint(
            Checkpoint(name: PresentView.checkpointName, position: stored.position, state: damaged))
        var written: [PresentViewFootprint?] = []
        for event in history.dropFirst(30) where written.isEmpty {
            store.clock.set(Timestamp(microsecondsSinceEpoch: 1_800_000_000_000_000 + Int64(appended)))
            let draft = Draft(occurredAt: occurred(event.day), recordedBy: "test", event: event.event)
            guard (try? store.chronicle.append([draft])) != nil else { continue }
            appended += 1
            if let write = store.chronicle.lastCheckpointWrite.value,
                try store.chronicle.log.read({ view in
                    try view.checkpoint(named: PresentView.checkpointName)?.position == view.head().seq
                })
            {
                written.append(write)
            }
        }
        #expect(written.count == 1 && written.first == .some(nil), "\(written)")
        try expectStoredIsTheWholeFold(store.chronicle)
    }

    @Test func refreshingStoresWhatTheWholeFoldEncodesWhetherTheCheckpointIsBehindMissingOrDamaged() throws {
        let store = try ClockedChronicle(checkpointInterval: 1_000)
        let history = ProjectionHistoryGenerator(seed: 4, length: 160).events
        var appended = 0
        func append(_ events: ArraySlice<(day: String, event: DomainEvent)>) {
            for event in events {
                store.clock.set(Timestamp(microsecondsSinceEpoch: 1_800_000_000_000_000 + Int64(appended)))
                let draft = Draft(occurredAt: occurred(event.day), recordedBy: "test", event: event.event)
                if (try? store.chronicle.append([draft])) != nil { appended += 1 }
            }
        }
        // The first append stores a checkpoint (none was stored); the others leave it behind.
        append(history[0..<80])
        try store.chronicle.refreshPresentView()
        #expect(store.chronicle.lastCheckpointWrite.value??.streamed == true)
        try expectStoredIsTheWholeFold(store.chronicle, atHead: true)
        append(history[80...])
        try store.chronicle.refreshPresentView()
        #expect(store.chronicle.lastCheckpointWrite.value??.streamed == true)
        try expectStoredIsTheWholeFold(store.chronicle, atHead: true)
        // Damaged: rebuilt from the whole log.
        let stored = try #require(try store.chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) })
        var damaged = stored.state
        damaged[damaged.count - 1] ^= 0x01
        try store.chronicle.log.saveCheckpoint(
            Checkpoint(name: PresentView.checkpointName, position: stored.position, state: damaged))
        try store.chronicle.refreshPresentView()
        #expect(store.chronicle.lastCheckpointWrite.value.map { $0 == nil } == true)
        try expectStoredIsTheWholeFold(store.chronicle, atHead: true)
    }

    @Test func aRestoredLogWithoutACheckpointIsRebuiltNotMerged() throws {
        let source = try ClockedChronicle(checkpointInterval: 1_000)
        var appended = 0
        for event in ProjectionHistoryGenerator(seed: 2, length: 120).events {
            source.clock.set(Timestamp(microsecondsSinceEpoch: 1_800_000_000_000_000 + Int64(appended)))
            let draft = Draft(occurredAt: occurred(event.day), recordedBy: "test", event: event.event)
            if (try? source.chronicle.append([draft])) != nil { appended += 1 }
        }
        let events = try source.chronicle.log.read { view in
            try (1...view.head().seq).compactMap { try view.event(at: $0) }
        }
        let copy = try ClockedChronicle(checkpointInterval: 1_000)
        try copy.chronicle.log.restore(events)
        try copy.chronicle.refreshPresentView()
        #expect(copy.chronicle.lastCheckpointWrite.value.map { $0 == nil } == true)
        try expectStoredIsTheWholeFold(copy.chronicle, atHead: true)
    }
}

/// Checks that the stored present-view checkpoint of `chronicle` is, byte for byte, what folding the whole
/// log up to its position and encoding the view gives (at the head too, with `atHead`).
private func expectStoredIsTheWholeFold(
    _ chronicle: Chronicle, atHead: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    try chronicle.log.read { view in
        let stored = try #require(
            try view.checkpoint(named: PresentView.checkpointName), sourceLocation: sourceLocation)
        var whole = PresentView.empty
        try chronicle.reader.fold(&whole, in: view, through: stored.position)
        #expect(stored.state == whole.encoded(), "at \(stored.position)", sourceLocation: sourceLocation)
        if atHead { #expect(stored.position == (try view.head().seq), sourceLocation: sourceLocation) }
    }
}
