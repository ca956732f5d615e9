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

    /// A line retrying an event stored before the import, repeated in a later stretch: each alone is an
    /// idempotent retry, but one batch refuses the id used twice in the file, naming both lines, and so does
    /// the streamed import.
    @Test func aStoredEventsLineRepeatedInALaterStretchIsRefusedNamingBothLines() throws {
        let store = try TemporaryChronicle()
        try store.chronicle.importLines(numberedLines(oldhamHistory), defaultRecordedBy: "t")
        let before = try store.head()
        let lines = oldhamHistory.split(separator: "\n").map(String.init)
        func joined(_ member: String, id: Int) -> String {
            lines[1].replacingOccurrences(of: "ol-17", with: member).replacingOccurrences(
                of: "000000000002", with: "0000000000\(id)")
        }
        let file = [lines[1], joined("ol-18", id: 20), joined("ol-19", id: 21), lines[1]].joined(separator: "\n")
        for stretch in [2, 4] {
            let error = try #require(throws: InputError.self, "stretch \(stretch)") {
                try store.chronicle.importLines(
                    numberedLines(file), defaultRecordedBy: "t", dryRun: false, stretch: stretch)
            }
            #expect(error.line == 4, "stretch \(stretch): \(error)")
            #expect(error.message.hasSuffix("already used on line 1"), "stretch \(stretch): \(error)")
        }
        #expect(try store.head() == before)
    }

    /// A restore whose line in a later stretch was altered so that it both breaks a rule and no longer
    /// matches its hash: one batch judges the rules before it restores, so it reports the rule, and so does
    /// the streamed import (which would meet the chain's mismatch first).
    @Test func aTamperedExportLineThatBreaksARuleIsRefusedForItsRuleAsInOneBatch() throws {
        let source = try TemporaryChronicle()
        try source.chronicle.importLines(numberedLines(oldhamHistory), defaultRecordedBy: "tester")
        var lines = try source.chronicle.log.events().collect().map {
            String(decoding: ExportLine.encode($0), as: UTF8.self)
        }
        lines[2] = lines[2].replacingOccurrences(of: "\"ol-17\"", with: "\"ol-18\"")
        var messages: [String] = []
        for stretch in [3, 2] {
            let copy = try TemporaryChronicle()
            let error = try #require(throws: InputError.self) {
                try copy.chronicle.importLines(
                    numberedLines(lines.joined(separator: "\n")), defaultRecordedBy: "x", dryRun: false,
                    stretch: stretch)
            }
            #expect(error.line == 3, "stretch \(stretch): \(error)")
            messages.append(error.message)
            #expect(try copy.head() == .empty)
        }
        #expect(messages[0].contains("ol-18") && !messages[0].contains("cannot restore"), "\(messages[0])")
        #expect(messages[1] == messages[0], "streamed: \(messages[1])")
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
