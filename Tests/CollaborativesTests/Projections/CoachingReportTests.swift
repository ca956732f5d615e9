import Foundation
import Testing

@testable import Collaboratives

/// Coaching in `north` over the autumn 2021 and spring 2022 terms of `ReportFixtures.coachingHistory()`,
/// every figure worked out by hand.
@Suite struct CoachingReportTests {
    private let autumn = Period(label: "2021 autumn", start: day("2021-09-01"), end: day("2022-01-01"))
    private let spring = Period(label: "2022 spring", start: day("2022-01-01"), end: day("2022-04-01"))

    private func report(asOf: String = "2022-03-31", knownAt: String = "2099-12-31") -> CoachingResult {
        CoachingReport.compute(
            view: ReportFixtures.coachingHistory().view(asOf: asOf, knownAt: knownAt), collaborative: slug("north"),
            periods: [autumn, spring])
    }

    @Test func theCollaborativeTotalCountsSessionsByKindUnattendedMinutesAndDistinctAttendees() {
        let periods = report().periods
        #expect(
            periods[0].total
                == CoachingFigures(
                    sessions: 4, sessionsByKind: [.group: 1, .catchUp: 1, .oneToOne: 1, .dropIn: 1],
                    sessionsUnattended: 1,
                    minutes: 135, sessionsWithoutMinutes: 1, attendances: 4, distinctAttendees: 3,
                    attendees: [slug("a"), slug("b"), slug("e")]))
        #expect(
            periods[1].total
                == CoachingFigures(
                    sessions: 2, sessionsByKind: [.group: 1, .leadership: 1], sessionsUnattended: 0, minutes: 130,
                    sessionsWithoutMinutes: 0, attendances: 3, distinctAttendees: 2, attendees: [slug("a"), slug("d")]))
    }

    @Test func eachSubgroupHasItsOwnFiguresIncludingASessionNobodyAttended() {
        let autumnRows = report().periods[0].subgroups
        #expect(autumnRows.map(\.subgroup) == [slug("old-group"), slug("transitions")])
        #expect(
            autumnRows[1].figures
                == CoachingFigures(
                    sessions: 2, sessionsByKind: [.group: 1, .oneToOne: 1], sessionsUnattended: 1, minutes: 90,
                    sessionsWithoutMinutes: 0, attendances: 2, distinctAttendees: 2, attendees: [slug("a"), slug("b")]))
        #expect(
            autumnRows[0].figures
                == CoachingFigures(
                    sessions: 1, sessionsByKind: [.catchUp: 1], sessionsUnattended: 0, minutes: 45,
                    sessionsWithoutMinutes: 0, attendances: 1, distinctAttendees: 1, attendees: [slug("a")]))
        #expect(
            report().periods[0].withoutSubgroup
                == CoachingFigures(
                    sessions: 1, sessionsByKind: [.dropIn: 1], sessionsUnattended: 0, minutes: 0,
                    sessionsWithoutMinutes: 1, attendances: 1, distinctAttendees: 1, attendees: [slug("e")]))
    }

    @Test func aSubgroupExistingInATermWithNoSessionIsListed() {
        let periods = report().periods
        // Autumn: dropins is not formed yet; spring: old-group is closed throughout, transitions had none.
        #expect(periods[0].subgroupsWithoutSession.isEmpty)
        #expect(periods[1].subgroups.map(\.subgroup) == [slug("dropins"), slug("transitions")])
        #expect(periods[1].subgroups[1].figures == .none)
        #expect(periods[1].subgroupsWithoutSession == [slug("transitions")])
    }

    @Test func aTermRunningPastDIsReportedUpToD() {
        let periods = report(asOf: "2022-03-01").periods
        #expect(periods.map(\.partial) == [false, true])
        #expect(periods[1].period.lastDay == day("2022-03-01"))
        #expect(periods[1].total.sessions == 1)
    }

    @Test func aSessionRecordedAfterKDoesNotCount() {
        // Known at 2022-03-01: the session of 2022-03-20 is not recorded yet.
        #expect(report(knownAt: "2022-03-01").periods[1].total.sessions == 1)
    }
}
