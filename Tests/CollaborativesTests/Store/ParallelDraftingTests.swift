import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// An import parses and drafts long inputs half on another thread: the result and the error reported must
/// be those of reading the lines one by one, in file order.
@Suite struct ParallelDraftingTests {
    static let lines = Array(HistoryGeneratorTests.history.prefix(2_000))

    static func damaged(at numbers: Set<Int>) -> [(number: Int, bytes: [UInt8])] {
        HistoryGeneratorTests.numbered(lines).map { number, bytes in
            numbers.contains(number) ? (number, Array("{\"type\":\"MemberJoined\"}".utf8)) : (number, bytes)
        }
    }

    @Test(arguments: [8_192, 300, 2])
    func aLongImportStoresEveryLineInFileOrder(stretch: Int) throws {
        let store = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        var numbered = HistoryGeneratorTests.numbered(Self.lines)
        numbered.insert((0, Array("   ".utf8)), at: 1_500)  // a blank line in the second half is skipped
        let summary = try store.chronicle.importLines(
            numbered, defaultRecordedBy: "t", dryRun: false, stretch: stretch)
        #expect(summary.appended == 2_000 && summary.lines == 2_000)
        let ids = try store.chronicle.log.events().collect().map(\.id)
        let expected = try Self.lines.map { try #require(try InterchangeLine.parse($0).id) }
        #expect(ids == expected)
        // The checkpoint stored with the batch (folded while the batch was validated) is the fold of the log.
        let rebuild = try store.chronicle.reader.rederivePresentView()
        #expect(rebuild.comparison == .matched(position: 2_000, digest: rebuild.digest))
    }

    /// Batches long enough to make the checkpoint due, around the size from which the validation (and the
    /// checkpoint's fold with it) runs on a second thread, appended after a stored part of the history.
    /// (Parts: the lines imported one after another; the last, long one may repeat lines already stored.)
    @Test(arguments: [[1_001, 999], [1_000, 1_000], [977, 1_023], [500, 1_500], [600, 300, 1_100], [700, 1_500]])
    func theCheckpointStoredWithALongBatchIsTheFoldOfTheLog(parts: [Int]) throws {
        let store = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        let numbered = HistoryGeneratorTests.numbered(Self.lines)
        var end = 0
        for part in parts {
            let start = min(end, 2_000 - part)  // a part that does not fit starts earlier: its first lines repeat
            _ = try store.chronicle.importLines(
                Array(numbered[start..<start + part]), defaultRecordedBy: "t", dryRun: false, stretch: 512)
            end = start + part
        }
        let size = parts.last ?? 0
        let stored = try #require(try store.chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) })
        // Due once the events after the stored checkpoint reach the interval (1,000).
        #expect(stored.position == (size >= 1_000 ? 2_000 : UInt64(2_000 - size)))
        let rebuild = try store.chronicle.reader.rederivePresentView()
        guard case .matched(let position, _) = rebuild.comparison else {
            Issue.record("the stored checkpoint is not the fold of the log: \(rebuild.comparison)")
            return
        }
        #expect(position == stored.position)
    }

    @Test(arguments: [[300, 1_900], [1_900], [1_001, 1_002], [1], [260, 1_400]], [8_192, 512, 3])
    func theFirstBadLineInFileOrderIsReported(bad: [Int], stretch: Int) throws {
        let store = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        let error = try #require(throws: InputError.self) {
            try store.chronicle.importLines(
                Self.damaged(at: Set(bad)), defaultRecordedBy: "t", dryRun: false, stretch: stretch)
        }
        #expect(error.line == bad.min())
        #expect(try store.head() == .empty)
    }

    /// 2,000 lines and more are validated on another thread while they are written: a rule broken there
    /// still names its line and writes nothing, in a dry run too.
    @Test(arguments: [false, true]) func aRuleBrokenInALongImportNamesItsLineAndWritesNothing(dryRun: Bool) throws {
        let store = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        var numbered = HistoryGeneratorTests.numbered(Self.lines)
        let leaving =
            #"{"type":"MemberLeft","schemaVersion":1,"occurredAt":"2016-01-04","data":"#
            + #"{"collaborative":"oldham","member":"nobody-at-all","reason":"role-change"}}"#
        numbered.insert((numbered.count + 1, Array(leaving.utf8)), at: 1_700)
        let error = try #require(throws: InputError.self) {
            try store.chronicle.importLines(numbered, defaultRecordedBy: "t", dryRun: dryRun, stretch: 512)
        }
        #expect(error.line == numbered.count)
        #expect(error.description.contains("nobody-at-all"))
        #expect(try store.head() == .empty)
    }
}

/// `FoldedBatch`: a present view folded during a batch's validation is used only for that very batch.
@Suite struct FoldedBatchTests {
    static func written(_ ids: [UUID], from seq: UInt64) -> [RecordedEvent] {
        ids.enumerated().map { offset, id in
            RecordedEvent(
                seq: seq + UInt64(offset), id: id, stream: "s", streamVersion: 1, type: "T", schemaVersion: 1,
                occurredAt: .day(19_000), recordedAt: Timestamp(microsecondsSinceEpoch: 0), recordedBy: "t",
                payload: [], hash: EventHash(bytes: Array(repeating: UInt8(offset + 1), count: 32)) ?? .genesis)
        }
    }

    @Test func theFoldIsTakenOnlyForTheSameEventsAtTheSamePlacesWithTheLastHashSet() throws {
        let ids = (0..<3).map { _ in UUID() }
        var present = PresentView.empty
        let formed = TimelineEntry(
            id: ids[0], seq: 10, occurredAt: occurred("2021-01-01"), event: Events.formed("oldham"))
        present.apply(RecordedEntry(seq: 10, hash: .genesis, entry: formed))
        present.lastSeq = 12
        let folded = FoldedBatch()
        let mismatches: [[RecordedEvent]] = [
            Self.written(ids, from: 11), Self.written(ids.reversed(), from: 10),
            Self.written(Array(ids.prefix(2)), from: 10),
            [],
        ]
        for appended in mismatches {
            folded.keep(present, firstSeq: 10, ids: ids)
            #expect(folded.take(for: appended) == nil)
        }
        folded.keep(present, firstSeq: 10, ids: ids)
        folded.forget()
        #expect(folded.take(for: Self.written(ids, from: 10)) == nil)
        folded.keep(present, firstSeq: 10, ids: ids)
        let appended = Self.written(ids, from: 10)
        let taken = try #require(folded.take(for: appended))
        let last = try #require(appended.last)
        #expect(taken.name == PresentView.checkpointName && taken.position == 12)
        // The encoding made before the hashes were known, with the last one set: the view's own encoding.
        var expected = present
        expected.lastHash = last.hash
        #expect(taken.state == expected.encoded())
        let decoded = try PresentView(decoding: taken.state)
        #expect(decoded.lastHash == last.hash && decoded.lastSeq == 12 && decoded == expected)
        #expect(folded.take(for: appended) == nil, "taken once")
    }
}

/// `DraftWalk`: an append finds its drafts by walking the batch; out-of-order or unknown ids still resolve
/// correctly.
@Suite struct DraftWalkTests {
    static let drafts =
        (try? ParallelDraftingTests.lines.prefix(50).map {
            try Draft(line: try InterchangeLine.parse($0), defaultRecordedBy: "t")
        }) ?? []

    @Test func idsInBatchOrderWithSomeSkippedAreFoundInOneWalk() throws {
        let wanted = Self.drafts.enumerated().filter { $0.offset % 3 != 0 }.map(\.element.id)
        var walk = DraftWalk(Self.drafts)
        #expect(try walk.drafts(of: wanted).map(\.id) == wanted)
    }

    @Test func idsOutOfOrderAreFoundThroughTheFallback() throws {
        let wanted = [Self.drafts[40].id, Self.drafts[3].id, Self.drafts[41].id, Self.drafts[0].id]
        var walk = DraftWalk(Self.drafts)
        #expect(try walk.drafts(of: wanted).map(\.id) == wanted)
    }

    @Test func anIDWithoutADraftIsAnErrorNamingItsPlace() {
        var walk = DraftWalk(Self.drafts)
        let stranger = UUID()
        #expect(
            throws: EventLogError.invalidEnvelope(
                index: 1, field: "id", reason: "\(stranger.uuidString.lowercased()) has no draft in the batch")
        ) {
            try walk.drafts(of: [Self.drafts[0].id, stranger])
        }
        #expect(Self.drafts.count == 50)
    }
}
