import Foundation
import Testing

@testable import Collaboratives

/// Progress of the hand-made Oldham sub-groups (see ``HandMadeLog/oldham()``), worked out by hand.
@Suite struct ProgressTests {
    private let log = HandMadeLog.oldham()

    private func progress(_ subgroup: String, on date: String, stalledAfter: Int = 120) -> SubGroupProgress? {
        ProgressReport.compute(view: log.view(date), collaborative: slug("oldham"), stalledAfterDays: stalledAfter)
            .subgroups.first { $0.subgroup == slug(subgroup) }
    }

    @Test func statusIsPlannedFromFormationUntilTheFirstStatusChange() {
        let behaviour = progress("behaviour", on: "2022-02-28")
        #expect(behaviour?.status == .planned)
        #expect(behaviour?.statusSince == day("2022-01-15"))
        #expect(progress("behaviour", on: "2022-03-01")?.status == .inProgress)
        #expect(progress("behaviour", on: "2022-03-01")?.statusSince == day("2022-03-01"))
    }

    @Test func statusOnADayIsTheLatestChangeOnOrBeforeIt() {
        #expect(progress("transitions", on: "2022-11-19")?.status == .inProgress)
        #expect(progress("transitions", on: "2022-11-20")?.status == .delivered)
        #expect(progress("transitions", on: "2023-04-30")?.status == .delivered)
        #expect(progress("transitions", on: "2023-05-01")?.status == .embedded)
        #expect(
            progress("transitions", on: "2023-05-01")?.statusChanges == [
                StatusChange(day: day("2022-01-10"), status: .inProgress),
                StatusChange(day: day("2022-11-20"), status: .delivered),
                StatusChange(day: day("2023-05-01"), status: .embedded),
            ])
    }

    @Test func milestonesAreCountedToDate() {
        #expect(
            progress("transitions", on: "2022-11-19")?.milestones == [
                MilestoneRecord(day: day("2021-12-15"), kind: .planAgreed, title: "Plan agreed"),
                MilestoneRecord(day: day("2022-03-01"), kind: .pilotStarted, title: "Pilot in 4 schools"),
            ])
        #expect(progress("transitions", on: "2022-11-20")?.milestones.count == 3)
        #expect(progress("transitions", on: "2021-12-14")?.milestones == [])
    }

    @Test func daysToDeliveryRunFromFormationToTheFirstDeliveredOrEmbedded() {
        let before = progress("transitions", on: "2022-11-19")
        #expect(before?.deliveredOn == nil)
        #expect(before?.daysToDelivery == nil)
        // 2021-11-01 to 2022-11-01 is 365 days, then 19 more.
        #expect(progress("transitions", on: "2022-11-20")?.daysToDelivery == 384)
        let later = progress("transitions", on: "2023-06-30")
        #expect(later?.deliveredOn == day("2022-11-20"))
        #expect(later?.daysToDelivery == 384)
    }

    @Test func partnerSectorsCountOnlyMembersActiveInBothSubGroupAndCollaborative() {
        // ol-2 (primary), ol-3 (social care), ol-4 (health) are all in it and in Oldham.
        let early = progress("transitions", on: "2022-03-15")
        #expect(early?.partnerSectors == [.primarySchool, .socialCare, .health])
        #expect(early?.partners == 3)
        // ol-2 left Oldham on 2022-06-30 without leaving the sub-group.
        #expect(progress("transitions", on: "2022-09-01")?.partnerSectors == [.socialCare, .health])
        // ol-4 left the sub-group on 2022-10-01.
        #expect(progress("transitions", on: "2022-11-19")?.partnerSectors == [.socialCare])
        // ol-3 left Oldham on 2023-03-01; ol-2 re-joined on 2023-01-15 as la-education.
        #expect(progress("transitions", on: "2023-06-30")?.partnerSectors == [.laEducation])
        #expect(progress("transitions", on: "2023-06-30")?.partners == 1)
    }

    @Test func subGroupIsStalledAfterOneHundredAndTwentyDaysWithoutAChange() {
        // Last change: the milestone of 2022-04-01; 2022-07-30 is 30 + 31 + 30 + 29 = 120 days later.
        let dayBefore = progress("behaviour", on: "2022-07-29")
        #expect(dayBefore?.daysSinceLastChange == 119)
        #expect(dayBefore?.isStalled == false)
        let onTheDay = progress("behaviour", on: "2022-07-30")
        #expect(onTheDay?.lastChange == day("2022-04-01"))
        #expect(onTheDay?.daysSinceLastChange == 120)
        #expect(onTheDay?.isStalled == true)
    }

    @Test func redefinitionDoesNotCountAsAChange() {
        let behaviour = progress("behaviour", on: "2022-10-01")
        #expect(
            behaviour?.redefinitions == [
                Redefinition(day: day("2022-09-15"), title: "Behaviour hubs", aim: "a new aim", reason: "merged")
            ])
        #expect(behaviour?.title == "Behaviour hubs")
        #expect(behaviour?.lastChange == day("2022-04-01"))
        #expect(behaviour?.daysSinceLastChange == 183)
        #expect(behaviour?.isStalled == true)
        #expect(progress("behaviour", on: "2022-10-01", stalledAfter: 200)?.isStalled == false)
    }

    @Test func deliveredEmbeddedOrClosedSubGroupsAreNeverStalled() {
        let dropIns = progress("drop-ins", on: "2023-06-30")
        #expect(dropIns?.status == .closed)
        #expect(dropIns?.daysSinceLastChange == 333)
        #expect(dropIns?.isStalled == false)
        // Delivered on 2022-11-20; 2023-04-30 is 161 days later, still not stalled.
        #expect(progress("transitions", on: "2023-04-30")?.isStalled == false)
    }

    @Test func statusChangeAndMilestoneBothResetTheClock() {
        // In progress since 2022-01-10, milestone 2022-03-01: 263 days to 2022-11-19.
        let transitions = progress("transitions", on: "2022-11-19")
        #expect(transitions?.lastChange == day("2022-03-01"))
        #expect(transitions?.daysSinceLastChange == 263)
        #expect(transitions?.isStalled == true)
        // Formation counts as a change: drop-ins formed 2022-06-01, 14 days later planned and not stalled.
        let dropIns = progress("drop-ins", on: "2022-06-15")
        #expect(dropIns?.status == .planned)
        #expect(dropIns?.lastChange == day("2022-06-01"))
        #expect(dropIns?.daysSinceLastChange == 14)
        #expect(dropIns?.isStalled == false)
    }

    @Test func subGroupsFormedAfterTheDateAreLeftOut() {
        let result = ProgressReport.compute(view: log.view("2022-01-14"), collaborative: slug("oldham"))
        #expect(result.subgroups.map(\.subgroup) == [slug("transitions")])
        #expect(result.stalledAfterDays == 120)
    }
}
