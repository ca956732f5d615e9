import Foundation
import Testing

@testable import Collaboratives

@Suite struct MembershipRuleTests {
    @Test func joiningAFormedCollaborativeIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.joined("ol-4", "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func joiningBeforeTheCollaborativeIsFormedIsRefused() {
        var scenario = Scenario.oldham()
        scenario.add("2021-08-31", Events.joined("ol-4", "oldham"))
        #expect(
            scenario.violation()?.description
                == "rule collaborative-exists: batch event 0 (MemberJoined, 2021-08-31): "
                + "collaborative oldham does not exist yet on 2021-08-31 (formed 2021-09-01)")
    }

    @Test func joiningAnUnknownCollaborativeIsRefused() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.joined("ol-4", "oldam"))
        #expect(scenario.brokenRule == .collaborativeExists)
    }

    @Test func joiningWhileActiveIsRefused() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.joined("ol-1", "oldham"))
        #expect(
            scenario.violation()?.description
                == "rule join-when-not-active: batch event 0 (MemberJoined, 2022-01-10): "
                + "member ol-1 is already active in oldham (since 2021-11-15)")
    }

    @Test func joiningASecondCollaborativeWhileActiveInTheFirstIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.store("2021-09-01", Events.formed("worcs"))
        scenario.add("2022-01-10", Events.joined("ol-1", "worcs"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func rejoiningAfterLeavingIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.store("2022-03-01", Events.left("ol-1", "oldham"))
        scenario.add("2022-09-01", Events.joined("ol-1", "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func rejoiningOnTheDayOfLeavingIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.store("2022-03-01", Events.left("ol-1", "oldham"))
        scenario.add("2022-03-01", Events.joined("ol-1", "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func leavingWhileActiveIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.add("2022-03-01", Events.left("ol-1", "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func leavingTwiceIsRefused() {
        var scenario = Scenario.oldham()
        scenario.store("2022-03-01", Events.left("ol-1", "oldham"))
        scenario.add("2022-04-01", Events.left("ol-1", "oldham"))
        #expect(
            scenario.violation()?.description
                == "rule leave-when-active: batch event 0 (MemberLeft, 2022-04-01): "
                + "member ol-1 is not active in oldham on 2022-04-01 (they left on 2022-03-01)")
    }

    @Test func leavingBeforeJoiningIsRefused() {
        var scenario = Scenario.oldham()
        scenario.add("2021-11-14", Events.left("ol-1", "oldham"))
        let violation = scenario.violation()
        #expect(violation?.rule == .leaveWhenActive)
        #expect(violation?.subject == .batch(index: 0, id: scenario.batch[0].id))
    }

    @Test func leavingACollaborativeNeverJoinedIsRefused() {
        var scenario = Scenario.oldham()
        scenario.add("2022-04-01", Events.left("ol-9", "oldham"))
        #expect(scenario.brokenRule == .leaveWhenActive)
    }

    @Test func joiningAndLeavingOnTheSameDayIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.joined("ol-4", "oldham"))
        scenario.add("2022-01-10", Events.left("ol-4", "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aMemberWhoJoinedAndLeftOnTheSameDayWasNotActiveThatDay() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.joined("ol-4", "oldham"))
        scenario.add("2022-01-10", Events.left("ol-4", "oldham"))
        scenario.add("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["ol-4"]))
        #expect(scenario.brokenRule == .memberActive)
    }

    @Test func detailsOfAMemberMayChange() {
        var scenario = Scenario.oldham()
        scenario.add("2022-09-01", Events.changed("ol-1", name: "Ada", sector: .laEducation))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func detailsOfAnUnknownMemberCannotChange() {
        var scenario = Scenario.oldham()
        scenario.add("2022-09-01", Events.changed("ol-9", sector: .laEducation))
        #expect(
            scenario.violation()?.description
                == "rule member-exists: batch event 0 (MemberDetailsChanged, 2022-09-01): "
                + "member ol-9 has not joined any collaborative by 2022-09-01; did you mean ol-1?")
    }

    @Test func detailsCannotChangeBeforeTheMemberFirstJoined() {
        var scenario = Scenario.oldham()
        scenario.add("2021-11-14", Events.changed("ol-1", sector: .laEducation))
        #expect(scenario.brokenRule == .memberExists)
    }

    @Test func personalDataOfAKnownMemberMayBeErased() {
        var scenario = Scenario.oldham()
        scenario.add("2024-01-01", Events.erased("ol-1"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func personalDataOfAnUnknownMemberCannotBeErased() {
        var scenario = Scenario.oldham()
        scenario.add("2024-01-01", Events.erased("ol-9"))
        #expect(scenario.brokenRule == .memberExists)
    }

    @Test func collaborativeSlugsAreUnique() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-01", Events.formed("oldham"))
        #expect(scenario.brokenRule == .uniqueSlug)
        #expect(
            scenario.violation()?.message.hasPrefix("collaborative oldham already exists (formed on 2021-09-01") == true
        )
    }

    @Test func anEventDatedTodayInLondonIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.add("2025-06-30T22:59:00Z", Events.joined("ol-4", "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func anEventDatedAfterTodayInLondonIsRefused() {
        var scenario = Scenario.oldham()
        // 23:30 UTC on 30 June is 00:30 on 1 July in British Summer Time.
        scenario.add("2025-06-30T23:30:00Z", Events.joined("ol-4", "oldham"))
        #expect(
            scenario.violation()?.description
                == "rule not-in-future: batch event 0 (MemberJoined, 2025-06-30T23:30:00Z): "
                + "occurredAt 2025-06-30T23:30:00Z (2025-07-01 in London) is after today (2025-06-30, Europe/London)")
    }

    @Test func anEmptyBatchOnAValidLogIsAccepted() {
        #expect(Scenario.oldham().violation()?.description == nil)
    }
}
