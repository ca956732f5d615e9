import Foundation
import Testing

@testable import Collaboratives

@Suite struct WorkshopRuleTests {
    /// Oldham and Worcestershire, with ol-1 … ol-3 in Oldham and wo-1 in Worcestershire.
    private func twoLocalities() -> Scenario {
        var scenario = Scenario.oldham()
        scenario.store("2021-09-01", Events.formed("worcs"))
        scenario.store("2021-10-01", Events.joined("wo-1", "worcs"))
        return scenario
    }

    @Test func aWorkshopAttendedByActiveMembersIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1", "ol-2"]))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aWorkshopMayHaveNoMemberAttendees() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: []))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func anAttendeeWhoIsNotAMemberIsRefused() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1", "ol-99"]))
        #expect(
            scenario.violation()?.description
                == "rule member-active: batch event 0 (WorkshopHeld, 2022-01-10): "
                + "attendee ol-99 is not an active member of oldham on 2022-01-10; did you mean ol-1?")
    }

    @Test func anAttendeeWhoJoinedOnTheDayIsActive() {
        var scenario = Scenario.oldham()
        scenario.add("2021-11-15", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1"]))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aCrossLocalityWorkshopCountsAttendeesActiveInAnyOfItsCollaboratives() {
        var scenario = twoLocalities()
        scenario.add(
            "2022-01-10",
            Events.workshop("x1", for: ["oldham", "worcs"], attendees: ["ol-1", "wo-1"], kind: .crossLocality))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aWorkshopRefusesAnAttendeeActiveOnlyInAnotherCollaborative() {
        var scenario = twoLocalities()
        scenario.add("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["wo-1"]))
        #expect(scenario.brokenRule == .memberActive)
    }

    @Test func aCrossLocalityWorkshopNamesEveryCollaborativeInItsMessage() {
        var scenario = twoLocalities()
        scenario.add("2022-01-10", Events.workshop("x1", for: ["oldham", "worcs"], attendees: ["ol-99"]))
        #expect(
            scenario.violation()?.message
                == "attendee ol-99 is not an active member of any of oldham, worcs on 2022-01-10")
    }

    @Test func everyCollaborativeOfAWorkshopMustExist() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.workshop("x1", for: ["oldham", "sussex"], attendees: []))
        #expect(scenario.violation()?.message == "collaborative sussex does not exist")
    }

    @Test func workshopSlugsAreUnique() {
        var scenario = Scenario.oldham()
        let first = scenario.store("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: []))
        scenario.add("2022-03-10", Events.workshop("w1", for: ["oldham"], attendees: []))
        #expect(
            scenario.violation()?.message == "workshop w1 is already recorded by event \(first.uuidString.lowercased())"
        )
    }

    @Test func workshopSlugsAreUniqueWithinABatch() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: []))
        scenario.add("2022-03-10", Events.workshop("w1", for: ["oldham"], attendees: []))
        #expect(scenario.violation()?.subject == .batch(index: 1, id: scenario.batch[1].id))
    }

    @Test func attendeesAreListedOnce() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1", "ol-1"]))
        #expect(
            scenario.violation()?.description
                == "rule no-duplicates: batch event 0 (WorkshopHeld, 2022-01-10): attendees lists ol-1 more than once")
    }

    @Test func collaborativesAreListedOnce() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.workshop("w1", for: ["oldham", "oldham"], attendees: []))
        #expect(scenario.brokenRule == .noDuplicates)
    }

    @Test func aWorkshopListsAtLeastOneCollaborative() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.workshop("w1", for: [], attendees: []))
        #expect(scenario.brokenRule == .collaborativesNotEmpty)
    }

    @Test func aSurveyWaveNeedsAFormedCollaborative() {
        var accepted = Scenario.oldham()
        accepted.add("2023-07-01", Events.survey(in: "oldham"))
        #expect(accepted.violation()?.description == nil)
        var refused = Scenario.oldham()
        refused.add("2023-07-01", Events.survey(in: "sussex"))
        #expect(refused.brokenRule == .collaborativeExists)
    }
}
