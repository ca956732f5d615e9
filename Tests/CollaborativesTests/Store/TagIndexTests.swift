import EventLog
import Foundation
import LMDB
import Testing

@testable import Collaboratives

/// The tag index (``EventTag``) lets a rule check and a query of one collaborative read only what concerns
/// them; these tests hold both to the answers of the whole log, on generated histories.
@Suite struct TagIndexTests {
    /// 3,000 generated events in 5 collaboratives (workshops across localities, coaching, roles, late entries
    /// and retractions), shared by the tests that only read it.
    static let history = HistoryGeneratorTests.history

    static func drafts(_ lines: ArraySlice<[UInt8]>) throws -> [Draft] {
        try lines.map { try Draft(line: InterchangeLine.parse($0), defaultRecordedBy: "tester") }
    }

    /// A store holding the history, imported in three chunks an hour apart; returns the instants after each.
    static func importedInChunks(_ store: ClockedChronicle) throws -> [Timestamp] {
        var instants: [Timestamp] = []
        for (index, start) in stride(from: 0, to: history.count, by: 1_000).enumerated() {
            let instant = Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000 + Int64(index) * 3_600_000_000)
            store.clock.set(instant)
            let chunk = history[start..<min(start + 1_000, history.count)]
            try store.chronicle.importLines(
                HistoryGeneratorTests.numbered(chunk, from: start + 1), defaultRecordedBy: "tester")
            instants.append(instant)
        }
        return instants
    }

    @Test(arguments: [3, 20, 33, 200]) func repeatedTagsAreDroppedKeepingFirstOccurrencesInOrder(count: Int) {
        let tags = (0..<count).map { "m/member-\(($0 * 7) % (count / 2 + 1))" }
        var seen = Set<String>()
        let expected = tags.filter { seen.insert($0).inserted }
        #expect(EventTag.withoutRepeats(tags) == expected)
        #expect(EventTag.withoutRepeats(["in/a", "m/x", "in/a", "m/x", "p/x"]) == ["in/a", "m/x", "p/x"])
    }

    @Test func everyEventOfAGeneratedHistoryIsIndexedUnderItsTags() throws {
        let store = try ClockedChronicle()
        _ = try Self.importedInChunks(store)
        try store.chronicle.log.read { view in
            #expect(try view.tagIndexPosition() == view.head().seq)
            for seq in stride(from: 1, through: try view.head().seq, by: 37) {
                let event = try #require(try view.event(at: seq))
                for tag in EventTag.tags(of: try store.chronicle.reader.decoder.decode(event)) {
                    #expect(try view.taggedSeqs(tag, through: seq).last == seq, "\(tag) at seq \(seq)")
                }
            }
        }
    }

    @Test func everyReportOfOneCollaborativeIsTheSameFromItsEventsAloneAsFromTheWholeLog() throws {
        let store = try ClockedChronicle()
        let instants = try Self.importedInChunks(store)
        let chronicle = store.chronicle
        for knownAt in instants {
            for asOf in [day("2019-03-31"), day("2022-07-15"), day("2025-09-01")] {
                let whole = try HistoryView.load(from: chronicle.reader, asOf: asOf, knownAt: knownAt)
                #expect(!whole.collaboratives.isEmpty)
                for collaborative in whole.collaboratives {
                    let scoped = try HistoryView.load(
                        from: chronicle.reader, asOf: asOf, knownAt: knownAt, collaborative: collaborative)
                    #expect(scoped.eventsKnown < whole.eventsKnown)
                    expectSameFigures(of: collaborative, scoped, whole, schemes: [.term])
                }
            }
        }
    }

    @Test func eachEventOfAGeneratedHistoryAppendedAloneIsDecidedByItsScopeAlone() throws {
        let store = try ClockedChronicle()
        store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        try store.chronicle.importLines(
            HistoryGeneratorTests.numbered(Self.history[..<2_000]), defaultRecordedBy: "tester")
        var scopeSizes: [Int] = []
        for draft in try Self.drafts(Self.history[2_000..<2_400]) {
            let path = try store.chronicle.log.read { view in
                try store.chronicle.checkRules([draft.pendingEntry], in: view)
            }
            guard case .scoped(let events) = path else {
                Issue.record("\(draft.event.typeName) \(draft.id) needed the whole log")
                continue
            }
            scopeSizes.append(events)
            try store.chronicle.append([draft])
        }
        #expect(try store.chronicle.log.head().seq == 2_400)
        // A scope is a small part of the log, not the log.
        #expect(scopeSizes.reduce(0, +) / max(scopeSizes.count, 1) < 400)
        #expect(try store.chronicle.log.verify().isSound)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theScopedCheckAcceptsExactlyWhatTheWholeLogAccepts(seed: UInt64) throws {
        let store = try ClockedChronicle()
        store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        try store.chronicle.importLines(
            HistoryGeneratorTests.numbered(Self.history[..<1_500]), defaultRecordedBy: "tester")
        let stored = try store.chronicle.log.read { try store.chronicle.reader.decoder.storedTimeline(in: $0) }
        var candidates = CandidateEvents(stored: stored, seed: seed)
        var accepted = 0
        var refused = 0
        var compared = 0
        for index in 0..<300 {
            // Mostly one event; every third batch has two: another candidate, or a retraction of the first.
            var batch = [candidates.next()]
            if index % 6 == 3 { batch.append(candidates.next()) }
            if index % 6 == 0, let first = batch.first {
                batch.append(
                    TimelineEntry(
                        id: UUID(), seq: nil, occurredAt: first.occurredAt,
                        event: .eventRetracted(EventRetracted(event: first.id, reason: "in the same batch"))))
            }
            let (whole, scoped) = try Self.verdicts(of: batch, in: store.chronicle, stored: stored)
            if let scoped {
                compared += 1
                #expect(scoped == whole, "\(batch.map(\.event)): whole log \(whole)")
            }
            if whole { accepted += 1 } else { refused += 1 }
        }
        // Both verdicts are exercised, and nearly every batch had a scope (retracting a formation has none).
        #expect(accepted > 20 && refused > 20)
        #expect(compared > 250)
    }

    /// Whether the whole log (`stored`) accepts `batch`, and whether its scope does (`nil`: it has none).
    static func verdicts(
        of batch: [TimelineEntry], in chronicle: Chronicle, stored: [TimelineEntry]
    ) throws -> (whole: Bool, scoped: Bool?) {
        let whole: Bool
        do {
            try RuleCheck.validate(stored: stored, batch: batch, today: chronicle.today)
            whole = true
        } catch {
            whole = false
        }
        let scoped: Bool? = try chronicle.log.read { view in
            guard let scope = try RuleScope.load(for: batch, in: view, decoder: chronicle.reader.decoder) else {
                return nil
            }
            do {
                try RuleCheck.validate(
                    stored: scope.entries, batch: batch, today: chronicle.today, memberScope: scope.members)
                return true
            } catch {
                return false
            }
        }
        return (whole, scoped)
    }

    /// Stretches of the history as an import or a day's register brings them (joins, leaves, roles, late
    /// entries, retractions, attendance together), each with a random candidate: the scope judges the
    /// stretch as the whole log does, and is then appended, so the store grows under the checks.
    @Test(arguments: [4, 5] as [UInt64])
    func theScopedCheckOfStretchesOfAHistoryAgreesWithTheWholeLog(seed: UInt64) throws {
        let store = try ClockedChronicle()
        store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        try store.chronicle.importLines(
            HistoryGeneratorTests.numbered(Self.history[..<1_200]), defaultRecordedBy: "tester")
        var candidates = CandidateEvents(
            stored: try store.chronicle.log.read { try store.chronicle.reader.decoder.storedTimeline(in: $0) },
            seed: seed)
        var outcomes: [Bool: Int] = [:]
        for start in stride(from: 1_200, to: 2_400, by: 40) {
            let stretch = try Self.drafts(Self.history[start..<start + 40])
            let stored = try store.chronicle.log.read { try store.chronicle.reader.decoder.storedTimeline(in: $0) }
            for batch in [stretch.map(\.pendingEntry), stretch.map(\.pendingEntry) + [candidates.next()]] {
                let (whole, scoped) = try Self.verdicts(of: batch, in: store.chronicle, stored: stored)
                #expect(scoped != nil, "a stretch of 40 next to \(stored.count) stored has a scope")
                #expect(scoped == whole, "\(batch.map(\.event)): whole log \(whole)")
                outcomes[whole, default: 0] += 1
            }
            try store.chronicle.append(stretch)
        }
        #expect(outcomes[true, default: 0] > 30 && outcomes[false, default: 0] > 5)
    }

    /// The stored attendance a late leave strands is in the leave's scope, though an attendance changes no
    /// one's state: a scope of members' states alone would accept the leave. The scope names the same
    /// stored event as the whole log.
    @Test func aLateLeaveIsRefusedByItsScopeForTheStoredAttendanceItWouldStrand() throws {
        let store = try ClockedChronicle()
        store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        try store.chronicle.importLines(
            HistoryGeneratorTests.numbered(Self.history[..<1_500]), defaultRecordedBy: "tester")
        let stored = try store.chronicle.log.read { try store.chronicle.reader.decoder.storedTimeline(in: $0) }
        let timeline = Timeline(entries: stored)
        let today = store.chronicle.today
        var tried = 0
        for entry in stored.reversed() {
            guard case .coachingSessionHeld(let session) = entry.event, let attendee = session.attendees.first,
                attendee != session.advisor
            else { continue }
            let before = entry.occurredAt.localDay.adding(days: -1)
            // Still a member to this day, so that the leave itself is valid and strands only what follows it.
            let intervals = timeline.membershipIntervals(of: attendee, in: session.collaborative)
            guard let last = intervals.last, last.end == nil, last.start < before else { continue }
            let leave = TimelineEntry(
                id: UUID(), seq: nil, occurredAt: .day(before),
                event: .memberLeft(
                    MemberLeft(collaborative: session.collaborative, member: attendee, reason: .capacity)))
            var whole: RuleViolation?
            do { try RuleCheck.validate(stored: stored, batch: [leave], today: today) } catch { whole = error }
            let scope = try #require(
                try store.chronicle.log.read { view in
                    try RuleScope.load(for: [leave], in: view, decoder: store.chronicle.reader.decoder)
                })
            var scoped: RuleViolation?
            do {
                try RuleCheck.validate(stored: scope.entries, batch: [leave], today: today, memberScope: scope.members)
            } catch {
                scoped = error
            }
            let refusal = try #require(whole, "the leave of \(attendee) strands session \(entry.id)")
            #expect(refusal.rule == .memberActive)
            #expect(scoped?.rule == refusal.rule && scoped?.subject == refusal.subject, "\(refusal)")
            tried += 1
            if tried == 20 { break }
        }
        #expect(tried == 20)
    }

    /// A batch of attendance (a day's register) changes no one's state: its scope holds its members' states
    /// and the formations they use, not the attendance and coaching those members already have.
    @Test func aRegistersScopeHoldsItsMembersStatesNotTheirAttendance() throws {
        let store = try ClockedChronicle()
        store.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        try store.chronicle.importLines(
            HistoryGeneratorTests.numbered(Self.history[..<2_000]), defaultRecordedBy: "tester")
        let stored = try store.chronicle.log.read { try store.chronicle.reader.decoder.storedTimeline(in: $0) }
        // Later attendance whose members are active already: a valid register.
        let register = try Self.drafts(Self.history[2_000..<2_400]).map(\.pendingEntry).filter { entry in
            switch entry.event {
            case .workshopHeld, .coachingSessionHeld:
                (try? RuleCheck.validate(stored: stored, batch: [entry], today: store.chronicle.today)) != nil
            default: false
            }
        }
        #expect(register.count > 40)
        let scope = try #require(
            try store.chronicle.log.read { view in
                try RuleScope.load(for: register, in: view, decoder: store.chronicle.reader.decoder)
            })
        #expect(!scope.members.isEmpty)
        for entry in scope.entries {
            switch entry.event {
            case .workshopHeld, .coachingSessionHeld, .subGroupMemberJoined, .subGroupMemberLeft:
                Issue.record("\(entry.event.typeName) \(entry.id) is in the scope of a register")
            default: continue
            }
        }
        let path = try store.chronicle.log.read { view in try store.chronicle.checkRules(register, in: view) }
        #expect(path == .scoped(events: scope.entries.count))
    }

    @Test func aStoreWhoseTagIndexLagsIsCaughtUpByTheNextAppend() throws {
        let source = try ClockedChronicle()
        source.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        try source.chronicle.importLines(
            HistoryGeneratorTests.numbered(Self.history[..<500]), defaultRecordedBy: "tester")
        var events: [RecordedEvent] = []
        try source.chronicle.log.events().forEach { events.append($0) }
        let target = try ClockedChronicle()
        target.clock.set(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        // A restore without tags stands for a store written before the index existed.
        try target.chronicle.log.restore(events)
        try target.chronicle.log.read { view in
            #expect(try view.tagIndexPosition() == 0)
            let draft = try #require(try Self.drafts(Self.history[500..<501]).first)
            #expect(try target.chronicle.checkRules([draft.pendingEntry], in: view) == .wholeLog)
        }
        #expect(try target.chronicle.log.verify().isSound)
        try target.chronicle.append(try Self.drafts(Self.history[500..<501]))
        try target.chronicle.log.read { view in
            #expect(try view.tagIndexPosition() == 501)
            let tags = EventTag.tags(
                of: try target.chronicle.reader.decoder.decode(try #require(try view.event(at: 1))))
            #expect(try view.taggedSeqs(try #require(tags.first), through: 501).first == 1)
        }
        #expect(try target.chronicle.catchUpTags() == 0)
        #expect(try target.chronicle.log.verify().isSound)
    }
}

/// `verifyTagIndex`: the index the rule checks trust is derived again from the log and compared.
@Suite struct TagIndexVerificationTests {
    /// A store holding `events` generated lines, in a directory removed afterwards; `damage` then runs on
    /// the raw `tags` database while no store is open, and the check runs on the store reopened.
    private func check(events: Int, damage: (Environment, Database) throws -> Void) throws -> TagIndexCheck {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tags-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let now = try #require(Timestamp(rfc3339: "2025-09-01T12:00:00Z"))
        do {
            let log = try LMDBEventStore(directory: directory, options: .init(create: true), clock: FixedClock(now))
            try Chronicle(log: log, today: day("2025-09-01")).importLines(
                HistoryGeneratorTests.numbered(HistoryGeneratorTests.history[..<events]), defaultRecordedBy: "t")
        }
        do {
            let environment = try Environment(path: directory)
            try damage(environment, try environment.openDatabase("tags", flags: [.duplicateSort, .duplicateFixed]))
        }
        let log = try LMDBEventStore(directory: directory, options: .init(create: false), clock: FixedClock(now))
        #expect(try log.verify().isSound)  // the generic check cannot know which tags an event should have
        return try HistoryReader(log: log).verifyTagIndex()
    }

    @Test func anIndexAsAppendsWroteItIsSound() throws {
        let result = try check(events: 300) { _, _ in }
        #expect(result.isSound && result.position == 300 && result.entries > 300)
    }

    @Test func aMissingEntryIsNamedWithItsEventAndTag() throws {
        let result = try check(events: 300) { environment, tags in
            try environment.write { txn in
                try txn.withCursor(tags) { cursor in
                    #expect(try cursor.seek(exactly: Array("c/oldham".utf8), value: [0, 0, 0, 0, 0, 0, 0, 1]) != nil)
                    try cursor.deleteCurrent()
                }
            }
        }
        #expect(result.fault == "seq 1: the tag index lacks \"c/oldham\"")
    }

    @Test func anEntryTheLogDoesNotImplyIsCounted() throws {
        let result = try check(events: 300) { environment, tags in
            try environment.write { txn in
                try txn.put(tags, key: Array("m/nobody".utf8), value: [0, 0, 0, 0, 0, 0, 0, 7])
            }
        }
        #expect(result.fault?.hasPrefix("the tag index holds \(result.entries + 1) entries") == true)
    }
}
