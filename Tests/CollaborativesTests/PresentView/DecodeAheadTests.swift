import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// A rebuild decodes the log a stretch ahead on another thread: it must hand over every event, in order,
/// exactly as a plain scan decodes it, whatever the stretch length.
@Suite struct DecodeAheadTests {
    static func store() throws -> TemporaryChronicle {
        let store = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        try store.chronicle.importLines(
            HistoryGeneratorTests.numbered(HistoryGeneratorTests.history.prefix(1_000)), defaultRecordedBy: "t")
        return store
    }

    @Test(arguments: [1, 7, 999, 1_000, 4_096])
    func everyEventArrivesOnceInOrderAsAScanDecodesIt(stretch: UInt64) throws {
        let store = try Self.store()
        let chronicle = store.chronicle
        let expected = try chronicle.log.read { view in
            var entries: [RecordedEntry] = []
            try view.scan(from: 1, direction: .forward) { event in
                entries.append(try chronicle.reader.decoder.recordedEntry(of: event, in: view))
                return true
            }
            return entries
        }
        var seen: [RecordedEntry] = []
        try chronicle.reader.forEachDecodedEntry(through: 1_000, stretch: stretch) { seen.append($0) }
        #expect(seen.map(\.seq) == Array(1...1_000))
        #expect(seen.map(\.entry) == expected.map(\.entry))
        #expect(seen.map(\.retracted) == expected.map(\.retracted))
        #expect(seen.contains { $0.retracted != nil })
    }

    @Test func anEmptyLogCallsNothing() throws {
        let store = try TemporaryChronicle()
        try store.chronicle.reader.forEachDecodedEntry(through: 0) { _ in Issue.record("no event expected") }
    }

    @Test func anErrorOfTheFoldStopsItAndPropagates() throws {
        struct Stop: Error {}
        let store = try Self.store()
        var count = 0
        #expect(throws: Stop.self) {
            try store.chronicle.reader.forEachDecodedEntry(through: 1_000, stretch: 10) { _ in
                count += 1
                if count == 25 { throw Stop() }
            }
        }
        #expect(count == 25)
    }

    @Test func anEventThatDoesNotDecodeOnTheOtherThreadFailsTheRebuildNamingIt() throws {
        let store = try Self.store()
        let damaged = NewEvent(
            stream: "collaborative-x", type: MemberJoined.typeName, occurredAt: .day(19_000), recordedBy: "t",
            payload: [BinaryPayload.layout, 0xFF])
        try store.chronicle.log.append([damaged])
        var folded = 0
        let error = try #require(throws: EventLogError.self) {
            try store.chronicle.reader.forEachDecodedEntry(through: 1_001, stretch: 100) { _ in folded += 1 }
        }
        guard case .corruptRecord(let seq, _) = error else {
            Issue.record("expected corruptRecord, got \(error)")
            return
        }
        #expect(seq == 1_001 && folded == 1_000)
        #expect(throws: EventLogError.self) { try store.chronicle.rebuildPresentView() }
    }
}
