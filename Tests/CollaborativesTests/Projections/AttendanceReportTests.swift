import Foundation
import Testing

@testable import Collaboratives

/// Every expected figure is worked out by hand from the table in `ReportFixtures.handMadeHistory()`.
@Suite struct AttendanceReportTests {
    private let north = slug("north")

    private func report(
        asOf: String = "2023-08-31", knownAt: String = "2099-12-31", collaborative: String = "north",
        periods: [Period] = [ReportFixtures.year1, ReportFixtures.year2], bySector: Bool = false, lapsing: Int = 2
    ) -> AttendanceResult {
        AttendanceReport.compute(
            view: ReportFixtures.handMadeHistory().view(asOf: asOf, knownAt: knownAt),
            collaborative: slug(collaborative),
            periods: periods, bySector: bySector, lapsingThreshold: lapsing)
    }

    private func workshop(_ name: String, in result: AttendanceResult) -> WorkshopAttendance? {
        result.workshops.first { $0.workshop == slug(name) }
    }

    @Test func theHandMadeHistoryPassesEveryRule() throws {
        try RuleCheck.validate(stored: ReportFixtures.coachingHistory().stored, batch: [], today: day("2025-06-30"))
    }

    @Test func aWorkshopsRateIsItsAttendingActiveMembersOverTheMembersActiveThatDay() {
        let result = report()
        // w1: a b c e of a b c e f.
        #expect(workshop("w1", in: result)?.figures == WorkshopFigures(attendees: 4, members: 5))
        #expect(ReportFixtures.isClose(workshop("w1", in: result)?.figures.rate, 0.8))
        #expect(result.workshops.map(\.workshop) == ["w1", "w2", "x1", "w3", "w4", "w5"].map(slug))
    }

    @Test func aMemberWhoJoinedMidYearCountsFromTheirJoiningDay() {
        // w1 (2021-10-01) is before d joined; w2 (2022-03-01) after: a b d e f are active.
        let result = report()
        #expect(workshop("w1", in: result)?.figures.members == 5)
        #expect(workshop("w2", in: result)?.figures == WorkshopFigures(attendees: 2, members: 5))
    }

    @Test func aMemberWhoLeavesOnTheDayOfAWorkshopIsNotActiveThatDay() {
        // c leaves on 2022-03-01, the day of w2; f leaves on 2022-10-01, the day of w3 (a b d e active).
        let result = report()
        #expect(workshop("w2", in: result)?.figures.members == 5)
        #expect(workshop("w3", in: result)?.figures == WorkshopFigures(attendees: 2, members: 4))
        #expect(ReportFixtures.isClose(workshop("w3", in: result)?.figures.rate, 0.5))
    }

    @Test func aCrossLocalityWorkshopCountsOncePerCollaborative() {
        // x1: attendees a f s1. For north: a f of a b d e f; for south: s1 of s1.
        let northX1 = workshop("x1", in: report())
        #expect(northX1?.figures == WorkshopFigures(attendees: 2, members: 5))
        #expect(northX1?.otherAttendees == 1)
        #expect(northX1?.crossLocality == true)
        let south = report(collaborative: "south")
        #expect(south.workshops.map(\.workshop) == [slug("x1")])
        #expect(workshop("x1", in: south)?.figures == WorkshopFigures(attendees: 1, members: 1))
        #expect(
            south.periods.map(\.figures) == [
                AttendanceFigures(workshops: 1, workshopsWithRate: 1, attendances: 1, meanRate: 1.0),
                AttendanceFigures(workshops: 0, workshopsWithRate: 0, attendances: 0, meanRate: nil),
            ])
    }

    @Test func anEmptyDenominatorGivesNoRateNeverZero() {
        let east = report(collaborative: "east")
        #expect(workshop("e1", in: east)?.figures == WorkshopFigures(attendees: 0, members: 0))
        #expect(workshop("e1", in: east)?.figures.rate == nil)
        #expect(
            east.periods.first?.figures
                == AttendanceFigures(workshops: 1, workshopsWithRate: 0, attendances: 0, meanRate: nil))
        #expect(east.changeInPercentagePoints == nil)
    }

    @Test func aPeriodsMeanIsUnweightedOverItsWorkshopsAndTheChangeIsInPercentagePoints() {
        let result = report()
        // Year 1: w1 4/5, w2 2/5, x1 2/5: attendances 8, mean (0.8 + 0.4 + 0.4) / 3.
        // Year 2: w3 2/4, w4 4/5 (b e f g of a b e f g), w5 2/5 (b f of a b e f h): attendances 8, mean 1.7 / 3.
        #expect(result.periods.map(\.figures.workshops) == [3, 3])
        #expect(result.periods.map(\.figures.attendances) == [8, 8])
        #expect(ReportFixtures.isClose(result.periods[0].figures.meanRate, 1.6 / 3))
        #expect(ReportFixtures.isClose(result.periods[1].figures.meanRate, 1.7 / 3))
        #expect(workshop("w4", in: result)?.figures == WorkshopFigures(attendees: 4, members: 5))
        #expect(workshop("w5", in: result)?.figures == WorkshopFigures(attendees: 2, members: 5))
        // (1.7 − 1.6) / 3 × 100 percentage points.
        #expect(ReportFixtures.isClose(result.changeInPercentagePoints, 10.0 / 3))
    }

    @Test func aSinglePeriodHasNoChange() {
        #expect(report(periods: [ReportFixtures.year1]).changeInPercentagePoints == nil)
    }

    @Test func bySectorUsesEachMembersSectorOnTheWorkshopsDay() {
        let result = report(bySector: true)
        // e is secondary-school at w1, la-education from 2022-04-01, so at x1.
        #expect(
            workshop("w1", in: result)?.sectors == [
                SectorWorkshopFigures(sector: .primarySchool, figures: WorkshopFigures(attendees: 1, members: 1)),
                SectorWorkshopFigures(sector: .secondarySchool, figures: WorkshopFigures(attendees: 2, members: 2)),
                SectorWorkshopFigures(sector: .socialCare, figures: WorkshopFigures(attendees: 1, members: 1)),
                SectorWorkshopFigures(sector: .parentCarerForum, figures: WorkshopFigures(attendees: 0, members: 1)),
            ])
        #expect(
            workshop("x1", in: result)?.sectors.map(\.sector) == [
                .primarySchool, .secondarySchool, .laEducation, .health, .parentCarerForum,
            ])
        let year1Sectors = result.periods[0].sectors
        #expect(
            year1Sectors.map(\.sector) == [
                .primarySchool, .secondarySchool, .laEducation, .socialCare, .health, .parentCarerForum,
            ])
        let expected: [Sector: (rated: Int, attendances: Int, mean: Double)] = [
            .primarySchool: (3, 3, 1), .secondarySchool: (3, 2, 1.0 / 3), .laEducation: (1, 0, 0),
            .socialCare: (1, 1, 1), .health: (2, 1, 0.5), .parentCarerForum: (3, 1, 1.0 / 3),
        ]
        for sector in year1Sectors {
            let want = expected[sector.sector]
            #expect(sector.figures.workshops == 3)
            #expect(sector.figures.workshopsWithRate == want?.rated)
            #expect(sector.figures.attendances == want?.attendances)
            #expect(ReportFixtures.isClose(sector.figures.meanRate, want?.mean ?? -1), "\(sector.sector)")
        }
    }

    @Test func bySectorChangesCompareTheFirstAndLastPeriodsOfEachSector() {
        let changes = report(bySector: true).sectorChanges
        #expect(
            changes.map(\.sector) == [
                .primarySchool, .secondarySchool, .specialSchool, .laEducation, .socialCare, .health, .camhs,
                .parentCarerForum,
            ])
        let expected: [Sector: Double?] = [
            .primarySchool: -100, .secondarySchool: 200.0 / 3, .specialSchool: nil, .laEducation: 200.0 / 3,
            .socialCare: nil, .health: -50, .camhs: nil, .parentCarerForum: 200.0 / 3,
        ]
        for change in changes {
            if let want = expected[change.sector] ?? nil {
                #expect(ReportFixtures.isClose(change.changeInPercentagePoints, want), "\(change.sector)")
            } else {
                #expect(change.changeInPercentagePoints == nil, "\(change.sector)")
            }
        }
    }

    @Test func withoutBySectorNoSectorFiguresAreComputed() {
        let result = report()
        #expect(result.periods.allSatisfy { $0.sectors.isEmpty })
        #expect(result.workshops.allSatisfy { $0.sectors.isEmpty })
        #expect(result.sectorChanges.isEmpty)
    }

    @Test func lapsingMembersMissedEachOfTheLastNWorkshopsHeldWhileTheyWereActive() {
        // Active on D: a b e f h. a missed w3 w4 w5 of six; b came to w5; e to w4; f to w5
        // (w3 fell on her leave day); h has seen only w5, fewer than N = 2.
        let lapsing = report().lapsingMembers
        #expect(
            lapsing == [
                LapsingMember(
                    member: slug("a"), sector: .primarySchool, workshopsWhileActive: 6, consecutiveAbsences: 3,
                    lastAttended: day("2022-05-10"),
                    missed: [
                        MissedWorkshop(workshop: slug("w3"), day: day("2022-10-01")),
                        MissedWorkshop(workshop: slug("w4"), day: day("2023-03-15")),
                        MissedWorkshop(workshop: slug("w5"), day: day("2023-06-01")),
                    ])
            ])
        #expect(report(lapsing: 4).lapsingMembers.isEmpty)
        #expect(report(lapsing: 1).lapsingMembers.map(\.member) == [slug("a"), slug("e"), slug("h")])
        let h = report(lapsing: 1).lapsingMembers.last
        #expect(h?.workshopsWhileActive == 1)
        #expect(h?.lastAttended == nil)
    }

    @Test func aPeriodRunningPastDIsReportedUpToD() {
        // D = 2023-03-31: Year 2 is cut to [2022-09-01, 2023-04-01); w5 is not yet held.
        let result = report(asOf: "2023-03-31")
        #expect(result.periods.map(\.partial) == [false, true])
        #expect(result.periods[1].period == Period(label: "Year 2", start: day("2022-09-01"), end: day("2023-04-01")))
        #expect(result.periods[1].figures.workshops == 2)
    }

    @Test func aLeaveRecordedAfterKDoesNotCount() {
        // Known at 2023-06-15, d's leave (recorded 2023-07-01) is not known: d is active at w4 and w5.
        let result = report(knownAt: "2023-06-15")
        #expect(workshop("w4", in: result)?.figures == WorkshopFigures(attendees: 4, members: 6))
        #expect(workshop("w5", in: result)?.figures == WorkshopFigures(attendees: 2, members: 6))
        // Year 2: w3 2/4, w4 4/6, w5 2/6: mean (0.5 + 1) / 3 = 0.5.
        #expect(ReportFixtures.isClose(result.periods[1].figures.meanRate, 0.5))
        // Known at 2022-12-31, nothing dated in 2023 is known yet.
        #expect(report(knownAt: "2022-12-31").periods[1].figures.workshops == 1)
    }
}

/// Issue 17 item 4: the people behind each workshop's rate.
extension AttendanceReportTests {
    @Test func eachWorkshopListsTheAttendeesCountedAndTheActiveMembersAbsent() {
        let workshops = AttendanceReport.compute(
            view: ReportFixtures.handMadeHistory().view(asOf: "2023-08-31"), collaborative: slug("north"),
            periods: [ReportFixtures.year1, ReportFixtures.year2], bySector: false
        ).workshops
        let byName = Dictionary(uniqueKeysWithValues: workshops.map { ($0.workshop.rawValue, $0) })
        // w2, 2022-03-01: c left that day, so a b d e f are active; a and d attended.
        #expect(byName["w2"]?.countedAttendees == [slug("a"), slug("d")])
        #expect(byName["w2"]?.absentMembers == [slug("b"), slug("e"), slug("f")])
        // x1, cross-locality: s1 (of south) is not counted for north, nor listed as absent.
        #expect(byName["x1"]?.countedAttendees == [slug("a"), slug("f")])
        #expect(byName["x1"]?.absentMembers == [slug("b"), slug("d"), slug("e")])
        for workshop in workshops {
            #expect(workshop.countedAttendees.count == workshop.figures.attendees)
            #expect(workshop.countedAttendees.count + workshop.absentMembers.count == workshop.figures.members)
        }
    }
}
