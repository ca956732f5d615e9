import Foundation
import Testing

@testable import Collaboratives

/// The rules added for inputs that were accepted but should not be (issue 16, item 13): dates in range,
/// survey counts and waves, succession, sub-groups of roles, one-to-one sessions.
@Suite struct InputShapeRuleTests {
    @Test func aSurveyWithMoreResponsesThanInvitationsIsRefused() {
        var scenario = Scenario.oldham()
        scenario.add("2023-07-14", Events.survey(in: "oldham", invited: 9, responded: 12))
        #expect(
            scenario.violation()?.description
                == "rule survey-counts: batch event 0 (SurveyWaveClosed, 2023-07-14): "
                + "responded 12 is more than invited 9 in survey wave 2023")
    }

    @Test func aSurveyWhereEveryoneRespondedIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.add("2023-07-14", Events.survey(in: "oldham", invited: 9, responded: 9))
        #expect(scenario.violation() == nil)
    }

    @Test func theSameWaveClosedTwiceIsRefusedNamingTheFirst() {
        var scenario = Scenario.oldham()
        let first = scenario.store("2023-07-14", Events.survey(in: "oldham", wave: "2023"))
        scenario.add("2023-07-20", Events.survey(in: "oldham", wave: "2023"))
        let violation = scenario.violation()
        #expect(violation?.rule == .surveyWaveOnce)
        #expect(violation?.description.contains(first.uuidString.lowercased()) == true)
    }

    @Test func theSameWaveTwiceInOneBatchIsRefused() {
        var scenario = Scenario.oldham()
        scenario.add("2023-07-14", Events.survey(in: "oldham", wave: "2023"))
        scenario.add("2023-07-14", Events.survey(in: "oldham", wave: "2023"))
        #expect(scenario.brokenRule == .surveyWaveOnce)
    }

    @Test func aWaveDatedBeforeTheStoredClosingOfTheSameWaveIsRefused() {
        var scenario = Scenario.oldham()
        scenario.store("2023-07-20", Events.survey(in: "oldham", wave: "2023"))
        scenario.add("2023-07-14", Events.survey(in: "oldham", wave: "2023"))
        #expect(scenario.brokenRule == .surveyWaveOnce)
    }

    @Test func theSameWaveNameInAnotherCollaborativeAndAnotherWaveAreAccepted() {
        var scenario = Scenario.oldham()
        scenario.store("2021-09-01", Events.formed("worcs"))
        scenario.store("2023-07-14", Events.survey(in: "oldham", wave: "2023"))
        scenario.add("2023-07-14", Events.survey(in: "worcs", wave: "2023"))
        scenario.add("2024-07-14", Events.survey(in: "oldham", wave: "2024"))
        #expect(scenario.violation() == nil)
    }

    @Test func aRetractedWaveMayBeClosedAgain() {
        var scenario = Scenario.oldham()
        let first = scenario.store("2023-07-14", Events.survey(in: "oldham", wave: "2023"))
        scenario.add("2023-07-30", Events.retract(first))
        scenario.add("2023-07-14", Events.survey(in: "oldham", wave: "2023", invited: 40, responded: 31))
        #expect(scenario.violation() == nil)
    }

    @Test func twoStoredClosingsOfOneWaveDoNotBlockOtherAppends() {
        var scenario = Scenario.oldham()
        scenario.store("2023-07-14", Events.survey(in: "oldham", wave: "2023"))
        scenario.store("2023-07-20", Events.survey(in: "oldham", wave: "2023"))
        scenario.add("2023-08-01", Events.survey(in: "oldham", wave: "2023b"))
        #expect(scenario.violation() == nil)
    }

    @Test func aHolderSucceedingThemselfIsRefused() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham", succeeds: "ol-1"))
        #expect(
            scenario.violation()?.description
                == "rule succeeds-other: batch event 0 (RoleAssigned, 2022-01-10): "
                + "member ol-1 cannot succeed themself (succeeds names the new holder)")
    }

    @Test func aHolderSucceedingSomeoneElseIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham", succeeds: "ol-2"))
        #expect(scenario.violation() == nil)
    }

    @Test func aSubgroupOnARoleOtherThanSubgroupLeadIsRefused() {
        var assigned = Scenario.oldham()
        assigned.add("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham", subgroup: "transitions"))
        #expect(
            assigned.violation()?.description
                == "rule subgroup-role: batch event 0 (RoleAssigned, 2022-01-10): "
                + "role anchor does not take a subgroup (transitions); only subgroup-lead does")
        var ended = Scenario.oldham()
        ended.add("2022-01-10", Events.ended("ol-1", .advisor, in: "oldham", subgroup: "transitions"))
        #expect(ended.brokenRule == .subgroupRole)
    }

    @Test func aSubgroupLeadOfItsSubgroupIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.assigned("ol-1", .subgroupLead, in: "oldham", subgroup: "transitions"))
        #expect(scenario.violation() == nil)
    }

    @Test func aOneToOneSessionWithTwoAttendeesIsRefused() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.coaching(in: "oldham", advisor: "staff-1", attendees: ["ol-1", "ol-2"]))
        #expect(
            scenario.violation()?.description
                == "rule one-to-one-attendees: batch event 0 (CoachingSessionHeld, 2022-01-10): "
                + "a one-to-one session has at most one attendee, this one lists 2 (record a group session instead)")
    }

    @Test func aOneToOneSessionWithOneOrNoAttendeeAndAGroupSessionOfTwoAreAccepted() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.coaching(in: "oldham", advisor: "staff-1", attendees: ["ol-1"]))
        scenario.add("2022-01-11", Events.coaching(in: "oldham", advisor: "staff-1", attendees: []))
        scenario.add(
            "2022-01-12", Events.coaching(in: "oldham", advisor: "staff-1", attendees: ["ol-1", "ol-2"], kind: .group))
        #expect(scenario.violation() == nil)
    }

    @Test func anEventDatedBefore1900IsRefused() {
        var scenario = Scenario.oldham()
        scenario.add("1899-12-31", Events.survey(in: "oldham"))
        #expect(
            scenario.violation()?.description
                == "rule date-in-range: batch event 0 (SurveyWaveClosed, 1899-12-31): "
                + "occurredAt 1899-12-31 is outside the accepted dates 1900-01-01 to 2200-12-31")
    }

    @Test func anEventDatedAfter2200IsRefusedEvenWhenTodayIsLater() {
        var scenario = Scenario.oldham()
        scenario.today = day("2300-01-01")
        scenario.add("2201-01-01", Events.survey(in: "oldham"))
        #expect(scenario.brokenRule == .dateInRange)
    }

    @Test func aProgrammeStartOutsideTheAcceptedDatesIsRefused() {
        var scenario = Scenario()
        scenario.add("2021-09-01", Events.formed("oldham", start: "0000-01-01"))
        #expect(
            scenario.violation()?.description
                == "rule date-in-range: batch event 0 (CollaborativeFormed, 2021-09-01): "
                + "programmeStart 0000-01-01 is outside the accepted dates 1900-01-01 to 2200-12-31")
    }

    @Test func theFirstAndLastAcceptedDaysAreAccepted() {
        #expect(day("1900-01-01") == Day.earliestAccepted && day("2200-12-31") == Day.latestAccepted)
        #expect(Day.earliestAccepted.isAccepted && Day.latestAccepted.isAccepted)
        #expect(!Day.earliestAccepted.adding(days: -1).isAccepted && !Day.latestAccepted.adding(days: 1).isAccepted)
    }
}
