import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// The rules' walk of a streamed import into an empty store runs beside the writing, fed each stretch as it
/// is written: it reaches the verdict of the walk after the writing, stops the writing at its first finding,
/// and however the import ends (the writing's failure or the walk's) nothing is committed and no walk is left
/// running. (Each test has a time limit: a walk and a writer waiting for each other would hang.)
@Suite(.timeLimit(.minutes(3))) struct OverlappedRuleWalkTests {
    /// What a streamed import of `lines` into a new store did, `stretch` lines at a time, its rules walked
    /// beside the writing or after it (`overlapping`).
    private struct Run {
        /// Its summary, or the error naming the line.
        var outcome: String
        /// How many stretches the streamed pass read before the input was judged as one batch (all when not).
        var stretchesRead: Int
        /// How many times the input was read again from its start.
        var rewound: Int
        /// How the streamed pass judged the rules, as `holds/storedReads/judgedWhole`.
        var judgements: [String]
        /// The stored events afterwards: `seq`, id, type and date of each.
        var stored: [String]
    }

    private static func run(_ lines: [[UInt8]], stretch: Int, overlapping: Bool) throws -> Run {
        let store = try ClockedChronicle()
        store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        let numbered = HistoryGeneratorTests.numbered(lines)
        var next = 0
        var read = 0
        var rewound = 0
        var judgements: [String] = []
        let summary = Result {
            try store.chronicle.importStream(
                defaultRecordedBy: "tester", dryRun: false, expectedBytes: nil,
                nextLines: {
                    guard next < numbered.count else { return nil }
                    if rewound == 0 { read += 1 }
                    defer { next = min(next + stretch, numbered.count) }
                    return Array(numbered[next..<min(next + stretch, numbered.count)])
                },
                rewind: {
                    rewound += 1
                    next = 0
                }, progress: { _ in },
                judged: { judgements.append("\($0.holds)/\($0.storedReads)/\($0.judgedWhole)") },
                overlappingWalk: overlapping)
        }
        let outcome: String
        do {
            let done = try summary.get()
            outcome = "accepted \(done.appended) events, head \(done.head.seq)"
        } catch let error as InputError {
            outcome = "refused line \(error.line.map(String.init) ?? "-"): \(error.message)"
        }
        let stored = try store.chronicle.log.read { view in
            var events: [String] = []
            try view.scan(from: 1, direction: .forward) { event in
                events.append("\(event.seq) \(event.id.lowercased) \(event.type) \(event.occurredAt)")
                return true
            }
            return events
        }
        return Run(outcome: outcome, stretchesRead: read, rewound: rewound, judgements: judgements, stored: stored)
    }

    /// A generated history's lines.
    private static func history(seed: UInt64) throws -> [[UInt8]] {
        try HistoryGeneratorTests.lines(events: 400, collaboratives: 3, seed: seed)
    }

    /// A line that breaks a rule on its own where it falls, needing no rebuild: a member leaving on a day
    /// after every other line and after the store's today (2030-01-01).
    private static let brokenLine = Array(
        (#"{"id":"\#(UUID().lowercased)","type":"MemberLeft","occurredAt":"2031-01-01","#
            + #""data":{"collaborative":"zz-late","member":"zz-01","reason":"capacity"}}"#).utf8)

    @Test(arguments: [1, 7] as [UInt64])
    func aWalkBesideTheWritingReachesTheVerdictOfTheWalkAfterItForAPassingAndALateRefusedInput(seed: UInt64) throws {
        let history = try Self.history(seed: seed)
        var refused = history
        refused.insert(Self.brokenLine, at: history.count - 12)  // in the last stretches, whatever their size
        for (file, passes) in [(history, true), (refused, false)] {
            for stretch in [5, 37] {
                let beside = try Self.run(file, stretch: stretch, overlapping: true)
                let after = try Self.run(file, stretch: stretch, overlapping: false)
                let label = "seed \(seed), stretch \(stretch), passes \(passes)"
                #expect(beside.outcome == after.outcome, "\(label)")
                #expect(beside.judgements == after.judgements, "\(label)")
                #expect(beside.stored == after.stored, "\(label)")
                #expect(beside.rewound == after.rewound, "\(label)")
                if passes {
                    #expect(beside.outcome == "accepted \(file.count) events, head \(file.count)", "\(label)")
                    #expect(beside.stored.count == file.count && beside.rewound == 0, "\(label)")
                } else {
                    #expect(beside.outcome.hasPrefix("refused line \(history.count - 11):"), "\(label)")
                    #expect(beside.stored.isEmpty, "\(label): nothing stored")
                }
            }
        }
    }

    @Test func aFindingOfTheWalkBesideTheWritingStopsTheWritingAndNothingIsCommitted() throws {
        var file = try Self.history(seed: 3)
        file.insert(Self.brokenLine, at: 7)  // in the second stretch of five lines
        let beside = try Self.run(file, stretch: 5, overlapping: true)
        let after = try Self.run(file, stretch: 5, overlapping: false)
        #expect(beside.outcome == after.outcome && beside.outcome.hasPrefix("refused line 8:"), "\(beside.outcome)")
        #expect(beside.judgements == ["false/0/false"], "\(beside.judgements)")
        // The walk of the second stretch is over by the time the third is written: the writer learns of
        // the finding when it hands that one over, and reads no further.
        #expect(beside.stretchesRead <= 4, "read \(beside.stretchesRead) stretches of \(file.count / 5 + 1)")
        #expect(after.stretchesRead == (file.count + 4) / 5)
        #expect(beside.stored.isEmpty && beside.rewound == 1)
    }

    @Test func aFailureOfTheWritingEndsTheWalkBesideItAndNothingIsCommitted() throws {
        var file = try Self.history(seed: 3)
        file.insert(Self.brokenLine, at: 300)
        file.append(Array(#"{"id":"not json"#.utf8))
        for stretch in [5, 37] {
            let beside = try Self.run(file, stretch: stretch, overlapping: true)
            let after = try Self.run(file, stretch: stretch, overlapping: false)
            // One batch reads every line first: it names the line that does not read.
            #expect(beside.outcome == after.outcome && beside.outcome.hasPrefix("refused line \(file.count):"))
            #expect(beside.stored.isEmpty, "stretch \(stretch): nothing stored")
        }
    }

    /// Damage met by the walk (its model's rebuild fails here): the writer is stopped at its next hand-over
    /// with that error, and the walk is over.
    @Test func aFailureOfTheWalkStopsTheWriterAtItsNextHandOver() throws {
        struct Damage: Error {}
        let audit = RuleAudit(limit: 1, today: day("2030-01-01")) { _, _ in throw Damage() }
        let walk = OverlappedRuleWalk(audit: audit)
        // The second is dated before the first and changes what the timeline answers: the model is rebuilt.
        try walk.hand([Self.formation(1, "aa", on: "2020-02-01"), Self.formation(2, "bb", on: "2020-01-01")])
        #expect(throws: Damage.self) { try walk.hand([Self.formation(3, "cc", on: "2020-03-01")]) }
        walk.end()
        #expect(throws: CancellationError.self) { try walk.outcome() }
    }

    /// A walk ended while a stretch is being judged (the writer failed) waits for that stretch and judges no
    /// more: nothing of it is running once `end()` returns.
    /// The event at `seq` forming `collaborative` on `date`, as the walk is given it.
    private static func formation(_ seq: UInt64, _ collaborative: String, on date: String) -> AuditedEvent {
        let entry = TimelineEntry(
            id: UUID(), seq: seq, occurredAt: .day(day(date)), event: Events.formed(collaborative, start: date))
        return AuditedEvent(
            recorded: RecordedEntry(seq: seq, hash: .genesis, entry: entry),
            recordedAt: Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
    }

    @Test func aWalkEndedByTheWriterIsOverWhenEndReturns() throws {
        let walk = OverlappedRuleWalk(today: day("2030-01-01"))
        let start = day("2020-01-01")
        let events = (1...2_000).map { Self.formation(UInt64($0), "c\($0)", on: start.adding(days: $0).description) }
        try walk.hand(events)
        walk.end()
        #expect(!walk.isWalking)
        #expect(throws: CancellationError.self) { try walk.hand(events) }
    }
}
