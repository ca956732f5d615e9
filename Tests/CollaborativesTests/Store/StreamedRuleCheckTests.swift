import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// A streamed import, written a few lines at a time with the timeline's rules judged once at its end (an
/// incremental model, as `verify --rules` walks the log), accepts and refuses what one batch of every line
/// does, with the same message naming the same line.
@Suite struct StreamedRuleCheckTests {
    /// A generated history, its lines.
    private static func history(seed: UInt64) throws -> [[UInt8]] {
        try HistoryGeneratorTests.lines(events: 400, collaboratives: 3, seed: seed)
    }

    /// `entry` as an input line.
    private static func line(_ entry: TimelineEntry) -> [UInt8] {
        JSONValue.object([
            "id": .string(entry.id.lowercased), "type": .string(entry.event.typeName),
            "occurredAt": .string(entry.occurredAt.description), "data": EventCodec.dataValue(of: entry.event),
        ]).canonicalBytes
    }

    /// What importing `lines` after `stored` (imported first, in one batch) into a new store does, `stretch`
    /// lines at a time: how many events it wrote and the head's seq (not its hash: the members' keys, which
    /// the sealed personal data depends on, are random in each store), or the line and message refused.
    private static func outcome(of lines: [[UInt8]], after stored: [[UInt8]], stretch: Int) throws -> String {
        let store = try ClockedChronicle()
        store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        if !stored.isEmpty {
            try store.chronicle.importLines(HistoryGeneratorTests.numbered(stored), defaultRecordedBy: "tester")
        }
        return try described(
            Result {
                try store.chronicle.importLines(
                    HistoryGeneratorTests.numbered(lines), defaultRecordedBy: "tester", dryRun: false,
                    stretch: stretch)
            })
    }

    /// An import's outcome as ``outcome(of:after:stretch:)`` says it (an error other than the input's thrown).
    private static func described(_ result: Result<ImportSummary, any Error>) throws -> String {
        do {
            let summary = try result.get()
            return "accepted \(summary.appended) events, \(summary.duplicates) duplicates, head \(summary.head.seq)"
        } catch let error as InputError {
            return "refused line \(error.line.map(String.init) ?? "-"): \(error.message)"
        } catch let violation as RuleViolation {
            // A stored event the input makes invalid.
            return "refused: \(violation)"
        }
    }

    /// What a streamed import of `lines` into `store`, `stretch` lines at a time, did: its summary (or what it
    /// threw), how many times it read its input again, and how it judged the rules.
    private static func streamed(
        _ lines: ArraySlice<(number: Int, bytes: [UInt8])>, stretch: Int, into store: ClockedChronicle
    ) -> (summary: Result<ImportSummary, any Error>, rewound: Int, judgements: [StreamedImport.RulesJudgement]) {
        var next = lines.startIndex
        var rewound = 0
        var judgements: [StreamedImport.RulesJudgement] = []
        let summary = Result {
            try store.chronicle.importStream(
                defaultRecordedBy: "tester", dryRun: false, expectedBytes: nil,
                nextLines: {
                    guard next < lines.endIndex else { return nil }
                    defer { next = min(next + stretch, lines.endIndex) }
                    return Array(lines[next..<min(next + stretch, lines.endIndex)])
                },
                rewind: {
                    rewound += 1
                    next = lines.startIndex
                }, progress: { _ in }, judged: { judgements.append($0) })
        }
        return (summary, rewound, judgements)
    }

    /// Each trial adds one candidate event (about half break a rule, many dated before the events around
    /// them, so that a late line makes an earlier stretch's event invalid) at a random place in a generated
    /// history, or moves one line to the end of the file (so that an earlier line may need a later one dated
    /// before it); the file is imported into an empty store, or after the history's first lines, in one batch
    /// and a few lines at a time.
    @Test(arguments: [1, 2, 3, 11] as [UInt64])
    func aStreamedImportAcceptsAndRefusesWhatOneBatchDoes(seed: UInt64) throws {
        let history = try Self.history(seed: seed)
        let entries = try TagIndexTests.drafts(history[...]).map(\.pendingEntry)
        var candidates = CandidateEvents(stored: entries, seed: seed)
        var generator = SeededGenerator(seed: seed)
        var refusals = 0
        var accepted = 0
        for trial in 0..<8 {
            var file = history
            let place: Int
            if trial % 4 == 3 {
                // After the lines a trial may import first, which must stay valid on their own.
                let moved = Int.random(in: 60..<file.count / 2, using: &generator)
                file.append(file.remove(at: moved))
                place = file.count - 1
            } else {
                place = Int.random(in: file.count / 3...file.count, using: &generator)
                file.insert(Self.line(candidates.next()), at: place)
            }
            let stored = trial % 2 == 0 ? [] : Array(file[..<60])
            let lines = trial % 2 == 0 ? file : Array(file[60...])
            let whole = try Self.outcome(of: lines, after: stored, stretch: lines.count)
            for stretch in [5, 37] {
                let streamed = try Self.outcome(of: lines, after: stored, stretch: stretch)
                #expect(streamed == whole, "seed \(seed), trial \(trial), stretch \(stretch)")
            }
            if whole.hasPrefix("accepted") { accepted += 1 } else { refusals += 1 }
        }
        #expect(accepted > 0 && refusals > 0, "both verdicts are tried: \(accepted) accepted, \(refusals) refused")
    }

    /// A valid history imported a few lines at a time is judged by the streamed check alone, never read
    /// again as one batch: into an empty store, after a few of its lines (the check primed with the whole
    /// log before the import) and after most of them (primed with the import's scope).
    @Test(arguments: [1, 7, 11] as [UInt64])
    func aValidHistoryStreamedInStretchesIsNotReadAgainAsOneBatch(seed: UInt64) throws {
        let history = try Self.history(seed: seed)
        for storedCount in [0, 60, history.count - 40] {
            let store = try ClockedChronicle()
            store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
            let numbered = HistoryGeneratorTests.numbered(history)
            if storedCount > 0 {
                try store.chronicle.importLines(Array(numbered[..<storedCount]), defaultRecordedBy: "tester")
            }
            let lines = numbered[storedCount...]
            let (result, rewound, _) = Self.streamed(lines, stretch: 5, into: store)
            let summary = try result.get()
            #expect(summary.appended == lines.count, "seed \(seed), after \(storedCount)")
            #expect(rewound == 0, "seed \(seed), after \(storedCount): judged again as one batch")
        }
    }

    /// A store holding an event written past the rules (a member joined twice, as a recorder's own code could
    /// write on PostgreSQL): an import that leaves that event as it was is judged on what it changes, and the
    /// verdict is the same whether it is one batch or streamed in stretches; `verify --rules` still names the
    /// stored event.
    @Test func aStoredEventThatAlreadyBrokeARuleDecidesNoImportWhateverItsStretches() throws {
        func outcome(stretch: Int) throws -> String {
            let store = try TemporaryChronicle()
            try RuleAuditTests.bypass(
                store, RuleAuditTests.oldham + [("2022-01-10", Events.joined("ol-1", "oldham"))])
            let lines = [
                Self.line(
                    TimelineEntry(
                        id: UUID(), seq: nil, occurredAt: occurred("2022-03-01"), event: Events.left("ol-1", "oldham"))),
                Self.line(
                    TimelineEntry(
                        id: UUID(), seq: nil, occurredAt: occurred("2022-03-02"), event: Events.joined("ol-2", "oldham")
                    )),
            ]
            let result = try Self.described(
                Result {
                    try store.chronicle.importLines(
                        HistoryGeneratorTests.numbered(lines), defaultRecordedBy: "tester", dryRun: false,
                        stretch: stretch)
                })
            #expect(try store.chronicle.reader.verifyRules().findings.map(\.rule) == [.joinWhenNotActive])
            return result
        }
        let whole = try outcome(stretch: 2)
        #expect(whole == "accepted 2 events, 0 duplicates, head 6")
        #expect(try outcome(stretch: 1) == whole)
    }

    /// A leave at the end of the file, dated before an attendance of its member many stretches earlier,
    /// strands that attendance: refused naming the attendance's line, as one batch names it.
    @Test func aLateLineThatStrandsAnEarlierStretchsEventIsRefusedNamingThatEvent() throws {
        let history = try Self.history(seed: 7)
        let entries = try TagIndexTests.drafts(history[...]).map(\.pendingEntry)
        let timeline = Timeline(entries: entries)
        for (index, entry) in entries.enumerated() where index < entries.count / 2 {
            guard case .coachingSessionHeld(let session) = entry.event, let attendee = session.attendees.first,
                attendee != session.advisor
            else { continue }
            let before = entry.occurredAt.localDay.adding(days: -1)
            let intervals = timeline.membershipIntervals(of: attendee, in: session.collaborative)
            guard let last = intervals.last, last.end == nil, last.start < before else { continue }
            let leave = TimelineEntry(
                id: UUID(), seq: nil, occurredAt: .day(before),
                event: .memberLeft(
                    MemberLeft(collaborative: session.collaborative, member: attendee, reason: .capacity)))
            let file = history + [Self.line(leave)]
            let whole = try Self.outcome(of: file, after: [], stretch: file.count)
            let streamed = try Self.outcome(of: file, after: [], stretch: 16)
            #expect(whole.hasPrefix("refused line ") && !whole.hasPrefix("refused line \(file.count):"), "\(whole)")
            #expect(streamed == whole)
            return
        }
        Issue.record("the history has no attendance a late leave can strand")
    }

    /// A member's join moved to the end of the file, after the lines naming them that it makes valid (it is
    /// dated before them): one batch accepts the file, and so does the streamed import, which judges the
    /// input again as one batch when its own check (in order of the lines) refuses it.
    @Test func aJoinFoundOnlyInALaterStretchMakesTheEarlierStretchValidAsInOneBatch() throws {
        let history = try Self.history(seed: 7)
        let entries = try TagIndexTests.drafts(history[...]).map(\.pendingEntry)
        var tried = 0
        for (index, entry) in entries.enumerated() where index >= 20 && index < entries.count / 2 {
            guard case .memberJoined(let joined) = entry.event,
                entries[(index + 1)..<(index + 16)].contains(where: { $0.event.membersNamed.contains(joined.member) })
            else { continue }
            var file = history
            file.append(file.remove(at: index))
            let whole = try Self.outcome(of: file, after: [], stretch: file.count)
            guard whole.hasPrefix("accepted") else { continue }
            #expect(try Self.outcome(of: file, after: [], stretch: 16) == whole, "join of line \(index + 1)")
            tried += 1
            if tried == 3 { return }
        }
        Issue.record("the history has no join that later lines need and one batch accepts at the end")
    }

    /// A collaborative formed on 2029-12-31, after every event of the generated histories (a store a backfill
    /// is imported into).
    private static let laterFormation = Array(
        (#"{"id":"7a7e0000-0000-4000-8000-000000000001","type":"CollaborativeFormed","occurredAt":"2029-12-31","#
            + #""data":{"collaborative":"zz-late","name":"Late","anchorOrganisation":"Late Council","#
            + #""programmeStart":"2029-12-31"}}"#).utf8)

    /// A history imported after a stored event dated later than all of it (a backfill): every event of it is
    /// dated before the latest entry, so the walk could place none without rebuilding its model, each rebuild
    /// reading the stored events and the import so far again (the square of the import's length). The walk
    /// stops at its first rebuild instead and the final timeline is judged once: the stored events read twice
    /// in all (to prime the walk, and for the final timeline), whatever the import's length; the verdict is
    /// one batch's, accepting the history and refusing it with a line that breaks a rule.
    @Test func aBackfillDatedBeforeTheStoredEventsIsJudgedOnceNotRebuiltAtEachLine() throws {
        let history = try Self.history(seed: 7)
        for broken in [false, true] {
            var file = history
            if broken {
                let leave = TimelineEntry(
                    id: UUID(), seq: nil, occurredAt: .day(day("2020-01-01")),
                    event: .memberLeft(
                        MemberLeft(collaborative: slug("zz-late"), member: slug("zz-01"), reason: .capacity)))
                file.insert(Self.line(leave), at: 250)
            }
            let store = try ClockedChronicle()
            store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
            try store.chronicle.importLines(
                HistoryGeneratorTests.numbered([Self.laterFormation]), defaultRecordedBy: "tester")
            let (result, rewound, judgements) = Self.streamed(
                HistoryGeneratorTests.numbered(file)[...], stretch: 5, into: store)
            let outcome = try Self.described(result)
            #expect(
                outcome == (try Self.outcome(of: file, after: [Self.laterFormation], stretch: file.count)),
                "broken: \(broken)")
            #expect(outcome.hasPrefix(broken ? "refused line 251:" : "accepted \(history.count) events"), "\(outcome)")
            let judgement = try #require(judgements.first)
            #expect(judgements.count == 1 && judgement.judgedWhole, "broken: \(broken)")
            #expect(judgement.storedReads <= 2, "the stored events read \(judgement.storedReads) times")
            #expect(rewound == (broken ? 1 : 0), "read again as one batch only to name the broken line")
        }
    }

    /// One member's details changed again and again, each change dated before the one above it (a valid
    /// file: every change after the member's join): each is a late details change, placed among the member's
    /// snapshots by deriving the later ones again, so the walk's work grows with the square of the file. Past
    /// its allowance the walk stops and the final timeline is judged once, with one batch's verdict.
    @Test func detailsChangesDatedEverEarlierAreJudgedOnceWholeNotPlacedOneByOne() throws {
        func id(_ number: Int) -> String { "7a7e0000-0000-4000-8000-" + String(format: "%012d", number) }
        var file: [[UInt8]] = [
            #"{"id":"\#(id(1))","type":"CollaborativeFormed","occurredAt":"2015-09-01","data":{"collaborative":"aa","#
                + #""name":"A","anchorOrganisation":"A Council","programmeStart":"2015-09-01"}}"#,
            #"{"id":"\#(id(2))","type":"MemberJoined","occurredAt":"2015-09-02","data":{"collaborative":"aa","#
                + #""member":"aa-m1","sector":"health"}}"#,
        ].map { Array($0.utf8) }
        let start = day("2023-01-01")
        for number in 0..<800 {
            let date = start.adding(days: -number)
            file.append(
                Array(
                    (#"{"id":"\#(id(3 + number))","type":"MemberDetailsChanged","occurredAt":"\#(date)","#
                        + #""data":{"member":"aa-m1","name":"Name \#(number)"}}"#).utf8))
        }
        let store = try ClockedChronicle()
        store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        let (result, _, judgements) = Self.streamed(HistoryGeneratorTests.numbered(file)[...], stretch: 50, into: store)
        #expect(try result.get().appended == file.count)
        #expect(try Self.described(result) == (try Self.outcome(of: file, after: [], stretch: file.count)))
        let judgement = try #require(judgements.first)
        #expect(judgements.count == 1 && judgement.judgedWhole, "\(judgements)")
    }

    /// A line read twice in an early stretch (refused there) and a line that does not read in a later one:
    /// one batch reads every line before it writes any, so it names the later line, and so does the streamed
    /// import, judging the file as one batch once its pass finds anything wrong.
    @Test func aLineThatDoesNotReadInALaterStretchIsReportedBeforeAnEarlierStretchsRepeatedID() throws {
        var file = try Self.history(seed: 3)
        file.insert(file[3], at: 6)
        file.append(Array(#"{"id":"not json"#.utf8))
        let whole = try Self.outcome(of: file, after: [], stretch: file.count)
        #expect(whole.hasPrefix("refused line \(file.count):"), "\(whole)")
        for stretch in [5, 37] {
            #expect(try Self.outcome(of: file, after: [], stretch: stretch) == whole, "stretch \(stretch)")
        }
    }

    /// A collaborative formed on 2024-01-01 with a member and a programme-staff advisor, then a coaching
    /// session of theirs on each of `sessionDays` (each its own line, in that order), as input lines.
    private static func coachingLines(sessionDays: [String]) -> [[UInt8]] {
        func id(_ number: Int) -> String { "7a7e0000-0000-4000-8000-" + String(format: "%012d", number) }
        var lines = [
            #"{"id":"\#(id(1))","type":"CollaborativeFormed","occurredAt":"2024-01-01","data":{"#
                + #""collaborative":"aa","name":"A","anchorOrganisation":"A Council","programmeStart":"2024-01-01"}}"#,
            #"{"id":"\#(id(2))","type":"MemberJoined","occurredAt":"2024-01-02","data":{"collaborative":"aa","#
                + #""member":"aa-m1","sector":"health"}}"#,
            #"{"id":"\#(id(3))","type":"MemberJoined","occurredAt":"2024-01-02","data":{"collaborative":"aa","#
                + #""member":"aa-staff","sector":"programme-staff"}}"#,
        ]
        for (number, day) in sessionDays.enumerated() {
            lines.append(
                #"{"id":"\#(id(10 + number))","type":"CoachingSessionHeld","occurredAt":"\#(day)","data":{"#
                    + #""collaborative":"aa","kind":"one-to-one","advisor":"aa-staff","attendees":["aa-m1"]}}"#)
        }
        return lines.map { Array($0.utf8) }
    }

    /// An import of two lines, a join and then `aa-m1`'s leave dated `day`, which strands a stored coaching
    /// session of that day.
    private static func leaveLines(on day: String) -> [[UInt8]] {
        [
            #"{"id":"7a7e0000-0000-4000-8000-000000000100","type":"MemberJoined","occurredAt":"\#(day)","#
                + #""data":{"collaborative":"aa","member":"aa-m2","sector":"health"}}"#,
            #"{"id":"7a7e0000-0000-4000-8000-000000000101","type":"MemberLeft","occurredAt":"\#(day)","#
                + #""data":{"collaborative":"aa","member":"aa-m1","reason":"capacity"}}"#,
        ].map { Array($0.utf8) }
    }

    /// The walk's model is primed from the stored events it needs only: a coaching session changes no query,
    /// so one dated before the latest day is passed over unread; but one on the latest day is kept, since a
    /// same-day leave of its attendee makes it invalid. The streamed import refuses that leave naming the
    /// stored session, as one batch does (an earlier session, passed over, is not involved).
    @Test func aLeaveThatStrandsAStoredCoachingSessionOfTheLatestDayIsRefusedAsInOneBatch() throws {
        var stored = Self.coachingLines(sessionDays: ["2024-02-01", "2024-03-01"])
        // The latest day holds an entry the model is made of too, in the import's scope (so that it is the
        // model's latest day).
        stored.append(
            Array(
                (#"{"id":"7a7e0000-0000-4000-8000-000000000020","type":"MemberDetailsChanged","#
                    + #""occurredAt":"2024-03-01","data":{"member":"aa-m1","name":"Ann"}}"#).utf8))
        let lines = Self.leaveLines(on: "2024-03-01")
        let whole = try Self.outcome(of: lines, after: stored, stretch: lines.count)
        #expect(whole.hasPrefix("refused") && whole.contains("7a7e0000-0000-4000-8000-000000000011"), "\(whole)")
        #expect(try Self.outcome(of: lines, after: stored, stretch: 1) == whole)
    }

    /// A coaching session passed over when the model was primed (dated before a later event stored before it)
    /// would be missing from the latest day when that later event is retracted: the model is then primed
    /// again from every stored event, so a same-day leave stranding the session is refused as in one batch.
    @Test func aSessionPassedOverBeforeARetractedLaterEventIsJudgedWhenItsDayBecomesTheLatest() throws {
        var stored = Self.coachingLines(sessionDays: [])
        // A details change of the attendee on 2024-03-01 (in the import's scope), then the session dated before
        // it (passed over), then the change retracted.
        stored.append(
            Array(
                (#"{"id":"7a7e0000-0000-4000-8000-000000000020","type":"MemberDetailsChanged","#
                    + #""occurredAt":"2024-03-01","data":{"member":"aa-m1","name":"Ann"}}"#).utf8))
        stored += Self.coachingLines(sessionDays: ["2024-02-01"]).suffix(1)
        stored.append(
            Array(
                (#"{"id":"7a7e0000-0000-4000-8000-000000000021","type":"EventRetracted","occurredAt":"2024-03-02","#
                    + #""data":{"event":"7a7e0000-0000-4000-8000-000000000020","reason":"entered wrongly"}}"#).utf8))
        let lines = Self.leaveLines(on: "2024-02-01")
        let whole = try Self.outcome(of: lines, after: stored, stretch: lines.count)
        #expect(whole.hasPrefix("refused") && whole.contains("7a7e0000-0000-4000-8000-000000000010"), "\(whole)")
        #expect(try Self.outcome(of: lines, after: stored, stretch: 1) == whole)
    }
}
