import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// A random history of two collaboratives in timeline order: churn, details changes, roles with `succeeds`,
/// sub-groups with members, statuses, milestones and redefinitions. It tracks just enough state for most
/// events to be valid; the store refuses the others, and the test keeps what the store kept.
struct ProjectionHistoryGenerator {
    private(set) var events: [(day: String, event: DomainEvent)] = []
    private var generator: SeededGenerator
    private var current = day("2021-09-01")
    private var active: [String: Set<String>] = [:]
    private var subgroups: [String: [String]] = [:]
    private var inSubgroup: [String: Set<String>] = [:]
    private var held: Set<[String]> = []
    private let members = (0..<8).map { "m\($0)" }

    init(seed: UInt64, length: Int) {
        generator = SeededGenerator(seed: seed)
        emit(Events.formed("c1"))
        emit(Events.formed("c2"))
        while events.count < length { step() }
    }

    private mutating func emit(_ event: DomainEvent) {
        events.append((current.description, event))
        current = current.adding(days: Int.random(in: 0...15, using: &generator))
    }

    private mutating func pick<T>(_ values: [T]) -> T? { values.randomElement(using: &generator) }

    private mutating func step() {
        guard let collaborative = pick(["c1", "c2"]) else { return }
        let here = active[collaborative, default: []].sorted()
        let groups = subgroups[collaborative, default: []]
        switch Int.random(in: 0..<11, using: &generator) {
        case 0, 1:
            guard let member = pick(members.filter { !here.contains($0) }),
                let sector = pick([Sector.primarySchool, .health, .socialCare, .parentCarerForum])
            else { return }
            emit(Events.joined(member, collaborative, sector: sector, organisation: pick(["A", "B"])))
            active[collaborative, default: []].insert(member)
        case 2:
            guard let member = pick(here) else { return }
            emit(Events.left(member, collaborative))
            active[collaborative, default: []].remove(member)
            held = held.filter { !($0[0] == collaborative && $0[3] == member) }
        case 3:
            guard let member = pick(here) else { return }
            emit(Events.changed(member, sector: pick([Sector.health, .laEducation]), organisation: pick(["C", "D"])))
        case 4:
            guard groups.count < 3 else { return }
            let subgroup = "\(collaborative)-s\(groups.count)"
            emit(Events.subgroupFormed(subgroup, in: collaborative))
            subgroups[collaborative, default: []].append(subgroup)
        case 5:
            guard let subgroup = pick(groups),
                let member = pick(here.filter { !inSubgroup[subgroup, default: []].contains($0) })
            else { return }
            emit(Events.subgroupJoined(member, subgroup))
            inSubgroup[subgroup, default: []].insert(member)
        case 6:
            guard let subgroup = pick(groups), let member = pick(inSubgroup[subgroup, default: []].sorted()) else {
                return
            }
            emit(Events.subgroupLeft(member, subgroup))
            inSubgroup[subgroup, default: []].remove(member)
        case 7:
            guard let subgroup = pick(groups), let status = pick(SubGroupStatus.allCases),
                let kind = pick(MilestoneKind.allCases)
            else { return }
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: emit(Events.status(subgroup, status))
            case 1: emit(HandMadeLog.milestone(subgroup, kind, "milestone"))
            default: emit(HandMadeLog.redefined(subgroup, title: pick(["New title", nil]) ?? nil))
            }
        case 8, 9:
            guard let member = pick(here), let role = pick([Role.anchor, .pcfRepresentative, .subgroupLead]),
                let appointment = pick(Appointment.allCases)
            else { return }
            let subgroup = role == .subgroupLead ? pick(groups) : nil
            if role == .subgroupLead && subgroup == nil { return }
            let key = [collaborative, role.rawValue, subgroup ?? "", member]
            guard !held.contains(key) else { return }
            // Rule succeeds-other: a holder never succeeds themself.
            let succeeds = Bool.random(using: &generator) ? pick(members.filter { $0 != member }) : nil
            emit(
                Events.assigned(
                    member, role, in: collaborative, subgroup: subgroup, succeeds: succeeds, appointment: appointment))
            held.insert(key)
        default:
            guard let key = pick(held.filter { $0[0] == collaborative }.sorted { $0.joined() < $1.joined() }),
                let role = Role(rawValue: key[1])
            else { return }
            emit(Events.ended(key[3], role, in: collaborative, subgroup: key[2].isEmpty ? nil : key[2]))
            held.remove(key)
        }
    }
}

/// Projections from ``HistoryView/load(from:asOf:knownAt:)`` equal those of a naive fold over the log
/// filtered by hand, on random histories recorded late, out of order and with retractions, at random (D, K).
@Suite struct ReplayPropertyTests {
    /// A stored event as read back from the log.
    struct Stored {
        let seq: UInt64
        let recordedAt: Timestamp
        let hash: EventHash
        let entry: TimelineEntry
    }

    /// Records the history into a store: mostly in order, a quarter of it late, with random retractions; each
    /// append at its own transaction time (sometimes equal to the previous one). Refused appends are dropped.
    private func record(_ history: ProjectionHistoryGenerator, seed: UInt64, into store: ClockedChronicle) throws
        -> [Stored]
    {
        var generator = SeededGenerator(seed: seed &* 31)
        var instant = Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000)
        var late: [(day: String, event: DomainEvent)] = []
        var ids: [UUID] = []
        func append(_ day: String, _ event: DomainEvent) {
            instant = Timestamp(
                microsecondsSinceEpoch: instant.microsecondsSinceEpoch
                    + Int64.random(in: 0...2, using: &generator) * 3_600_000_000)
            store.clock.set(instant)
            let draft = Draft(occurredAt: occurred(day), recordedBy: "property", event: event)
            if (try? store.chronicle.append([draft])) != nil { ids.append(draft.id) }
        }
        for (index, item) in history.events.enumerated() {
            // The two formations are never late: without them every later event would be refused.
            if index >= 2, Int.random(in: 0..<4, using: &generator) == 0 {
                late.append(item)
            } else {
                append(item.day, item.event)
            }
            if !late.isEmpty, Int.random(in: 0..<8, using: &generator) == 0 {
                let item = late.remove(at: Int.random(in: 0..<late.count, using: &generator))
                append(item.day, item.event)
            }
            if let target = ids.randomElement(using: &generator), Int.random(in: 0..<10, using: &generator) == 0 {
                append("2024-01-01", Events.retract(target))
            }
        }
        for item in late.shuffled(using: &generator) { append(item.day, item.event) }
        var stored: [Stored] = []
        try store.chronicle.log.events().forEach { event in
            stored.append(
                Stored(
                    seq: event.seq, recordedAt: event.recordedAt, hash: event.hash,
                    entry: try store.chronicle.reader.decoder.entry(of: event)))
        }
        return stored
    }

    /// The view at (D, K) by hand: recorded by K, not retracted by a retraction recorded by K, dated by D.
    private func naiveView(
        _ log: [Stored], asOf: Day, knownAt: Timestamp, keys: PersonalDataKeys = .none
    ) -> HistoryView {
        let known = log.filter { $0.recordedAt <= knownAt }
        var retracted = Set<UUID>()
        for stored in known {
            if case .eventRetracted(let retraction) = stored.entry.event { retracted.insert(retraction.event) }
        }
        let entries = known.map(\.entry).filter { entry in
            if case .eventRetracted = entry.event { return false }
            return !retracted.contains(entry.id) && entry.occurredAt.localDay <= asOf
        }
        return HistoryView(
            asOf: asOf, knownAt: knownAt, lastSeq: known.last?.seq ?? 0, lastHash: known.last?.hash ?? .genesis,
            entries: entries, eventsKnown: known.count, eventsRetracted: retracted.count, keys: keys)
    }

    private func randomInstant(_ log: [Stored], using generator: inout SeededGenerator) -> Timestamp {
        guard let stored = log.randomElement(using: &generator) else { return Timestamp(microsecondsSinceEpoch: 0) }
        let offsets: [Int64] = [-1, 0, 0, 1, -86_400_000_000]
        return Timestamp(
            microsecondsSinceEpoch: stored.recordedAt.microsecondsSinceEpoch
                + (offsets.randomElement(using: &generator) ?? 0))
    }

    private func expectSameProjections(_ loaded: HistoryView, _ naive: HistoryView) {
        #expect(loaded.lastSeq == naive.lastSeq)
        #expect(loaded.lastHash == naive.lastHash)
        #expect(loaded.eventsKnown == naive.eventsKnown)
        #expect(loaded.eventsRetracted == naive.eventsRetracted)
        #expect(loaded.collaboratives == naive.collaboratives)
        for collaborative in naive.collaboratives {
            #expect(
                ReplayReport.compute(view: loaded, collaborative: collaborative)
                    == ReplayReport.compute(view: naive, collaborative: collaborative))
            #expect(
                ProgressReport.compute(view: loaded, collaborative: collaborative, stalledAfterDays: 60)
                    == ProgressReport.compute(view: naive, collaborative: collaborative, stalledAfterDays: 60))
            #expect(
                SuccessionAudit.compute(view: loaded, collaborative: collaborative)
                    == SuccessionAudit.compute(view: naive, collaborative: collaborative))
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func projectionsOfTheLoadedViewEqualANaiveFoldOverTheFilteredLog(seed: UInt64) throws {
        let store = try ClockedChronicle()
        let log = try record(ProjectionHistoryGenerator(seed: seed, length: 70), seed: seed, into: store)
        #expect(log.count > 20)
        var generator = SeededGenerator(seed: seed &+ 1000)
        let last = log.map(\.entry.occurredAt.localDay).max() ?? day("2021-09-01")
        let span = Int(last.daysSinceEpoch - day("2021-08-25").daysSinceEpoch) + 10
        // Organisations are sealed as stored: the naive views open them with the store's keys too.
        let keys = try store.chronicle.reader.personalDataKeys()
        for _ in 0..<6 {
            let asOf = day("2021-08-25").adding(days: Int.random(in: 0...span, using: &generator))
            let knownAt = randomInstant(log, using: &generator)
            let loaded = try HistoryView.load(from: store.chronicle.reader, asOf: asOf, knownAt: knownAt)
            let naive = naiveView(log, asOf: asOf, knownAt: knownAt, keys: keys)
            expectSameProjections(loaded, naive)
            for collaborative in naive.collaboratives {
                let scoped = try HistoryView.load(
                    from: store.chronicle.reader, asOf: asOf, knownAt: knownAt, collaborative: collaborative)
                expectSameFigures(of: collaborative, scoped, naive, stalledAfterDays: 60)
            }

            let other = randomInstant(log, using: &generator)
            let (first, second) = (min(knownAt, other), max(knownAt, other))
            let diff = DiffReport.compute(
                try DiffReport.load(from: store.chronicle.reader, asOf: asOf, knownAt: first, against: second))
            let before = naiveView(log, asOf: asOf, knownAt: first, keys: keys)
            let after = naiveView(log, asOf: asOf, knownAt: second, keys: keys)
            let window = log.filter { $0.recordedAt > first && $0.recordedAt <= second }.map { stored in
                LoggedEntry(seq: stored.seq, recordedAt: stored.recordedAt, entry: stored.entry)
            }
            #expect(diff == DiffReport.compute(DiffInput(before: before, after: after, recorded: window)))
        }
    }

    @Test func randomHistoriesExerciseLateEntriesRetractionsAndRoles() throws {
        var retractions = 0
        var tenures = 0
        for seed in [1, 2, 3] as [UInt64] {
            let store = try ClockedChronicle()
            let log = try record(ProjectionHistoryGenerator(seed: seed, length: 70), seed: seed, into: store)
            retractions += log.filter { if case .eventRetracted = $0.entry.event { true } else { false } }.count
            let view = naiveView(log, asOf: day("2030-01-01"), knownAt: Timestamp(microsecondsSinceEpoch: .max))
            tenures += view.timeline.roleTenures.count
        }
        #expect(retractions > 0)
        #expect(tenures > 0)
    }
}
