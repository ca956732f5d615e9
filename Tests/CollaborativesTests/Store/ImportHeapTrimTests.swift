import EventLog
import Foundation
import Synchronization
import Testing

@testable import Collaboratives

/// A streamed import gives the heap it freed back to the system (`HeapTrim`) between its phases: what the
/// stretches freed before its rules are judged, and the rule model once judged, before it stores its
/// checkpoint and commits.
@Suite struct ImportHeapTrimTests {
    /// What happened, in order: a trim, the rules' verdict (told before the checkpoint is stored).
    private enum Step: Equatable {
        case trimmed
        case judged
    }

    @Test func aStreamedImportGivesFreedHeapBackBeforeItsRulesAreJudgedAndAgainBeforeItStoresItsCheckpoint() throws {
        let store = try ClockedChronicle(today: HistoryGeneratorTests.today, checkpointInterval: 200)
        store.clock.set(try #require(Timestamp(rfc3339: HistoryGeneratorTests.now)))
        let steps = Mutex<[Step]>([])
        let chronicle = Chronicle(
            log: store.chronicle.log, today: store.chronicle.today, upcasters: .empty, checkpointInterval: 200,
            checkpointSpill: .standard,
            heapTrim: HeapTrim { steps.withLock { $0.append(.trimmed) } })
        let lines = HistoryGeneratorTests.numbered(
            try HistoryGeneratorTests.lines(events: 1_500, collaboratives: 4, seed: 5))
        var next = 0
        let summary = try chronicle.importStream(
            defaultRecordedBy: "test", dryRun: false, expectedBytes: nil,
            nextLines: {
                guard next < lines.count else { return nil }
                defer { next = min(next + 256, lines.count) }
                return Array(lines[next..<min(next + 256, lines.count)])
            },
            rewind: { next = 0 }, progress: { _ in },
            judged: { judgement in
                #expect(judgement.holds)
                #expect(chronicle.lastCheckpointWrite.value == nil, "the checkpoint is stored after the verdict")
                steps.withLock { $0.append(.judged) }
            })
        #expect(summary.appended == lines.count)
        #expect(chronicle.lastCheckpointWrite.value != nil, "the import stored its checkpoint")
        // Both before the verdict, so before the checkpoint is stored: the second once the walk's model is let go.
        #expect(steps.withLock { $0 } == [.trimmed, .trimmed, .judged])
    }

    @Test func glibcsTrimIsFoundOnLinux() {
        #if os(Linux)
            #expect(HeapTrim.systemTrimIsAvailable)
        #endif
    }
}
