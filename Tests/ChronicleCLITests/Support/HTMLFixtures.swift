import EventLog
import Foundation
import Testing

@testable import ChronicleCLI
@testable import Collaboratives

/// Small histories for the HTML renderer, built in memory (no store): user-typed text in them is
/// hostile on purpose (markup in names and titles).
enum HTMLFixtures {
    /// A member name that would run a script if it reached the page unescaped.
    static let scriptName = "<script>alert('x')</script> Smith"
    /// A sub-group title with an element that would run a script, and a quote for attributes.
    static let hostileTitle = "<img src=x onerror=\"alert(1)\"> & drop-ins"
    /// A collaborative name with markup and an ampersand.
    static let collaborativeName = "Oldham <b>Collaborative</b> & Partners"

    static func slug(_ text: String) -> Slug {
        if let slug = Slug(text) { return slug }
        Issue.record("invalid slug literal \(text)")
        return Slug(trusted: text)
    }

    static func day(_ text: String) -> Day {
        if let day = Day(parsing: text) { return day }
        Issue.record("invalid date literal \(text)")
        return Day(daysSinceEpoch: 0)
    }

    /// One collaborative, `oldham`, with 16 months of history: members of three sectors (the parent
    /// carer forum member leaves in Year 2, so that sector is lost), two workshops, a sub-group with a
    /// status change and a milestone, a coaching session, a self-appointed anchor, a gap, a new anchor.
    static var richEvents: [(String, DomainEvent)] {
        let oldham = slug("oldham")
        let (writer, parent, staff) = (slug("ol-01"), slug("ol-02"), slug("staff-1"))
        let subgroup = slug("drop-ins")
        return [
            (
                "2021-09-01",
                .collaborativeFormed(
                    CollaborativeFormed(
                        collaborative: oldham, name: collaborativeName, anchorOrganisation: "Oldham Council",
                        programmeStart: day("2021-09-01")))
            ),
            (
                "2021-09-01",
                .memberJoined(
                    MemberJoined(
                        collaborative: oldham, member: writer, name: .plain(scriptName), sector: .secondarySchool))
            ),
            (
                "2021-09-01",
                .memberJoined(MemberJoined(collaborative: oldham, member: parent, sector: .parentCarerForum))
            ),
            ("2021-09-01", .memberJoined(MemberJoined(collaborative: oldham, member: staff, sector: .programmeStaff))),
            (
                "2021-09-10",
                .roleAssigned(
                    RoleAssigned(collaborative: oldham, role: .anchor, member: writer, appointment: .selfAppointed))
            ),
            (
                "2021-10-01",
                .workshopHeld(
                    WorkshopHeld(
                        workshop: slug("ol-ws-01"), collaboratives: [oldham], kind: .convening, mode: .inPerson,
                        attendees: [writer, parent]))
            ),
            (
                "2021-10-15",
                .subGroupFormed(
                    SubGroupFormed(collaborative: oldham, subgroup: subgroup, title: hostileTitle, aim: "Drop-ins"))
            ),
            ("2021-12-01", .subGroupStatusChanged(SubGroupStatusChanged(subgroup: subgroup, status: .inProgress))),
            (
                "2022-01-20",
                .milestoneReached(MilestoneReached(subgroup: subgroup, kind: .pilotStarted, title: "Pilot <started>"))
            ),
            ("2022-01-01", .roleEnded(RoleEnded(collaborative: oldham, role: .anchor, member: writer))),
            (
                "2022-02-01",
                .coachingSessionHeld(
                    CoachingSessionHeld(
                        collaborative: oldham, subgroup: subgroup, kind: .oneToOne, advisor: staff, attendees: [writer],
                        minutes: 45))
            ),
            (
                "2022-03-01",
                .workshopHeld(
                    WorkshopHeld(
                        workshop: slug("ol-ws-02"), collaboratives: [oldham], kind: .collaborative, mode: .online,
                        attendees: [writer]))
            ),
            (
                "2022-03-01",
                .roleAssigned(RoleAssigned(collaborative: oldham, role: .anchor, member: staff, appointment: .formal))
            ),
            ("2022-10-01", .memberLeft(MemberLeft(collaborative: oldham, member: parent, reason: .capacity))),
        ]
    }

    /// The view of `events` at D (K fixed), as `HistoryView.load` would select it from a store.
    static func view(_ events: [(String, DomainEvent)], asOf: String = "2022-12-31") -> HistoryView {
        let entries = events.enumerated().map { index, item in
            TimelineEntry(
                id: UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", index + 1)) ?? UUID(),
                seq: UInt64(index + 1), occurredAt: .day(day(item.0)), event: item.1)
        }
        return HistoryView(
            asOf: day(asOf),
            knownAt: Timestamp(rfc3339: "2022-09-30T12:00:00Z") ?? Timestamp(microsecondsSinceEpoch: 0),
            lastSeq: UInt64(entries.count), lastHash: .genesis,
            entries: entries.filter { $0.occurredAt.localDay <= day(asOf) },
            eventsKnown: entries.count, eventsRetracted: 0)
    }

    /// The report's data for every collaborative of `view`, by programme year (coaching by term).
    static func data(_ view: HistoryView) -> HTMLReportData {
        HTMLReportData.compute(
            view: view, collaboratives: view.collaboratives, version: "9.9.9", periodScheme: "programme-year",
            periods: { collaborative in
                let start = view.programmeStart(of: collaborative) ?? view.asOf
                return PeriodScheme.programmeYear.periods(from: start, through: view.asOf, programmeStart: start)
            },
            terms: { collaborative in
                let start = view.programmeStart(of: collaborative) ?? view.asOf
                return PeriodScheme.term.periods(from: start, through: view.asOf)
            })
    }

    /// The page of the rich history.
    static var richPage: String { HTMLReport.render(data(view(richEvents))) }
}
