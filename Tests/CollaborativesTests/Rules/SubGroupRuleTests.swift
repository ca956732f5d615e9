import Foundation
import Testing

@testable import Collaboratives

@Suite struct SubGroupRuleTests {
    @Test func aSubgroupMayBeFormedInAFormedCollaborative() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.subgroupFormed("inclusion", in: "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aSubgroupCannotBeFormedBeforeItsCollaborative() {
        var scenario = Scenario.oldham()
        scenario.add("2021-08-10", Events.subgroupFormed("inclusion", in: "oldham"))
        #expect(scenario.brokenRule == .collaborativeExists)
    }

    @Test func subgroupSlugsAreUniqueAcrossCollaboratives() {
        var scenario = Scenario.oldham()
        scenario.store("2021-09-01", Events.formed("worcs"))
        scenario.add("2022-01-10", Events.subgroupFormed("transitions", in: "worcs"))
        #expect(scenario.brokenRule == .uniqueSlug)
    }

    @Test func anActiveMemberMayJoinASubgroup() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.subgroupJoined("ol-1", "transitions"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aSubgroupMemberMustBeActiveInItsCollaborative() {
        var scenario = Scenario.oldham()
        scenario.store("2021-09-01", Events.formed("worcs"))
        scenario.store("2021-10-01", Events.joined("wo-1", "worcs"))
        scenario.add("2022-01-10", Events.subgroupJoined("wo-1", "transitions"))
        #expect(
            scenario.violation()?.description
                == "rule member-active: batch event 0 (SubGroupMemberJoined, 2022-01-10): "
                + "member wo-1 is not an active member of oldham on 2022-01-10")
    }

    @Test func noOneJoinsASubgroupBeforeItIsFormed() {
        var scenario = Scenario.oldham()
        scenario.add("2021-11-20", Events.subgroupJoined("ol-1", "transitions"))
        #expect(scenario.brokenRule == .subgroupExists)
    }

    @Test func noOneJoinsAnUnknownSubgroup() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.subgroupJoined("ol-1", "nowhere"))
        #expect(scenario.violation()?.message == "sub-group nowhere does not exist")
    }

    @Test func joiningASubgroupTwiceIsRefused() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.subgroupJoined("ol-1", "transitions"))
        scenario.add("2022-02-10", Events.subgroupJoined("ol-1", "transitions"))
        #expect(
            scenario.violation()?.message == "member ol-1 is already in sub-group transitions (since 2022-01-10)")
        #expect(scenario.brokenRule == .subgroupJoinWhenNotMember)
    }

    @Test func leavingASubgroupOneIsInIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.subgroupJoined("ol-1", "transitions"))
        scenario.add("2022-02-10", Events.subgroupLeft("ol-1", "transitions"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func leavingASubgroupOneIsNotInIsRefused() {
        var scenario = Scenario.oldham()
        scenario.add("2022-02-10", Events.subgroupLeft("ol-1", "transitions"))
        #expect(scenario.brokenRule == .subgroupLeaveWhenMember)
    }

    @Test func rejoiningASubgroupAfterLeavingItIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.subgroupJoined("ol-1", "transitions"))
        scenario.store("2022-02-10", Events.subgroupLeft("ol-1", "transitions"))
        scenario.add("2022-03-10", Events.subgroupJoined("ol-1", "transitions"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aLateSubgroupLeaveBeforeAStoredLeaveIsRefusedNamingIt() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.subgroupJoined("ol-1", "transitions"))
        let leave = scenario.store("2022-05-10", Events.subgroupLeft("ol-1", "transitions"))
        scenario.add("2022-03-10", Events.subgroupLeft("ol-1", "transitions"))
        #expect(scenario.violation()?.subject == .stored(id: leave))
    }

    @Test func statusMilestonesAndRedefinitionsNeedAFormedSubgroup() {
        let events: [DomainEvent] = [
            Events.status("transitions", .inProgress),
            .milestoneReached(MilestoneReached(subgroup: slug("transitions"), kind: .planAgreed, title: "Plan")),
            .subGroupRedefined(SubGroupRedefined(subgroup: slug("transitions"), aim: "new aim", reason: "scope")),
        ]
        for event in events {
            var accepted = Scenario.oldham()
            accepted.add("2022-01-10", event)
            #expect(accepted.violation()?.description == nil)
            var early = Scenario.oldham()
            early.add("2021-11-30", event)
            #expect(early.brokenRule == .subgroupExists)
        }
    }
}
