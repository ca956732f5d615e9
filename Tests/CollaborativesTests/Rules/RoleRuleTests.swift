import Foundation
import Testing

@testable import Collaboratives

@Suite struct RoleRuleTests {
    @Test func aRoleMayBeAssignedToAnActiveMember() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham", appointment: .selfAppointed))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aRoleCannotBeAssignedToSomeoneNotActiveInTheCollaborative() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-01", Events.left("ol-1", "oldham"))
        scenario.add("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        #expect(
            scenario.violation()?.description
                == "rule member-active: batch event 0 (RoleAssigned, 2022-01-10): "
                + "role holder ol-1 is not an active member of oldham on 2022-01-10")
    }

    @Test func aRoleCannotBeAssignedInAnUnknownCollaborative() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.assigned("ol-1", .anchor, in: "worcs"))
        #expect(scenario.brokenRule == .collaborativeExists)
    }

    @Test func aRoleCannotBeAssignedToItsCurrentHolderAgain() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        scenario.add("2022-03-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        #expect(
            scenario.violation()?.description
                == "rule role-not-reassigned: batch event 0 (RoleAssigned, 2022-03-10): "
                + "member ol-1 already holds anchor in oldham (since 2022-01-10)")
    }

    @Test func aRoleMayHaveSeveralHoldersAtOnce() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        scenario.add("2022-03-10", Events.assigned("ol-2", .anchor, in: "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aMemberMayHoldSeveralRolesAtOnce() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        scenario.add("2022-03-10", Events.assigned("ol-1", .pcfRepresentative, in: "oldham"))
        scenario.add("2022-03-10", Events.assigned("ol-1", .subgroupLead, in: "oldham", subgroup: "transitions"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aRoleMayBeAssignedAgainAfterItEnded() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        scenario.store("2022-02-10", Events.ended("ol-1", .anchor, in: "oldham"))
        scenario.add("2022-03-10", Events.assigned("ol-1", .anchor, in: "oldham", appointment: .interim))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aRoleIsEndedByItsCurrentHolder() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        scenario.add("2022-02-10", Events.ended("ol-1", .anchor, in: "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aRoleCannotBeEndedBySomeoneWhoDoesNotHoldIt() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        scenario.add("2022-02-10", Events.ended("ol-2", .anchor, in: "oldham"))
        #expect(
            scenario.violation()?.description
                == "rule role-ended-by-holder: batch event 0 (RoleEnded, 2022-02-10): "
                + "member ol-2 does not hold anchor in oldham on 2022-02-10 (they are not its current holder)")
    }

    @Test func aRoleCannotBeEndedTwice() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        scenario.store("2022-02-10", Events.ended("ol-1", .anchor, in: "oldham"))
        scenario.add("2022-03-10", Events.ended("ol-1", .anchor, in: "oldham"))
        #expect(scenario.brokenRule == .roleEndedByHolder)
    }

    @Test func aRoleCannotBeEndedBeforeItWasAssigned() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        scenario.add("2022-01-09", Events.ended("ol-1", .anchor, in: "oldham"))
        #expect(scenario.brokenRule == .roleEndedByHolder)
    }

    @Test func aTenureEndsWhenItsHolderLeavesSoALaterRoleEndedIsRefused() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        scenario.store("2023-07-20", Events.left("ol-1", "oldham"))
        scenario.add("2023-08-01", Events.ended("ol-1", .anchor, in: "oldham"))
        #expect(
            scenario.violation()?.message
                == "member ol-1 does not hold anchor in oldham on 2023-08-01 "
                + "(their tenure ended on 2023-07-20, when they left oldham)")
    }

    @Test func aRoleEndedOnTheDayItsHolderLeftIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        scenario.store("2023-07-20", Events.left("ol-1", "oldham"))
        scenario.add("2023-07-20", Events.ended("ol-1", .anchor, in: "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aRoleEndedAndTheHolderLeavingRecordedTogetherAreAccepted() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        scenario.add("2023-07-20", Events.ended("ol-1", .anchor, in: "oldham"))
        scenario.add("2023-07-20", Events.left("ol-1", "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aLateLeaveBeforeAStoredRoleEndedIsRefusedNamingIt() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        let ended = scenario.store("2023-09-01", Events.ended("ol-1", .anchor, in: "oldham"))
        scenario.add("2023-07-20", Events.left("ol-1", "oldham"))
        let violation = scenario.violation()
        #expect(violation?.rule == .roleEndedByHolder)
        #expect(violation?.subject == .stored(id: ended))
    }

    @Test func aRoleMayBeAssignedAgainAfterTheHolderLeftAndRejoined() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham"))
        scenario.store("2023-07-20", Events.left("ol-1", "oldham"))
        scenario.store("2023-09-01", Events.joined("ol-1", "oldham"))
        scenario.add("2023-09-01", Events.assigned("ol-1", .anchor, in: "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aSubgroupLeadNeedsASubgroup() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.assigned("ol-1", .subgroupLead, in: "oldham"))
        #expect(scenario.brokenRule == .subgroupLeadNeedsSubgroup)
    }

    @Test func aSubgroupLeadOfASubgroupOfTheCollaborativeIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.assigned("ol-1", .subgroupLead, in: "oldham", subgroup: "transitions"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aSubgroupNamedByARoleBelongsToThatCollaborative() {
        var scenario = Scenario.oldham()
        scenario.store("2021-09-01", Events.formed("worcs"))
        scenario.store("2021-10-01", Events.joined("wo-1", "worcs"))
        scenario.add("2022-01-10", Events.assigned("wo-1", .subgroupLead, in: "worcs", subgroup: "transitions"))
        #expect(
            scenario.violation()?.message == "sub-group transitions belongs to oldham, not to worcs")
        #expect(scenario.brokenRule == .subgroupOfCollaborative)
    }

    @Test func aSubgroupLeadCannotStartBeforeTheSubgroupIsFormed() {
        var scenario = Scenario.oldham()
        scenario.add("2021-11-20", Events.assigned("ol-1", .subgroupLead, in: "oldham", subgroup: "transitions"))
        #expect(scenario.brokenRule == .subgroupExists)
    }

    @Test func aSubgroupLeadIsEndedForItsOwnSubgroup() {
        var scenario = Scenario.oldham()
        scenario.store("2021-12-01", Events.subgroupFormed("inclusion", in: "oldham"))
        scenario.store("2022-01-10", Events.assigned("ol-1", .subgroupLead, in: "oldham", subgroup: "transitions"))
        scenario.add("2022-02-10", Events.ended("ol-1", .subgroupLead, in: "oldham", subgroup: "inclusion"))
        #expect(scenario.brokenRule == .roleEndedByHolder)
    }

    @Test func succeedsMustNameAMember() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham", succeeds: "ol-99"))
        #expect(
            scenario.violation()?.message == "succeeded member ol-99 has not joined any collaborative by 2022-01-10")
    }

    @Test func succeedsMayNameAMemberWhoHasLeft() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-01", Events.left("ol-2", "oldham"))
        scenario.add("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham", succeeds: "ol-2"))
        #expect(scenario.violation()?.description == nil)
    }
}
