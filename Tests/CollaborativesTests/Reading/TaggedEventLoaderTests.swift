import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// A step of a one-collaborative read names damage in its events by the lowest `seq` that failed, whatever
/// order its store lends them in: PostgreSQL lends a statement's rows in the order its plan leaves them, where
/// a fetch by `seq`s went up from the lowest (review B of session 19 found another `seq` named for the same
/// damage on PostgreSQL than on LMDB, and than main).
@Suite struct TaggedEventLoaderTests {
    @Test func aDamagedStepIsReportedByItsLowestFailingSeqWhateverOrderTheStoreLendsItsEventsIn() throws {
        let store = try ClockedChronicle()
        store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        try store.chronicle.importLines(
            HistoryGeneratorTests.numbered(HistoryGeneratorTests.history), defaultRecordedBy: "tester")
        let decoder = store.chronicle.reader.decoder
        try store.chronicle.log.read { view in
            let first = try #require(try view.event(at: 1))
            guard case .collaborativeFormed(let formed) = try decoder.entry(of: first).event else {
                Issue.record("the history does not begin with a formation")
                return
            }
            let tag = EventTag.inCollaborative(formed.collaborative)
            let through = try view.head().seq
            let seqs = try view.taggedSeqs(tag, through: through)
            #expect(seqs.count > 100)
            let missing: Set<UInt64> = [seqs[40], seqs[70], seqs[90]]
            var loader = TaggedEventLoader(
                view: DescendingView(base: view, missing: missing), decoder: decoder, through: through)
            do {
                try loader.load(tags: [tag])
                Issue.record("the missing events were not reported")
            } catch EventLogError.corruptRecord(let seq, _) {
                #expect(seq == seqs[40])
            }
        }
    }
}

/// A view that lends the events under some tags from the highest `seq` down, and those at `missing` as absent.
private struct DescendingView: ForwardingLogView {
    let base: any LogView
    let missing: Set<UInt64>

    func taggedEventsInPlace(
        forEach tags: [String], through seq: UInt64, skipping known: Set<UInt64>,
        _ body: (UInt64, EventInPlace?) throws -> Void
    ) throws {
        var seqs: [UInt64] = []
        try base.taggedEventsInPlace(forEach: tags, through: seq, skipping: known) { found, _ in seqs.append(found) }
        try base.eventsInPlace(at: seqs.sorted(by: >)) { found, event in
            try body(found, missing.contains(found) ? nil : event)
        }
    }
}
