import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// A tiny log for the report tests: events with the day they happened and the instant they were
/// recorded, turned into the `HistoryView` at (D, K) the way `HistoryView.load` selects entries.
struct ReportTestLog {
    private(set) var events: [(entry: TimelineEntry, recordedAt: Timestamp)] = []

    /// Appends an event dated `date`, recorded at noon UTC on `recorded` (default: the day after `date`).
    mutating func add(_ date: String, _ event: DomainEvent, recorded: String? = nil) {
        let recordedDay = recorded ?? day(date).adding(days: 1).description
        let instant = Timestamp(rfc3339: recordedDay + "T12:00:00Z") ?? Timestamp(microsecondsSinceEpoch: 0)
        events.append((TimelineEntry(id: UUID(), seq: nil, occurredAt: occurred(date), event: event), instant))
    }

    /// The view at D = `asOf` and K = the end of UTC day `knownAt` (default: everything).
    func view(asOf: String, knownAt: String = "2099-12-31") -> HistoryView {
        let limit = Timestamp(rfc3339: knownAt + "T23:59:59Z") ?? Timestamp(microsecondsSinceEpoch: .max)
        // The log is in recording order (recordedAt never decreases), which gives each event its seq.
        let log = events.enumerated().sorted { ($0.element.recordedAt, $0.offset) < ($1.element.recordedAt, $1.offset) }
        let known = log.map(\.element).filter { $0.recordedAt <= limit }
        let visible = known.enumerated().map { seq, event in
            TimelineEntry(
                id: event.entry.id, seq: UInt64(seq + 1), occurredAt: event.entry.occurredAt, event: event.entry.event)
        }.filter { $0.occurredAt.localDay <= day(asOf) }
        return HistoryView(
            asOf: day(asOf), knownAt: limit, lastSeq: UInt64(known.count), lastHash: .genesis, entries: visible,
            eventsKnown: known.count, eventsRetracted: 0)
    }

    /// The events in recording order, with their seq, as a store would hold them.
    var stored: [TimelineEntry] {
        events.enumerated().sorted { ($0.element.recordedAt, $0.offset) < ($1.element.recordedAt, $1.offset) }
            .enumerated().map { seq, event in
                TimelineEntry(
                    id: event.element.entry.id, seq: UInt64(seq + 1), occurredAt: event.element.entry.occurredAt,
                    event: event.element.entry.event)
            }
    }
}

/// The hand-made history of the attendance, attrition and coaching tests, and their helpers.
enum ReportFixtures {
    /// Whether a rate is within a rounding error of the value worked out by hand.
    static func isClose(_ value: Double?, _ expected: Double) -> Bool {
        guard let value else { return false }
        return abs(value - expected) < 1e-9
    }

    /// Programme years of `north`: Year 1 [2021-09-01, 2022-09-01), Year 2 [2022-09-01, 2023-09-01).
    static let year1 = Period(label: "Year 1", start: day("2021-09-01"), end: day("2022-09-01"))
    static let year2 = Period(label: "Year 2", start: day("2022-09-01"), end: day("2023-09-01"))

    /// The hand-made history every attendance and attrition figure in these tests is worked out from.
    ///
    /// `north` (programme start 2021-09-01) has these members, with `[joined, left)` and sectors:
    ///
    /// | member | intervals | sector |
    /// |---|---|---|
    /// | a | [2021-09-01, –) | primary-school |
    /// | b | [2021-09-01, –) | secondary-school |
    /// | c | [2021-09-01, 2022-03-01) capacity | social-care; voluntary-sector from 2022-06-01, joining `south` |
    /// | d | [2022-01-10, 2023-03-15) left-organisation, the leave recorded late (2023-07-01) | health |
    /// | e | [2021-09-01, –) | secondary-school, la-education from 2022-04-01 |
    /// | f | [2021-09-01, 2022-10-01) relevance, [2023-02-01, –) | parent-carer-forum |
    /// | g | [2022-11-01, 2023-05-01) role-change | camhs |
    /// | h | [2023-05-20, –) | special-school |
    ///
    /// Workshops of `north` (attendees): w1 2021-10-01 (a b c e), w2 2022-03-01 (a d: c left that day),
    /// x1 2022-05-10 cross-locality with `south` (a f s1), w3 2022-10-01 (b e: f left that day),
    /// w4 2023-03-15 (b e f g: d left that day), w5 2023-06-01 (b f). `south` has s1 (voluntary sector)
    /// and c from 2022-06-01;
    /// `east` has no member and one workshop, e1 2022-01-01.
    static func handMadeHistory() -> ReportTestLog {
        var log = ReportTestLog()
        log.add("2021-09-01", Events.formed("north"))
        log.add("2021-09-01", Events.formed("south"))
        log.add("2021-09-01", Events.formed("east"))
        log.add("2021-09-01", Events.joined("a", "north", sector: .primarySchool))
        log.add("2021-09-01", Events.joined("b", "north", sector: .secondarySchool))
        log.add("2021-09-01", Events.joined("c", "north", sector: .socialCare))
        log.add("2021-09-01", Events.joined("e", "north", sector: .secondarySchool))
        log.add("2021-09-01", Events.joined("f", "north", sector: .parentCarerForum))
        log.add("2021-09-01", Events.joined("s1", "south", sector: .voluntarySector))
        log.add("2021-10-01", Events.workshop("w1", for: ["north"], attendees: ["a", "b", "c", "e"]))
        log.add("2022-01-01", Events.workshop("e1", for: ["east"], attendees: []))
        log.add("2022-01-10", Events.joined("d", "north", sector: .health))
        log.add("2022-03-01", Events.left("c", "north", reason: .capacity))
        log.add("2022-03-01", Events.workshop("w2", for: ["north"], attendees: ["a", "d"]))
        log.add("2022-04-01", Events.changed("e", sector: .laEducation))
        log.add(
            "2022-05-10",
            Events.workshop("x1", for: ["north", "south"], attendees: ["a", "f", "s1"], kind: .crossLocality))
        log.add("2022-06-01", Events.joined("c", "south", sector: .voluntarySector))
        log.add("2022-10-01", Events.left("f", "north", reason: .relevance))
        log.add("2022-10-01", Events.workshop("w3", for: ["north"], attendees: ["b", "e"]))
        log.add("2022-11-01", Events.joined("g", "north", sector: .camhs))
        log.add("2023-02-01", Events.joined("f", "north", sector: .parentCarerForum))
        log.add("2023-03-15", Events.left("d", "north", reason: .leftOrganisation), recorded: "2023-07-01")
        log.add("2023-03-15", Events.workshop("w4", for: ["north"], attendees: ["b", "e", "f", "g"]))
        log.add("2023-05-01", Events.left("g", "north", reason: .roleChange))
        log.add("2023-05-20", Events.joined("h", "north", sector: .specialSchool))
        log.add("2023-06-01", Events.workshop("w5", for: ["north"], attendees: ["b", "f"]))
        return log
    }

    private static func session(
        _ kind: CoachingKind, _ attendees: [String], minutes: Int?, subgroup: String? = nil,
        in collaborative: String = "north"
    ) -> DomainEvent {
        .coachingSessionHeld(
            CoachingSessionHeld(
                collaborative: slug(collaborative), subgroup: subgroup.map(slug), kind: kind, advisor: slug("staff"),
                attendees: attendees.map(slug), minutes: minutes))
    }

    /// The hand-made history with coaching in `north` over the autumn 2021 and spring 2022 terms.
    ///
    /// Sub-groups: `transitions` (formed 2021-10-01), `old-group` (formed 2021-09-15, closed 2021-12-20),
    /// `dropins` (formed 2022-02-01). Sessions (kind, attendees, minutes):
    /// autumn: 2021-10-05 transitions group (a b) 60; 2021-10-20 old-group catch-up (a) 45;
    /// 2021-11-10 transitions one-to-one (nobody) 30; 2021-12-01 no sub-group drop-in (e) no minutes;
    /// spring: 2022-02-15 dropins group (a d) 90; 2022-03-20 dropins leadership (a) 40;
    /// and one session of `south`, which does not count for `north`.
    static func coachingHistory() -> ReportTestLog {
        var log = handMadeHistory()
        log.add("2021-09-01", Events.joined("staff", "north", sector: .programmeStaff))
        log.add("2021-09-15", Events.subgroupFormed("old-group", in: "north"))
        log.add("2021-10-01", Events.subgroupFormed("transitions", in: "north"))
        log.add("2021-10-05", session(.group, ["a", "b"], minutes: 60, subgroup: "transitions"))
        log.add("2021-10-20", session(.catchUp, ["a"], minutes: 45, subgroup: "old-group"))
        log.add("2021-11-10", session(.oneToOne, [], minutes: 30, subgroup: "transitions"))
        log.add("2021-12-01", session(.dropIn, ["e"], minutes: nil))
        log.add("2021-12-20", Events.status("old-group", .closed))
        log.add("2022-02-01", Events.subgroupFormed("dropins", in: "north"))
        log.add("2022-02-15", session(.group, ["a", "d"], minutes: 90, subgroup: "dropins"))
        log.add("2022-02-20", session(.group, ["s1"], minutes: 60, in: "south"))
        log.add("2022-03-20", session(.leadership, ["a"], minutes: 40, subgroup: "dropins"))
        return log
    }
}
