import EventLog
import Foundation
import Synchronization
import Testing

@testable import Collaboratives
@testable import HistoryGeneration

/// An import longer than the checkpoint interval keeps the present view for its checkpoint in a spilling
/// fold (`ImportCheckpointFold`): it holds at most the spill threshold's records, yet stores byte for byte
/// what the whole log's fold encodes (over generated histories with late entries, retractions, erasures and
/// re-joins), starting from a stored checkpoint when there is one, and folding the view whole only when the
/// spilling fold cannot run; a failed import leaves no temporary file behind.
@Suite struct ImportCheckpointFoldTests {
    /// Records a test's fold holds before it spills (one event may add a few more): far fewer than the
    /// generated views hold.
    private static let threshold = 16

    /// A new store whose long imports spill into `directory` every ``threshold`` records, telling `warn` when
    /// they cannot; its log is `wrapping` the store's.
    private func store(
        interval: UInt64, directory: String? = nil, warn: @escaping @Sendable (String) -> Void = { _ in },
        wrapping: (any EventStore) -> any EventStore = { $0 }
    ) throws -> (ClockedChronicle, Chronicle) {
        let store = try ClockedChronicle(today: HistoryGeneratorTests.today, checkpointInterval: interval)
        store.clock.set(try #require(Timestamp(rfc3339: HistoryGeneratorTests.now)))
        let chronicle = Chronicle(
            log: wrapping(store.chronicle.log), today: store.chronicle.today, upcasters: .empty,
            checkpointInterval: interval,
            checkpointSpill: CheckpointSpill(directory: directory, threshold: Self.threshold, warn: warn))
        return (store, chronicle)
    }

    private func generated(events: Int, seed: UInt64) throws -> [(number: Int, bytes: [UInt8])] {
        HistoryGeneratorTests.numbered(try HistoryGeneratorTests.lines(events: events, collaboratives: 6, seed: seed))
    }

    @Test(arguments: [1, 2, 5] as [UInt64])
    func aLongImportStoresTheWholeFoldsCheckpointHoldingAtMostTheSpillThreshold(seed: UInt64) throws {
        let (store, chronicle) = try store(interval: 200)
        _ = try chronicle.importLines(
            try generated(events: 3_000, seed: seed), defaultRecordedBy: "test", dryRun: false, stretch: 256)
        try expectStoredIsTheWholeFoldAtTheHead(chronicle)
        let footprint = try #require(chronicle.lastCheckpointWrite.value ?? nil, "the view was folded whole")
        #expect(footprint.streamed && footprint.records < 2 * Self.threshold, "\(footprint)")
        #expect(try plainFold(chronicle).recordCount > 20 * Self.threshold, "the view is much larger than that")
        _ = store
    }

    @Test func aLongImportIntoAStoreWithACheckpointStartsFromItAndStoresTheWholeFold() throws {
        let (store, chronicle) = try store(interval: 200)
        let lines = try generated(events: 4_000, seed: 3)
        _ = try chronicle.importLines(Array(lines[..<1_500]), defaultRecordedBy: "test", dryRun: false, stretch: 300)
        let first = try chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) }
        #expect(first?.position == 1_500)
        _ = try chronicle.importLines(Array(lines[1_500...]), defaultRecordedBy: "test", dryRun: false, stretch: 300)
        try expectStoredIsTheWholeFoldAtTheHead(chronicle)
        let footprint = try #require(chronicle.lastCheckpointWrite.value ?? nil, "the view was folded whole")
        #expect(footprint.streamed && footprint.records < 2 * Self.threshold, "\(footprint)")
        _ = store
    }

    @Test func aLongImportOverACheckpointWhoseRecordsAreDamagedStoresTheWholeLogsFold() throws {
        let (store, chronicle) = try store(interval: 200)
        let lines = try generated(events: 2_000, seed: 4)
        _ = try chronicle.importLines(Array(lines[..<800]), defaultRecordedBy: "test", dryRun: false, stretch: 300)
        // The header still fits the log; what follows it does not read.
        let stored = try #require(try chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) })
        let damaged = Array(stored.state[..<PresentView.headerLength]) + [UInt8](repeating: 0xEE, count: 64)
        try chronicle.log.saveCheckpoint(
            Checkpoint(name: PresentView.checkpointName, position: stored.position, state: damaged))
        _ = try chronicle.importLines(Array(lines[800...]), defaultRecordedBy: "test", dryRun: false, stretch: 300)
        try expectStoredIsTheWholeFoldAtTheHead(chronicle)
        #expect(chronicle.lastCheckpointWrite.value??.streamed == true)
        _ = store
    }

    @Test func aLongImportWhoseFoldCannotSpillWarnsOnceNamingTheDirectoryAndTMPDIRAndStoresTheWholeFold() throws {
        let missing = "/nonexistent-\(UUID().uuidString)"
        let warnings = Mutex<[String]>([])
        let (store, chronicle) = try store(
            interval: 200, directory: missing, warn: { message in warnings.withLock { $0.append(message) } })
        _ = try chronicle.importLines(
            try generated(events: 1_500, seed: 6), defaultRecordedBy: "test", dryRun: false, stretch: 256)
        try expectStoredIsTheWholeFoldAtTheHead(chronicle)
        #expect(chronicle.lastCheckpointWrite.value.map { $0 == nil } == true, "folded whole, as before")
        let said = warnings.withLock { $0 }
        #expect(said.count == 1, "\(said)")
        #expect(
            said.first
                == "warning: the present view's checkpoint is folded in memory, its temporary file having failed "
                + "(cannot create a temporary file in \(missing): No such file or directory (to spill the present view)); "
                + "set TMPDIR to a writable directory with room (now \(missing))")
        _ = store
    }

    /// A read of the log that fails while the fold starts (a read error of the store; on PostgreSQL a failed
    /// statement, after which the transaction answers nothing else) is the import's error: not taken for the
    /// fold's and folded again whole, which would commit the import past the error.
    @Test func aLongImportWhoseLogReadFailsWhileItsCheckpointIsFoldedFailsWithThatErrorAndWritesNothing() throws {
        let warnings = Mutex<[String]>([])
        let (store, chronicle) = try store(
            interval: 200, warn: { message in warnings.withLock { $0.append(message) } },
            wrapping: { FailingReadStore($0, failingAfter: 200) })
        #expect {
            _ = try chronicle.importLines(
                try generated(events: 1_500, seed: 6), defaultRecordedBy: "test", dryRun: false, stretch: 256)
        } throws: { error in
            "\(error)" == "\(FailingReadStore.failure)"
        }
        #expect(try chronicle.log.read { try $0.head().seq } == 0)
        #expect(try chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) } == nil)
        #expect(warnings.withLock { $0 }.isEmpty)
        _ = store
    }

    @Test func aFailedLongImportWritesNothingAndLeavesNoTemporaryFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spill-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (store, chronicle) = try store(interval: 100, directory: directory)
        var lines = try generated(events: 1_500, seed: 2)
        lines.append((number: lines.count + 1, bytes: Array("{\"type\": \"NoSuchEvent\"}".utf8)))
        #expect(throws: InputError.self) {
            _ = try chronicle.importLines(lines, defaultRecordedBy: "test", dryRun: false, stretch: 256)
        }
        #expect(try chronicle.log.read { try $0.head().seq } == 0)
        #expect(try chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) } == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        _ = store
    }
}

/// Expects the stored checkpoint to be at the head and to be the encoding of the whole log's plain fold.
private func expectStoredIsTheWholeFoldAtTheHead(
    _ chronicle: Chronicle, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    try chronicle.log.read { view in
        let stored = try #require(
            try view.checkpoint(named: PresentView.checkpointName), sourceLocation: sourceLocation)
        var whole = PresentView.empty
        try chronicle.reader.fold(&whole, in: view)
        #expect(stored.position == (try view.head().seq), sourceLocation: sourceLocation)
        #expect(stored.state == whole.encoded(), "at \(stored.position)", sourceLocation: sourceLocation)
    }
}
