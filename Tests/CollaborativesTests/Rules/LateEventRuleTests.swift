import Foundation
import Testing

@testable import Collaboratives

/// Events recorded late are judged on the timeline ordered by `occurredAt`.
@Suite struct LateEventRuleTests {
    @Test func memberLeavingBeforeAStoredWorkshopTheyAttendedIsRefused() {
        var scenario = Scenario.oldham()
        let workshop = scenario.store("2023-10-12", Events.workshop("oct-2023", for: ["oldham"], attendees: ["ol-1"]))
        scenario.add("2023-09-30", Events.left("ol-1", "oldham"))
        let violation = scenario.violation()
        #expect(violation?.subject == .stored(id: workshop))
        #expect(
            violation?.description
                == "rule member-active: refused because stored event \(workshop.uuidString.lowercased()) "
                + "(WorkshopHeld, 2023-10-12) would become invalid: "
                + "attendee ol-1 is not an active member of oldham on 2023-10-12")
    }

    @Test func memberLeavingOnTheDayOfAStoredWorkshopTheyAttendedIsRefused() {
        var scenario = Scenario.oldham()
        let workshop = scenario.store("2023-10-12", Events.workshop("oct-2023", for: ["oldham"], attendees: ["ol-1"]))
        scenario.add("2023-10-12", Events.left("ol-1", "oldham"))
        #expect(scenario.violation()?.subject == .stored(id: workshop))
    }

    @Test func memberLeavingAfterAStoredWorkshopTheyAttendedIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.store("2023-10-12", Events.workshop("oct-2023", for: ["oldham"], attendees: ["ol-1"]))
        scenario.add("2023-10-13", Events.left("ol-1", "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aLateWorkshopBetweenStoredEventsIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.store("2024-05-01", Events.left("ol-1", "oldham"))
        scenario.add("2023-10-12", Events.workshop("oct-2023", for: ["oldham"], attendees: ["ol-1"]))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aLateJoinBeforeAStoredJoinIsRefusedNamingTheStoredJoin() {
        var scenario = Scenario.oldham()
        let join = scenario.store("2022-05-01", Events.joined("ol-4", "oldham"))
        scenario.add("2022-01-01", Events.joined("ol-4", "oldham"))
        let violation = scenario.violation()
        #expect(violation?.rule == .joinWhenNotActive)
        #expect(violation?.subject == .stored(id: join))
    }

    @Test func aLateJoinBeforeAStoredLeaveIsAccepted() {
        var scenario = Scenario.oldham()
        scenario.store("2022-05-01", Events.joined("ol-4", "oldham"))
        scenario.store("2022-07-01", Events.left("ol-4", "oldham"))
        scenario.add("2022-01-01", Events.joined("ol-4", "oldham"))
        scenario.add("2022-03-01", Events.left("ol-4", "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aLateCollaborativeFormationDatedBeforeTheStoredOneIsRefusedNamingTheStoredOne() {
        var scenario = Scenario()
        let formed = scenario.store("2021-09-01", Events.formed("oldham"))
        scenario.add("2021-06-01", Events.formed("oldham"))
        #expect(scenario.violation()?.subject == .stored(id: formed))
        #expect(scenario.brokenRule == .uniqueSlug)
    }

    @Test func theEarliestInvalidatedStoredEventIsNamed() {
        var scenario = Scenario.oldham()
        let first = scenario.store("2023-10-12", Events.workshop("oct-2023", for: ["oldham"], attendees: ["ol-1"]))
        scenario.store("2024-05-12", Events.workshop("may-2024", for: ["oldham"], attendees: ["ol-1"]))
        scenario.add("2023-09-30", Events.left("ol-1", "oldham"))
        #expect(scenario.violation()?.subject == .stored(id: first))
    }

    @Test func sameDayEventsInOneBatchUseDaySemanticsWhateverTheirOrder() {
        var scenario = Scenario.oldham()
        scenario.add("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["ol-4"]))
        scenario.add("2022-01-10", Events.joined("ol-4", "oldham"))
        #expect(scenario.violation()?.description == nil)
    }
}
