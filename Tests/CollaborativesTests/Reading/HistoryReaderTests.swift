import EventLog
import Foundation
import LMDB
import Testing

@testable import Collaboratives

/// The read side needs no writer: a ``HistoryReader`` made from a store opened read-only reads the history
/// a ``Chronicle`` wrote exactly as the chronicle's own reader does.
@Suite struct HistoryReaderTests {
    @Test func aReaderOfAStoreOpenedReadOnlySeesWhatTheChronicleWrote() throws {
        let clock = SettableClock(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (written, present, rules) = try Self.writeHistory(in: directory, clock: clock)
        // Read again with nothing but a reader, the store open read-only (the writer is gone).
        let reader = HistoryReader(
            log: try LMDBEventStore(directory: directory, options: .init(create: false, readOnly: true), clock: clock))
        let read = try HistoryView.load(from: reader, asOf: written.asOf, knownAt: written.knownAt)
        #expect(read.eventsKnown == written.eventsKnown && read.eventsKnown > 100)
        #expect(read.lastSeq == written.lastSeq && read.lastHash == written.lastHash)
        #expect(read.timeline.entries.map(\.id) == written.timeline.entries.map(\.id))
        #expect(try reader.log.read { try reader.presentViewAndDigest(in: $0) }.digest == present)
        #expect(try reader.rederivePresentView().digest == present)
        #expect(try reader.verifyTagIndex().isSound)
        #expect(try reader.verifyRules() == rules)
        #expect(rules.findings.isEmpty)
    }

    /// Writes a generated history to a new store in `directory` through a ``Chronicle``, and reads it back
    /// through the chronicle's own reader, the store still open for writing; the store is closed on return.
    private static func writeHistory(in directory: String, clock: SettableClock) throws -> (
        view: HistoryView, present: ProjectionDigest, rules: RuleAuditReport
    ) {
        let log = try LMDBEventStore(
            directory: directory, options: .init(create: true, initialMapSize: 1 << 22, durable: false), clock: clock)
        let chronicle = Chronicle(log: log, today: day("2030-01-01"))
        try chronicle.importLines(
            HistoryGeneratorTests.numbered(HistoryGeneratorTests.history), defaultRecordedBy: "tester")
        return (
            try HistoryView.load(from: chronicle.reader, asOf: day("2025-09-01"), knownAt: clock.now()),
            try log.read { try chronicle.reader.presentViewAndDigest(in: $0).digest },
            try chronicle.reader.verifyRules()
        )
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
                // What was recorded at that seq, its personal fields sealed as a store seals them (the nonce
                // comes from the key and the event's id, so the sealed bytes can be made again here).
                let recorded = PresentViewTests.first[Int(seq) - 1].1
                var expected = recorded
                if let member = recorded.personalData?.member,
                    let key = try view.subjectKey(PersonalDataSeal.subject(of: member))
                {
                    expected = try PersonalDataSeal.seal(recorded, key: key, eventID: stored.id)
                }
                #expect(try reader.decoder.decode(stored) == expected)
                #expect(entry.event == expected)
                #expect(try reader.decoder.recordedEntry(of: stored, in: view).entry.id == entry.id)
            }
        }
    }
}
