import EventLog
import Foundation
import Testing

@testable import Collaboratives
@testable import HistoryGeneration

/// `HistoryGenerator`: deterministic, exact in size, and valid under every rule of EVENTS.md.
@Suite struct HistoryGeneratorTests {
    /// The clock of the stores the tests import into: the day after the default last day.
    static let now = "2025-09-01T12:00:00Z"
    static let today = "2025-09-01"

    static func lines(events: Int, collaboratives: Int? = nil, seed: UInt64) throws -> [[UInt8]] {
        Array(
            try HistoryGenerator(
                HistoryGenerator.Configuration(events: events, collaboratives: collaboratives, seed: seed)))
    }

    /// 2,000 events in one collaborative over two years (2021–2022): at this density a member's late
    /// personal-data line and their erasure meet in histories five times smaller than at the default (one
    /// collaborative per 10,000 events over ten years), where the smallest found were 10,000 events with
    /// seed 8 and 20,000 with seed 3.
    /// With `collaboratives` > 1, `events` is scaled to keep the density (2,000 a collaborative).
    static func denseLines(seed: UInt64, collaboratives: Int = 1) throws -> [[UInt8]] {
        Array(
            try HistoryGenerator(
                HistoryGenerator.Configuration(
                    events: 2_000 * collaboratives, collaboratives: collaboratives, seed: seed,
                    firstDay: try #require(Day(parsing: "2021-01-01")),
                    lastDay: try #require(Day(parsing: "2022-12-31")))))
    }

    static func numbered(_ lines: some Sequence<[UInt8]>, from first: Int = 1) -> [(number: Int, bytes: [UInt8])] {
        lines.enumerated().map { (first + $0.offset, $0.element) }
    }

    /// A history of 3,000 events in 5 collaboratives, made once for the tests that only read it.
    static let history: [[UInt8]] = (try? lines(events: 3_000, collaboratives: 5, seed: 7)) ?? []

    @Test func theSameSeedGivesIdenticalBytes() throws {
        let first = try Self.lines(events: 2_000, collaboratives: 4, seed: 11)
        let second = try Self.lines(events: 2_000, collaboratives: 4, seed: 11)
        #expect(first == second)
    }

    @Test func differentSeedsGiveDifferentHistories() throws {
        let first = try Self.lines(events: 500, seed: 1)
        let second = try Self.lines(events: 500, seed: 2)
        #expect(first != second)
    }

    @Test(arguments: [0, 1, 2, 13, 250, 1_001])
    func exactlyTheRequestedNumberOfLinesIsWritten(events: Int) throws {
        #expect(try Self.lines(events: events, seed: 3).count == events)
    }

    @Test func aGeneratedHistoryImportsIntoARealStoreAsOneBatch() throws {
        #expect(Self.history.count == 3_000)
        let store = try TemporaryChronicle(now: Self.now, today: Self.today)
        let summary = try store.chronicle.importLines(Self.numbered(Self.history), defaultRecordedBy: "tester")
        #expect(summary.appended == 3_000 && summary.duplicates == 0 && !summary.restored)
        #expect(try store.head().seq == 3_000)
        #expect(try store.chronicle.log.verify().isSound)
    }

    @Test func everyPrefixIsValidSoTheHistoryImportsInChunks() throws {
        let store = try TemporaryChronicle(now: Self.now, today: Self.today)
        for start in stride(from: 0, to: Self.history.count, by: 700) {
            let chunk = Self.history[start..<Swift.min(start + 700, Self.history.count)]
            let summary = try store.chronicle.importLines(
                Self.numbered(chunk, from: start + 1), defaultRecordedBy: "tester")
            #expect(summary.appended == chunk.count)
        }
        #expect(try store.head().seq == UInt64(Self.history.count))
    }

    @Test func theHistoryHoldsEveryEventTypeLateEntriesAndRetractions() throws {
        var counts: [String: Int] = [:]
        var latest = Day(daysSinceEpoch: .min)
        var late = 0
        var crossLocality = 0
        var unattendedCoaching = 0
        var rejoins = 0
        var everJoined: Set<String> = []
        for bytes in Self.history {
            let line = try InterchangeLine.parse(bytes)
            counts[line.type, default: 0] += 1
            let day = line.occurredAt.localDay
            if day < latest { late += 1 }
            latest = Swift.max(latest, day)
            let event = try EventCodec.decode(type: line.type, schemaVersion: line.schemaVersion, data: line.data)
            switch event {
            case .workshopHeld(let workshop) where workshop.collaboratives.count > 1: crossLocality += 1
            case .coachingSessionHeld(let session) where session.attendees.isEmpty: unattendedCoaching += 1
            case .memberJoined(let joined):
                let key = joined.collaborative.rawValue + "/" + joined.member.rawValue
                if !everJoined.insert(key).inserted { rejoins += 1 }
            default: break
            }
        }
        for type in DomainEvent.typeNames {
            #expect(counts[type, default: 0] > 0, "no \(type) in \(counts)")
        }
        #expect(late > 0)
        #expect(crossLocality > 0)
        #expect(unattendedCoaching > 0)
        #expect(rejoins > 0)
    }

    @Test func linesCarryExplicitIDsAndNoOutputOnlyField() throws {
        var ids: Set<UUID> = []
        for bytes in Self.history {
            let line = try InterchangeLine.parse(bytes)
            #expect(line.restored.isEmpty)
            let id = try #require(line.id)
            #expect(ids.insert(id).inserted)
        }
    }

    /// Dense histories (see ``denseLines(seed:)``) with seeds 1 and 14 held a late details change of a member
    /// written after that member's erasure (rule erasure-final refused them), the others not: a late line
    /// carrying a member's personal data is written before the member is erased, never after. Personal data
    /// is the rule's own notion of it (``DomainEvent/personalData``), not the generator's.
    @Test(arguments: [1, 2, 3, 8, 11, 14] as [UInt64])
    func noPersonalDataOfAMemberIsWrittenAfterTheirErasure(seed: UInt64) throws {
        var erased: Set<Slug> = []
        var lateLines = 0
        var latest = Day(daysSinceEpoch: .min)
        for bytes in try Self.denseLines(seed: seed) {
            let line = try InterchangeLine.parse(bytes)
            let day = line.occurredAt.localDay
            if day < latest { lateLines += 1 }
            latest = Swift.max(latest, day)
            let event = try EventCodec.decode(type: line.type, schemaVersion: line.schemaVersion, data: line.data)
            if case .personalDataErased(let erasure) = event {
                erased.insert(erasure.member)
            } else if let personal = event.personalData, personal.values.contains(where: { $0 != nil }) {
                let afterErasure = erased.contains(personal.member)
                #expect(!afterErasure, "seed \(seed): \(line.type) of \(personal.member) after their erasure")
            }
        }
        #expect(!erased.isEmpty && lateLines > 0, "seed \(seed): late lines and erasures should both occur")
    }

    /// `generate --events 100000 --seed 2`, and at 1M seeds 1, 2, 3 and 11, were refused by rule erasure-final
    /// (a late details change of a member written after their erasure). Dense histories (see
    /// ``denseLines(seed:)``) met it with seeds 1 and 14; with the other seeds they are imported whole too (a
    /// dry run, through every rule) so that a history the generator gets wrong at any of these seeds is
    /// refused here.
    @Test(arguments: (1...10).map { UInt64($0) } + [14])
    func aDenseGeneratedHistoryImportsWhateverTheSeed(seed: UInt64) throws {
        let lines = try Self.denseLines(seed: seed)
        let store = try TemporaryChronicle(now: Self.now, today: Self.today)
        let summary = try store.chronicle.importLines(Self.numbered(lines), defaultRecordedBy: "tester", dryRun: true)
        #expect(summary.appended == lines.count)
    }

    /// The same with three collaboratives at that density, where workshops may span localities and late
    /// entries and erasures meet in each collaborative.
    @Test(arguments: [2, 5, 9] as [UInt64])
    func aDenseHistoryOfSeveralCollaborativesImportsWhateverTheSeed(seed: UInt64) throws {
        let lines = try Self.denseLines(seed: seed, collaboratives: 3)
        let store = try TemporaryChronicle(now: Self.now, today: Self.today)
        let summary = try store.chronicle.importLines(Self.numbered(lines), defaultRecordedBy: "tester", dryRun: true)
        #expect(summary.appended == lines.count && lines.count == 6_000)
    }

    /// The same at the default density (what `generate` writes unless told otherwise), with the smallest history
    /// found to meet erasure-final there before the fix: 10,000 events with seed 8.
    @Test func aGeneratedHistoryOfTheDefaultDensityImports() throws {
        let lines = try Self.lines(events: 10_000, seed: 8)
        let store = try TemporaryChronicle(now: Self.now, today: Self.today)
        let summary = try store.chronicle.importLines(Self.numbered(lines), defaultRecordedBy: "tester", dryRun: true)
        #expect(summary.appended == 10_000)
    }

    @Test func nothingIsDatedOutsideThePeriod() throws {
        let configuration = HistoryGenerator.Configuration(
            events: 800, seed: 5, firstDay: try #require(Day(parsing: "2020-01-01")),
            lastDay: try #require(Day(parsing: "2021-12-31")))
        for bytes in try HistoryGenerator(configuration) {
            let day = try InterchangeLine.parse(bytes).occurredAt.localDay
            #expect(day >= configuration.firstDay && day <= configuration.lastDay)
        }
    }

    @Test func aPeriodThatEndsBeforeItStartsIsRefused() throws {
        let configuration = HistoryGenerator.Configuration(
            events: 10, seed: 1, firstDay: try #require(Day(parsing: "2021-01-02")),
            lastDay: try #require(Day(parsing: "2021-01-01")))
        #expect(throws: HistoryGenerator.ConfigurationError.self) { try HistoryGenerator(configuration) }
    }
}
