import EventLog
import Foundation
import LMDB
import Testing

@testable import Collaboratives

/// The read side needs no writer: a ``HistoryReader`` made from a store opened read-only reads the history
/// a ``Chronicle`` wrote exactly as the chronicle's own reader does.
@Suite struct HistoryReaderTests {
    @Test func aReaderOfAStoreOpenedReadOnlySeesWhatTheChronicleWrote() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("chronicle-reader-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = SettableClock(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        let asOf = day("2025-09-01")
        let knownAt = clock.now()
        // Written, and read through the writer's reader, with the store open for writing...
        let (written, present, rules) = try {
            let chronicle = Chronicle(
                log: try LMDBEventStore(
                    directory: directory, options: .init(create: true, initialMapSize: 1 << 22, durable: false),
                    clock: clock),
                today: day("2030-01-01"))
            try chronicle.importLines(
                HistoryGeneratorTests.numbered(HistoryGeneratorTests.history), defaultRecordedBy: "tester")
            let present = try chronicle.log.read { try chronicle.reader.presentViewAndDigest(in: $0).digest }
            return (
                try HistoryView.load(from: chronicle.reader, asOf: asOf, knownAt: knownAt), present,
                try chronicle.reader.verifyRules()
            )
        }()
        // ...then read again with nothing but a reader, the store open read-only (the writer is gone).
        let reader = HistoryReader(
            log: try LMDBEventStore(directory: directory, options: .init(create: false, readOnly: true), clock: clock))
        let read = try HistoryView.load(from: reader, asOf: asOf, knownAt: knownAt)
        #expect(read.eventsKnown == written.eventsKnown && read.eventsKnown > 100)
        #expect(read.lastSeq == written.lastSeq && read.lastHash == written.lastHash)
        #expect(read.timeline.entries.map(\.id) == written.timeline.entries.map(\.id))
        #expect(try reader.log.read { try reader.presentViewAndDigest(in: $0) }.digest == present)
        #expect(try reader.rederivePresentView().digest == present)
        #expect(try reader.verifyTagIndex().isSound)
        #expect(try reader.verifyRules() == rules)
        #expect(rules.findings.isEmpty)
    }

    @Test func theDecoderOfAReaderDecodesEveryStoredEventAsTheTimelineHoldsIt() throws {
        let store = try ClockedChronicle()
        try store.record(at: "2024-01-01T00:00:00Z", PresentViewTests.first)
        let reader = HistoryReader(log: store.chronicle.log)
        let timeline = try reader.log.read { try reader.decoder.storedTimeline(in: $0) }
        #expect(timeline.count == PresentViewTests.first.count)
        try reader.log.read { view in
            for entry in timeline {
                let seq = try #require(entry.seq)
                let stored = try #require(try view.event(at: seq))
                #expect(try reader.decoder.decode(stored) == entry.event)
                #expect(try reader.decoder.recordedEntry(of: stored, in: view).entry.id == entry.id)
            }
        }
    }
}
