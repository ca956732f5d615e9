import Foundation
import Testing

@testable import Collaboratives

/// Every expected figure is worked out by hand from the table in `ReportFixtures.handMadeHistory()`.
@Suite struct AttritionReportTests {
    private func report(
        asOf: String = "2023-08-31", knownAt: String = "2099-12-31",
        periods: [Period] = [ReportFixtures.year1, ReportFixtures.year2],
        bySector: Bool = false
    ) -> AttritionResult {
        AttritionReport.compute(
            view: ReportFixtures.handMadeHistory().view(asOf: asOf, knownAt: knownAt), collaborative: slug("north"),
            periods: periods, bySector: bySector)
    }

    private func figures(
        _ atStart: Int, _ joined: Int, _ left: Int, _ atEnd: Int, retained: Int, _ reasons: [LeaveReason: Int] = [:]
    ) -> AttritionFigures {
        AttritionFigures(
            atStart: atStart, joined: joined, left: left, atEnd: atEnd, retained: retained, leavingReasons: reasons)
    }

    @Test func startJoinedLeftAndEndAddUpInEachPeriod() {
        let result = report()
        // Year 1: nobody on 2021-08-31; a b c e f and d join; c leaves; a b d e f on 2022-08-31.
        // Year 2: a b d e f on 2022-08-31; g, f (again) and h join; f, d and g leave; a b e f h on 2023-08-31.
        #expect(
            result.periods.map(\.figures) == [
                figures(0, 6, 1, 5, retained: 0, [.capacity: 1]),
                figures(5, 3, 3, 5, retained: 4, [.relevance: 1, .leftOrganisation: 1, .roleChange: 1]),
            ])
        for period in result.periods {
            let counts = period.figures
            #expect(counts.atEnd == counts.atStart + counts.joined - counts.left)
        }
    }

    @Test func aLeaveAndRejoinInsideOnePeriodCountsOnceInEachAndTheMemberIsRetained() {
        // Only f: left 2022-10-01, re-joined 2023-02-01, both in Year 2.
        let f = report(bySector: true).periods[1].sectors.first { $0.sector == .parentCarerForum }
        #expect(f?.figures == figures(1, 1, 1, 1, retained: 1, [.relevance: 1]))
    }

    @Test func attritionIsLeftOverStartPlusJoinedAndRetentionIsRetainedOverStart() {
        let result = report()
        #expect(ReportFixtures.isClose(result.periods[0].figures.attritionRate, 1.0 / 6))
        #expect(result.periods[0].figures.retentionRate == nil)
        #expect(ReportFixtures.isClose(result.periods[1].figures.attritionRate, 3.0 / 8))
        #expect(ReportFixtures.isClose(result.periods[1].figures.retentionRate, 4.0 / 5))
        #expect(figures(0, 0, 0, 0, retained: 0).attritionRate == nil)
    }

    @Test func bySectorEachMemberCountsUnderTheirSectorOnTheirLastActiveDayOfThePeriod() {
        let result = report(bySector: true)
        // Year 1: e is la-education on 2022-08-31; c counts as social-care, her sector on her last active
        // day (2022-02-28), though she is voluntary-sector by the end of the year.
        #expect(
            result.periods[0].sectors == [
                SectorAttritionFigures(sector: .primarySchool, figures: figures(0, 1, 0, 1, retained: 0)),
                SectorAttritionFigures(sector: .secondarySchool, figures: figures(0, 1, 0, 1, retained: 0)),
                SectorAttritionFigures(sector: .laEducation, figures: figures(0, 1, 0, 1, retained: 0)),
                SectorAttritionFigures(sector: .socialCare, figures: figures(0, 1, 1, 0, retained: 0, [.capacity: 1])),
                SectorAttritionFigures(sector: .health, figures: figures(0, 1, 0, 1, retained: 0)),
                SectorAttritionFigures(sector: .parentCarerForum, figures: figures(0, 1, 0, 1, retained: 0)),
            ])
        #expect(
            result.periods[1].sectors == [
                SectorAttritionFigures(sector: .primarySchool, figures: figures(1, 0, 0, 1, retained: 1)),
                SectorAttritionFigures(sector: .secondarySchool, figures: figures(1, 0, 0, 1, retained: 1)),
                SectorAttritionFigures(sector: .specialSchool, figures: figures(0, 1, 0, 1, retained: 0)),
                SectorAttritionFigures(sector: .laEducation, figures: figures(1, 0, 0, 1, retained: 1)),
                SectorAttritionFigures(
                    sector: .health, figures: figures(1, 0, 1, 0, retained: 0, [.leftOrganisation: 1])),
                SectorAttritionFigures(sector: .camhs, figures: figures(0, 1, 1, 0, retained: 0, [.roleChange: 1])),
                SectorAttritionFigures(
                    sector: .parentCarerForum, figures: figures(1, 1, 1, 1, retained: 1, [.relevance: 1])),
            ])
        for period in result.periods {
            for sector in period.sectors {
                let counts = sector.figures
                #expect(counts.atEnd == counts.atStart + counts.joined - counts.left)
            }
        }
    }

    @Test func sectorCoverageListsTheSectorsOnEachPeriodsLastDayAndThoseLost() {
        let result = report()
        #expect(
            result.periods[0].coverage.sectorsAtEnd == [
                SectorPresence(sector: .primarySchool, members: 1),
                SectorPresence(sector: .secondarySchool, members: 1),
                SectorPresence(sector: .laEducation, members: 1), SectorPresence(sector: .health, members: 1),
                SectorPresence(sector: .parentCarerForum, members: 1),
            ])
        #expect(result.periods[0].coverage.lost.isEmpty)
        #expect(
            result.periods[1].coverage.sectorsAtEnd.map(\.sector) == [
                .primarySchool, .secondarySchool, .specialSchool, .laEducation, .parentCarerForum,
            ])
        #expect(result.periods[1].coverage.lost == [.health])
        // Over Year 1 and 2 nobody was active on the day before the range, so nothing is lost.
        #expect(result.coverage?.before == day("2021-08-31"))
        #expect(result.coverage?.last == day("2023-08-31"))
        #expect(result.coverage?.lost == [])
    }

    @Test func sectorsPresentTheDayBeforeTheRangeAndAbsentOnItsLastDayAreLost() {
        let coverage = report(periods: [ReportFixtures.year2]).coverage
        #expect(coverage?.before == day("2022-08-31"))
        #expect(
            coverage?.sectorsBefore.map(\.sector) == [
                .primarySchool, .secondarySchool, .laEducation, .health, .parentCarerForum,
            ])
        #expect(coverage?.lost == [.health])
    }

    @Test func theConstantSampleIsTheMembersActiveOnSomeDayOfEveryPeriod() {
        // c is gone before Year 2; g and h arrive after Year 1; d (until 2023-03-14) is in both.
        #expect(
            report().constantSample == [
                ConstantSampleMember(member: slug("a"), sector: .primarySchool),
                ConstantSampleMember(member: slug("b"), sector: .secondarySchool),
                ConstantSampleMember(member: slug("d"), sector: .health),
                ConstantSampleMember(member: slug("e"), sector: .laEducation),
                ConstantSampleMember(member: slug("f"), sector: .parentCarerForum),
            ])
        #expect(report(periods: []).constantSample.isEmpty)
    }

    @Test func aPeriodRunningPastDEndsOnD() {
        // D = 2023-03-31: g's leave and h's join are after D; a b e f g on 2023-03-31.
        let period = report(asOf: "2023-03-31").periods[1]
        #expect(period.partial)
        #expect(period.period.lastDay == day("2023-03-31"))
        #expect(period.figures == figures(5, 2, 2, 5, retained: 4, [.relevance: 1, .leftOrganisation: 1]))
    }

    @Test func aLeaveRecordedAfterKDoesNotCount() {
        // Known at 2023-06-15, d's leave (recorded 2023-07-01) is unknown: d is still there on 2023-08-31.
        let period = report(knownAt: "2023-06-15").periods[1]
        #expect(period.figures == figures(5, 3, 2, 6, retained: 5, [.relevance: 1, .roleChange: 1]))
        #expect(period.coverage.lost.isEmpty)
    }
}

/// Issue 17 item 4: the people behind the attrition figures, worked out from the same table.
extension AttritionReportTests {
    private func move(_ member: String, _ date: String, _ sector: Sector, _ reason: LeaveReason? = nil)
        -> MembershipMove
    {
        MembershipMove(member: slug(member), day: day(date), sector: sector, reason: reason)
    }

    @Test func eachPeriodListsWhoJoinedAndWhoLeftWithDaySectorAndReason() {
        let periods = report().periods
        #expect(
            periods[0].joiners == [
                move("a", "2021-09-01", .primarySchool), move("b", "2021-09-01", .secondarySchool),
                move("c", "2021-09-01", .socialCare), move("e", "2021-09-01", .secondarySchool),
                move("f", "2021-09-01", .parentCarerForum), move("d", "2022-01-10", .health),
            ])
        #expect(periods[0].leavers == [move("c", "2022-03-01", .socialCare, .capacity)])
        #expect(
            periods[1].joiners == [
                move("g", "2022-11-01", .camhs), move("f", "2023-02-01", .parentCarerForum),
                move("h", "2023-05-20", .specialSchool),
            ])
        #expect(
            periods[1].leavers == [
                move("f", "2022-10-01", .parentCarerForum, .relevance),
                move("d", "2023-03-15", .health, .leftOrganisation),
                move("g", "2023-05-01", .camhs, .roleChange),
            ])
        for period in periods {
            #expect(period.joiners.count == period.figures.joined && period.leavers.count == period.figures.left)
        }
    }

    @Test func aLeaveRecordedAfterKIsNotListed() {
        // d's leave (2023-03-15) was recorded on 2023-07-01.
        #expect(report(knownAt: "2023-06-30").periods[1].leavers.map(\.member) == [slug("f"), slug("g")])
    }
}
