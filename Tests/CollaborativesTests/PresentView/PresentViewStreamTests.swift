import EventLog
import Foundation
import Testing

@testable import Collaboratives
@testable import HistoryGeneration

/// `status` reads the present view one collaborative at a time from the checkpoint's encoding
/// (`HistoryReader.streamPresentView`): what it gives is what the whole view and its summary give, heading
/// and collaboratives alike, whether the checkpoint is current, behind (the events after it folded into
/// the records they change), missing or damaged; and it holds one collaborative's records at a time.
@Suite struct PresentViewStreamTests {
    @Test(arguments: [1, 2, 5] as [UInt64])
    func streamingAGeneratedHistoryGivesWhatTheWholeViewGivesAfterEveryChunk(seed: UInt64) throws {
        var states: [CheckpointState] = []
        try importGenerated(events: 3_000, collaboratives: 6, seed: seed, chunk: 700, interval: 1_000) { store in
            let (heading, footprint) = try expectStreamedEqualsWhole(store.chronicle)
            states.append(heading.checkpoint)
            #expect(footprint.streamed)
        }
        #expect(states.count == 5)
    }

    /// Appends each of `events` on its own (those the rules refuse left out, as the property tests do),
    /// `after` called after each one accepted with its id; returns the ids accepted.
    @discardableResult
    private func appendEach(
        _ events: some Sequence<(day: String, event: DomainEvent)>, to store: ClockedChronicle,
        after: (UUID) throws -> Void = { _ in }
    ) throws -> [UUID] {
        var ids: [UUID] = []
        for event in events {
            let draft = Draft(occurredAt: occurred(event.day), recordedBy: "test", event: event.event)
            store.clock.set(Timestamp(microsecondsSinceEpoch: 1_800_000_000_000_000 + Int64(ids.count)))
            do {
                try store.chronicle.append([draft])
            } catch is RuleViolation {
                continue
            }
            ids.append(draft.id)
            try after(draft.id)
        }
        return ids
    }

    @Test func aCheckpointBehindTheLogIsStreamedWithTheEventsAfterItFoldedIn() throws {
        let store = try ClockedChronicle(checkpointInterval: 1_000)
        let history = ProjectionHistoryGenerator(seed: 4, length: 160).events
        var ids = try appendEach(history.prefix(80), to: store)
        try store.chronicle.refreshPresentView()
        let position = try store.chronicle.log.read { try $0.head().seq }
        var retractions = 0
        try appendEach(history.dropFirst(80), to: store) { id in
            ids.append(id)
            // Now and then a retraction of an event stored before the checkpoint or after it.
            if ids.count % 3 == 0 {
                let retraction = Draft(
                    occurredAt: occurred("2024-06-01"), recordedBy: "test",
                    event: Events.retract(ids[(ids.count / 3 * 37 + 11) % ids.count]))
                if (try? store.chronicle.append([retraction])) != nil { retractions += 1 }
            }
            let (heading, footprint) = try expectStreamedEqualsWhole(store.chronicle)
            #expect(heading.checkpoint == .behind(position: position))
            #expect(footprint.streamed)
        }
        #expect(retractions > 2 && ids.count > 100, "\(retractions) retractions, \(ids.count) events")
    }

    @Test func aStreamedReadHoldsOneCollaborativeAtATime() throws {
        try importGenerated(events: 4_000, collaboratives: 8, seed: 3, chunk: 4_000, interval: 1_000) { store in
            let (_, footprint) = try expectStreamedEqualsWhole(store.chronicle)
            let whole = try plainFold(store.chronicle)
            #expect(footprint.streamed)
            #expect(footprint.collaboratives == 1)
            #expect(whole.collaboratives.count == 8)
            // Members are shared only within a collaborative here, so one collaborative's are a fraction.
            #expect(footprint.records * 3 < whole.recordCount, "\(footprint) of \(whole.recordCount)")
        }
    }

    @Test func aDamagedOrMissingCheckpointIsReadAsTheWholeFoldReadsIt() throws {
        let store = try ClockedChronicle(checkpointInterval: 1_000)
        let ids = try appendEach(ProjectionHistoryGenerator(seed: 6, length: 80).events, to: store)
        // Retractions, so that the checkpoint lists retracted ids (one of the damages repeats one of them).
        var retractions = 0
        for id in ids.reversed() where retractions < 3 {
            let retraction = Draft(
                occurredAt: occurred("2024-06-01"), recordedBy: "test", event: Events.retract(id))
            if (try? store.chronicle.append([retraction])) != nil { retractions += 1 }
        }
        try store.chronicle.refreshPresentView()
        let stored = try #require(
            try store.chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) })
        // Where the retracted ids start, after the header and their count.
        var at = PresentView.headerLength
        var count = 0
        var shift = 0
        while true {
            let byte = stored.state[at]
            count |= Int(byte & 0x7F) << shift
            at += 1
            shift += 7
            if byte < 0x80 { break }
        }
        try #require(count >= 2, "the history retracts at least two events")
        // A byte of the records (after the retracted ids) changed, then the table's offset, then the first
        // retracted id written again over the second (a repeat the whole view's Set would hide).
        var records = stored.state
        records[at + 16 * count + 2] ^= 0x5A
        var offset = stored.state
        offset[offset.count - 1] ^= 0x01
        var repeated = stored.state
        repeated.replaceSubrange((at + 16)..<(at + 32), with: stored.state[at..<(at + 16)])
        for damaged in [records, offset, repeated] {
            try store.chronicle.log.saveCheckpoint(
                Checkpoint(name: PresentView.checkpointName, position: stored.position, state: damaged))
            let (heading, footprint) = try expectStreamedEqualsWhole(store.chronicle)
            guard case .unusable = heading.checkpoint else {
                Issue.record("\(heading.checkpoint)")
                continue
            }
            #expect(!footprint.streamed)
        }
        let empty = try ClockedChronicle(checkpointInterval: 1_000)
        let (heading, footprint) = try expectStreamedEqualsWhole(empty.chronicle)
        #expect(heading.checkpoint == .missing && !footprint.streamed)
    }
}

/// Checks that the streamed view of `chronicle` is the whole view's: the heading from
/// ``HistoryReader/presentViewAndDigest(in:)``, the collaboratives from ``HistoryReader/summary(of:in:)``.
@discardableResult
func expectStreamedEqualsWhole(
    _ chronicle: Chronicle, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) throws -> (PresentViewHeading, PresentViewFootprint) {
    try chronicle.log.read { view in
        let (present, state, digest) = try chronicle.reader.presentViewAndDigest(in: view)
        let summary = try chronicle.reader.summary(of: present, in: view)
        let whole = PresentViewHeading(
            lastSeq: summary.lastSeq, lastHash: summary.lastHash, retracted: summary.retracted, digest: digest,
            checkpoint: state)
        var headings: [PresentViewHeading] = []
        var collaboratives: [PresentCollaborative] = []
        let footprint = try chronicle.reader.streamPresentView(in: view) {
            headings.append($0)
        } collaborative: {
            collaboratives.append($0)
        }
        #expect(headings == [whole], comment, sourceLocation: sourceLocation)
        #expect(digest == present.digest, comment, sourceLocation: sourceLocation)
        #expect(collaboratives == summary.collaboratives, comment, sourceLocation: sourceLocation)
        return (headings.first ?? whole, footprint)
    }
}

/// For the present-view suites: a generated history of `events` events in `collaboratives` collaboratives
/// (erasures, late entries, retractions and re-joins among them), imported `chunk` lines at a time into a
/// store that keeps its checkpoint every `interval` events; `check` is called after every chunk.
func importGenerated(
    events: Int, collaboratives: Int, seed: UInt64, chunk: Int, interval: UInt64,
    check: (ClockedChronicle) throws -> Void
) throws {
    let store = try ClockedChronicle(today: HistoryGeneratorTests.today, checkpointInterval: interval)
    store.clock.set(try #require(Timestamp(rfc3339: HistoryGeneratorTests.now)))
    let lines = HistoryGeneratorTests.numbered(
        try HistoryGeneratorTests.lines(events: events, collaboratives: collaboratives, seed: seed))
    var start = 0
    while start < lines.count {
        let end = min(start + chunk, lines.count)
        try store.chronicle.importLines(Array(lines[start..<end]), defaultRecordedBy: "test")
        try check(store)
        start = end
    }
}
