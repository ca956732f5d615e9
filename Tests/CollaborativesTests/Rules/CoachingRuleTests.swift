import Foundation
import Testing

@testable import Collaboratives

@Suite struct CoachingRuleTests {
    @Test func programmeStaffMayCoach() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.coaching(in: "oldham", advisor: "staff-1", attendees: ["ol-1"]))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aSessionNobodyCameToIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.coaching(in: "oldham", advisor: "staff-1", attendees: []))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aMemberHoldingAnAdvisorRoleMayCoach() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-01", Events.assigned("ol-2", .advisor, in: "oldham"))
        scenario.add("2022-01-10", Events.coaching(in: "oldham", advisor: "ol-2", attendees: ["ol-1"]))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func anAdvisorRoleInAnotherCollaborativeCounts() {
        var scenario = Scenario.oldham()
        scenario.store("2021-09-01", Events.formed("worcs"))
        scenario.store("2021-10-01", Events.joined("wo-1", "worcs"))
        scenario.store("2022-01-01", Events.assigned("wo-1", .advisor, in: "worcs"))
        scenario.add("2022-01-10", Events.coaching(in: "oldham", advisor: "wo-1", attendees: ["ol-1"]))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func anOrdinaryMemberMayNotCoach() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.coaching(in: "oldham", advisor: "ol-2", attendees: ["ol-1"]))
        #expect(
            scenario.violation()?.description
                == "rule coaching-advisor: batch event 0 (CoachingSessionHeld, 2022-01-10): "
                + "advisor ol-2 is neither programme staff nor holds an advisor role on 2022-01-10")
    }

    @Test func anAdvisorWhoseRoleEndedMayNoLongerCoach() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-01", Events.assigned("ol-2", .advisor, in: "oldham"))
        scenario.store("2022-01-05", Events.ended("ol-2", .advisor, in: "oldham"))
        scenario.add("2022-01-10", Events.coaching(in: "oldham", advisor: "ol-2", attendees: ["ol-1"]))
        #expect(scenario.brokenRule == .coachingAdvisor)
    }

    @Test func aMemberWhoBecameProgrammeStaffMayCoachFromThatDay() {
        var accepted = Scenario.oldham()
        accepted.store("2022-01-10", Events.changed("ol-2", sector: .programmeStaff))
        accepted.add("2022-01-10", Events.coaching(in: "oldham", advisor: "ol-2", attendees: ["ol-1"]))
        #expect(accepted.violation()?.description == nil)
        var refused = Scenario.oldham()
        refused.store("2022-01-10", Events.changed("ol-2", sector: .programmeStaff))
        refused.add("2022-01-09", Events.coaching(in: "oldham", advisor: "ol-2", attendees: ["ol-1"]))
        #expect(refused.brokenRule == .coachingAdvisor)
    }

    @Test func aLateRoleEndBeforeAStoredSessionIsRefusedNamingTheSession() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-01", Events.assigned("ol-2", .advisor, in: "oldham"))
        let session = scenario.store("2022-03-10", Events.coaching(in: "oldham", advisor: "ol-2", attendees: []))
        scenario.add("2022-02-01", Events.ended("ol-2", .advisor, in: "oldham"))
        #expect(scenario.violation()?.subject == .stored(id: session))
        #expect(scenario.brokenRule == .coachingAdvisor)
    }

    @Test func coachingAttendeesAreActiveMembers() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-01", Events.left("ol-1", "oldham"))
        scenario.add("2022-01-10", Events.coaching(in: "oldham", advisor: "staff-1", attendees: ["ol-1"]))
        #expect(scenario.brokenRule == .memberActive)
    }

    @Test func coachingAttendeesAreListedOnce() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.coaching(in: "oldham", advisor: "staff-1", attendees: ["ol-1", "ol-1"]))
        #expect(scenario.brokenRule == .noDuplicates)
    }

    @Test func aSubgroupNamedByACoachingSessionBelongsToItsCollaborative() {
        var accepted = Scenario.oldham()
        accepted.add(
            "2022-01-10", Events.coaching(in: "oldham", advisor: "staff-1", attendees: [], subgroup: "transitions"))
        #expect(accepted.violation()?.description == nil)
        var refused = Scenario.oldham()
        refused.store("2021-09-01", Events.formed("worcs"))
        refused.add(
            "2022-01-10", Events.coaching(in: "worcs", advisor: "staff-1", attendees: [], subgroup: "transitions"))
        #expect(refused.brokenRule == .subgroupOfCollaborative)
    }
}
