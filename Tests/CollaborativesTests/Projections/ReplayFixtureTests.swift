import EventLog
import Foundation
import Synchronization
import Testing

@testable import Collaboratives

/// A history written by hand, entry by entry, with `seq` 1, 2, … in the order added.
struct HandMadeLog {
    private(set) var entries: [TimelineEntry] = []

    /// Adds an event; returns its id.
    @discardableResult
    mutating func add(_ date: String, _ event: DomainEvent) -> UUID {
        let id = UUID()
        entries.append(TimelineEntry(id: id, seq: UInt64(entries.count + 1), occurredAt: occurred(date), event: event))
        return id
    }

    /// The view on `date` of everything added (nothing retracted, everything known).
    func view(_ date: String) -> HistoryView {
        let asOf = day(date)
        return HistoryView(
            asOf: asOf, knownAt: Timestamp(microsecondsSinceEpoch: 0), lastSeq: UInt64(entries.count),
            lastHash: .genesis, entries: entries.filter { $0.occurredAt.localDay <= asOf },
            eventsKnown: entries.count, eventsRetracted: 0)
    }

    /// Oldham, 2021-09-01 to 2023-06-30: the history every replay, progress and succession test reads.
    ///
    /// Members: ol-1 (secondary, Hathershaw College, then Oasis Academy from 2022-09-01); ol-2 (primary,
    /// left 2022-06-30, re-joined 2023-01-15 as la-education at Oldham Council); ol-3 (social care, left
    /// 2023-03-01); ol-4 (health, from 2021-10-01); ol-5 (PCF, from 2022-01-10); st-1 (staff); st-2 (staff,
    /// 2022-05-15 to 2023-06-30).
    ///
    /// Roles: anchor ol-1 (2021-09-10 on), ol-4 (2022-02-01 to 2023-01-01), ol-5 interim from 2023-01-01
    /// succeeding ol-4; advisor st-1 (to 2022-03-31), st-2 from 2022-05-15 succeeding st-1 until they
    /// leave; lead of transitions ol-3 self-appointed until they leave, ol-2 from 2023-03-10 "succeeding"
    /// ol-1; lead of behaviour ol-1 self-appointed from 2022-02-01; PCF representative ol-5 (to
    /// 2023-02-01), ol-2 from 2023-01-20 succeeding ol-5.
    ///
    /// Sub-groups: transitions (2021-11-01; ol-2, ol-3 from 2021-11-15, ol-4 2021-12-01 to 2022-10-01;
    /// in progress 2022-01-10, delivered 2022-11-20, embedded 2023-05-01; three milestones); behaviour
    /// (2022-01-15; ol-1, ol-5; in progress 2022-03-01; a milestone 2022-04-01; redefined 2022-09-15);
    /// drop-ins (2022-06-01, closed 2022-08-01).
    static func oldham() -> HandMadeLog {
        var log = HandMadeLog()
        log.add("2021-09-01", Events.formed("oldham"))
        log.add(
            "2021-09-10",
            Events.joined("ol-1", "oldham", sector: .secondarySchool, name: "Ada", organisation: "Hathershaw College"))
        log.add("2021-09-10", Events.joined("ol-2", "oldham", sector: .primarySchool, organisation: "St Mary's"))
        log.add("2021-09-10", Events.joined("ol-3", "oldham", sector: .socialCare))
        log.add("2021-09-10", Events.joined("st-1", "oldham", sector: .programmeStaff))
        log.add("2021-09-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        log.add("2021-09-10", Events.assigned("st-1", .advisor, in: "oldham"))
        log.add("2021-10-01", Events.joined("ol-4", "oldham", sector: .health))
        log.add("2021-11-01", subgroupFormed("transitions", in: "oldham", title: "Transitions pilot"))
        log.add("2021-11-15", Events.subgroupJoined("ol-2", "transitions"))
        log.add("2021-11-15", Events.subgroupJoined("ol-3", "transitions"))
        log.add(
            "2021-11-15",
            Events.assigned("ol-3", .subgroupLead, in: "oldham", subgroup: "transitions", appointment: .selfAppointed))
        log.add("2021-12-01", Events.subgroupJoined("ol-4", "transitions"))
        log.add("2021-12-15", milestone("transitions", .planAgreed, "Plan agreed"))
        log.add("2022-01-10", Events.joined("ol-5", "oldham", sector: .parentCarerForum))
        log.add("2022-01-10", Events.assigned("ol-5", .pcfRepresentative, in: "oldham"))
        log.add("2022-01-10", Events.status("transitions", .inProgress))
        log.add("2022-01-15", subgroupFormed("behaviour", in: "oldham", title: "Behaviour support networks"))
        log.add("2022-02-01", Events.assigned("ol-4", .anchor, in: "oldham"))
        log.add("2022-02-01", Events.subgroupJoined("ol-1", "behaviour"))
        log.add("2022-02-01", Events.subgroupJoined("ol-5", "behaviour"))
        log.add(
            "2022-02-01",
            Events.assigned("ol-1", .subgroupLead, in: "oldham", subgroup: "behaviour", appointment: .selfAppointed))
        log.add("2022-03-01", milestone("transitions", .pilotStarted, "Pilot in 4 schools"))
        log.add("2022-03-01", Events.status("behaviour", .inProgress))
        log.add("2022-03-31", Events.ended("st-1", .advisor, in: "oldham"))
        log.add("2022-04-01", milestone("behaviour", .termsOfReference, "Terms agreed"))
        log.add("2022-05-15", Events.joined("st-2", "oldham", sector: .programmeStaff))
        log.add("2022-05-15", Events.assigned("st-2", .advisor, in: "oldham", succeeds: "st-1"))
        log.add("2022-06-01", subgroupFormed("drop-ins", in: "oldham", title: "Inclusion drop-ins"))
        log.add("2022-06-30", Events.left("ol-2", "oldham", reason: .roleChange))
        log.add("2022-08-01", Events.status("drop-ins", .closed))
        log.add("2022-09-01", Events.changed("ol-1", organisation: "Oasis Academy"))
        log.add("2022-09-15", redefined("behaviour", title: "Behaviour hubs"))
        log.add("2022-10-01", Events.subgroupLeft("ol-4", "transitions"))
        log.add("2022-11-20", milestone("transitions", .pilotCompleted, "Pilot evaluated"))
        log.add("2022-11-20", Events.status("transitions", .delivered))
        log.add("2023-01-01", Events.ended("ol-4", .anchor, in: "oldham"))
        log.add("2023-01-01", Events.assigned("ol-5", .anchor, in: "oldham", succeeds: "ol-4", appointment: .interim))
        log.add("2023-01-15", Events.joined("ol-2", "oldham", sector: .laEducation, organisation: "Oldham Council"))
        log.add("2023-01-20", Events.assigned("ol-2", .pcfRepresentative, in: "oldham", succeeds: "ol-5"))
        log.add("2023-02-01", Events.ended("ol-5", .pcfRepresentative, in: "oldham"))
        log.add("2023-03-01", Events.left("ol-3", "oldham"))
        log.add(
            "2023-03-10",
            Events.assigned("ol-2", .subgroupLead, in: "oldham", subgroup: "transitions", succeeds: "ol-1"))
        log.add("2023-05-01", Events.status("transitions", .embedded))
        log.add("2023-06-30", Events.left("st-2", "oldham"))
        return log
    }
}

extension HandMadeLog {
    static func subgroupFormed(_ subgroup: String, in collaborative: String, title: String) -> DomainEvent {
        .subGroupFormed(
            SubGroupFormed(collaborative: slug(collaborative), subgroup: slug(subgroup), title: title, aim: "an aim"))
    }

    static func milestone(_ subgroup: String, _ kind: MilestoneKind, _ title: String) -> DomainEvent {
        .milestoneReached(MilestoneReached(subgroup: slug(subgroup), kind: kind, title: title))
    }

    static func redefined(_ subgroup: String, title: String?) -> DomainEvent {
        .subGroupRedefined(
            SubGroupRedefined(subgroup: slug(subgroup), title: title, aim: "a new aim", reason: "merged"))
    }
}

/// A clock the test moves by hand, so that each append gets the transaction time the test chose.
final class SettableClock: TransactionClock {
    private let instant: Mutex<Timestamp>

    init(_ start: Timestamp) { instant = Mutex(start) }

    func set(_ value: Timestamp) { instant.withLock { $0 = value } }

    func now() -> Timestamp { instant.withLock { $0 } }
}

/// A `Chronicle` over a real store in a fresh temporary directory, with a settable clock; removed afterwards.
final class ClockedChronicle {
    let directory: String
    let clock = SettableClock(Timestamp(microsecondsSinceEpoch: 0))
    let chronicle: Chronicle

    init(today: String = "2030-01-01", checkpointInterval: UInt64 = Chronicle.defaultCheckpointInterval) throws {
        directory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("chronicle-projections-\(UUID().uuidString)").path
        let log = try LMDBEventStore(
            directory: directory, options: .init(create: true, initialMapSize: 1 << 22, durable: false), clock: clock)
        chronicle = Chronicle(log: log, today: day(today), checkpointInterval: checkpointInterval)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Appends `events` as one batch recorded at `recordedAt` (RFC 3339); returns their ids.
    @discardableResult
    func record(at recordedAt: String, _ events: [(String, DomainEvent)]) throws -> [UUID] {
        clock.set(try #require(Timestamp(rfc3339: recordedAt)))
        let drafts = events.map { Draft(occurredAt: occurred($0.0), recordedBy: "tester", event: $0.1) }
        try chronicle.append(drafts)
        return drafts.map(\.id)
    }
}

@Suite struct HandMadeHistoryTests {
    @Test func handMadeHistoryPassesEveryRule() throws {
        let log = HandMadeLog.oldham()
        #expect(throws: Never.self) {
            try RuleCheck.validate(stored: [], batch: log.entries, today: day("2025-01-01"))
        }
    }

    @Test func handMadeLogNumbersEntriesInTheOrderAdded() {
        let log = HandMadeLog.oldham()
        #expect(log.entries.map(\.seq) == (1...UInt64(log.entries.count)).map { $0 })
        #expect(log.view("2021-09-01").timeline.entries.count == 1)
    }
}
