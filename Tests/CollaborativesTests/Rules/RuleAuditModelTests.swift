import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// The compact model ``RuleAudit`` keeps (session 15): a member's joins and details changes as steps without
/// their events, no personal text, and only the workshop slugs and survey waves used twice counted. Held to
/// the append's refusals computed the slow way (``RuleAuditTests/refusals(of:today:)``: each event judged
/// against the whole timeline of the log before it) on logs that stress exactly those parts.
@Suite struct RuleAuditModelTests {
    /// A random log of a few members whose details change often (every subset of name, sector and
    /// organisation, to and from programme staff, joins with and without a name), coaching sessions they
    /// advise (the rule a member's sector decides), workshops and survey waves reusing a few names, some
    /// events written after later-dated ones, and retractions of any earlier event.
    static func log(seed: UInt64, length: Int) -> [TimelineEntry] {
        var generator = SeededGenerator(seed: seed &+ 1_500)
        let members = ["m1", "m2", "m3", "m4"]
        let sectors: [Sector] = [.programmeStaff, .health, .socialCare, .programmeStaff]
        func random<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &generator)] }
        func maybe(_ text: String) -> String? { Bool.random(using: &generator) ? text : nil }
        var events: [(Int, DomainEvent)] = [(0, Events.formed("c", start: "2021-01-01"))]
        events += members.map { (1, Events.joined($0, "c", sector: random(sectors), name: maybe("N \($0)"))) }
        for _ in 0..<length {
            let member = random(members)
            let event: DomainEvent
            switch Int.random(in: 0..<10, using: &generator) {
            case 0, 1, 2:
                event = Events.changed(
                    member, name: maybe("R \(member)"), sector: Bool.random(using: &generator) ? random(sectors) : nil,
                    organisation: maybe("O \(member)"))
            case 3, 4:
                event = Events.coaching(in: "c", advisor: member, attendees: [random(members)])
            case 5:
                event = Events.workshop(random(["w1", "w2", "w3"]), for: ["c"], attendees: [member])
            case 6:
                event = Events.survey(in: "c", wave: random(["2022", "2023"]))
            case 7:
                event = Events.left(member, "c")
            case 8:
                event = Events.joined(member, "c", sector: random(sectors), organisation: maybe("O \(member)"))
            default:
                event = .eventRetracted(EventRetracted(event: UUID(), reason: "placeholder"))
            }
            events.append((Int.random(in: 2...60, using: &generator), event))
        }
        // Mostly in date order, a fifth of the events written after every other (late).
        let ordered = events.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
        var inOrder: [TimelineEntry] = []
        var late: [TimelineEntry] = []
        for (offset, (days, event)) in ordered {
            let entry = TimelineEntry(
                id: UUID(), seq: nil, occurredAt: .day(day("2021-01-01").adding(days: days)), event: event)
            if offset > 4, Int.random(in: 0..<5, using: &generator) == 0 {
                late.append(entry)
            } else {
                inOrder.append(entry)
            }
        }
        var log: [TimelineEntry] = []
        for entry in inOrder + late {
            guard case .eventRetracted = entry.event else {
                log.append(entry)
                continue
            }
            // A retraction of an event written before it: half the time a workshop or survey wave (whose name
            // another entry may use), else any (a change, a join, a retraction...).
            let registered = log.filter { RepeatedRegistrations.Name(of: $0.event) != nil }
            let candidates = registered.isEmpty || Bool.random(using: &generator) ? log : registered
            guard let target = candidates.isEmpty ? nil : random(candidates) else { continue }
            log.append(
                TimelineEntry(
                    id: entry.id, seq: nil, occurredAt: entry.occurredAt,
                    event: .eventRetracted(EventRetracted(event: target.id, reason: "in error"))))
        }
        return log
    }

    @Test(arguments: Array(1...16) as [UInt64])
    func theCompactModelNamesExactlyTheEventsAnAppendAtTheirPlaceWouldHaveRefused(seed: UInt64) throws {
        let written = Self.log(seed: seed, length: 70)
        let store = try TemporaryChronicle()
        let drafts = written.map { Draft(id: $0.id, occurredAt: $0.occurredAt, recordedBy: "t", event: $0.event) }
        try store.chronicle.log.append(drafts.map(\.newEvent))

        let expected = RuleAuditTests.refusals(of: written, today: day("2024-09-01"))
        try RuleAuditTests.expectFindings(of: store.chronicle, equalTo: expected)
    }
}
