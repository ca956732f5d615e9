import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// An import taken a stretch of lines at a time, inside one transaction, writes what one stretch of every
/// line would, and keeps the present view's checkpoint as a fold of the whole log would.
@Suite struct StreamedImportTests {
    /// `oldhamHistory` as a `Chronicle` over a new store with `checkpointInterval` imports it, `stretch` lines
    /// at a time: the summary, and the stored checkpoint's state.
    private func imported(stretch: Int, checkpointInterval: UInt64 = 2) throws -> (ImportSummary, [UInt8]?) {
        let store = try TemporaryChronicle()
        let chronicle = Chronicle(
            log: store.chronicle.log, today: store.chronicle.today, checkpointInterval: checkpointInterval)
        let summary = try chronicle.importLines(
            numberedLines(oldhamHistory), defaultRecordedBy: "tester", dryRun: false, stretch: stretch)
        let checkpoint = try chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) }
        return (summary, checkpoint?.state)
    }

    @Test func anImportOneLineAtATimeWritesWhatOneStretchWrites() throws {
        let (whole, wholeCheckpoint) = try imported(stretch: 100)
        let (streamed, streamedCheckpoint) = try imported(stretch: 1)
        #expect(streamed.appended == whole.appended && streamed.lines == whole.lines)
        #expect(streamed.head == whole.head, "the same events, at the same recordedAt, chain to the same head")
        #expect(streamedCheckpoint != nil)
        #expect(streamedCheckpoint == wholeCheckpoint, "the checkpoint folded stretch by stretch is the whole fold")
    }

    @Test func theCheckpointAStreamedImportStoresIsTheOneARebuildDerives() throws {
        let store = try TemporaryChronicle()
        let chronicle = Chronicle(log: store.chronicle.log, today: store.chronicle.today, checkpointInterval: 1)
        _ = try chronicle.importLines(
            numberedLines(oldhamHistory), defaultRecordedBy: "tester", dryRun: false, stretch: 1)
        let stored = try chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) }
        _ = try chronicle.rebuildPresentView()
        let rebuilt = try chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) }
        #expect(stored != nil && stored == rebuilt)
    }

    @Test func anIDRepeatedInALaterStretchNamesBothLines() throws {
        let store = try TemporaryChronicle()
        let lines = oldhamHistory.split(separator: "\n").map(String.init)
        let repeated = lines + [lines[0]]
        let error = try #require(throws: InputError.self) {
            try store.chronicle.importLines(
                numberedLines(repeated.joined(separator: "\n")), defaultRecordedBy: "t", dryRun: false, stretch: 2)
        }
        #expect(error.line == repeated.count)
        #expect(error.message.hasSuffix("already used on line 1"), "\(error)")
        #expect(try store.head() == .empty)
    }

    @Test func linePlacesFindEachEventsLineAcrossBrokenRuns() {
        var places = LinePlaces()
        places.add(seq: 5, index: 0, line: 1)
        places.add(seq: 6, index: 1, line: 2)
        places.add(seq: 7, index: 2, line: 9)  // blank lines before it
        places.add(seq: 8, index: 4, line: 11)  // a retry skipped before it
        #expect(places.place(of: 4) == nil)
        #expect(places.place(of: 6) == LinePlaces.Place(index: 1, line: 2))
        #expect(places.place(of: 7) == LinePlaces.Place(index: 2, line: 9))
        #expect(places.place(of: 8) == LinePlaces.Place(index: 4, line: 11))
        #expect(places.place(of: 9) == nil)
    }
}
