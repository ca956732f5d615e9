import Foundation
import Testing

@testable import Collaboratives

@Suite struct RetractionRuleTests {
    @Test func retractingAStoredEventIsAccepted() {
        var scenario = Scenario.oldham()
        let workshop = scenario.store("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1"]))
        scenario.add("2024-01-01", Events.retract(workshop))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func retractingAnUnknownEventIsRefused() {
        var scenario = Scenario.oldham()
        let unknown = UUID()
        scenario.add("2024-01-01", Events.retract(unknown))
        #expect(
            scenario.violation()?.description
                == "rule retraction-target-exists: batch event 0 (EventRetracted, 2024-01-01): "
                + "no event \(unknown.uuidString.lowercased()) was recorded before this retraction")
    }

    @Test func aRetractionCannotBeRetracted() {
        var scenario = Scenario.oldham()
        let workshop = scenario.store("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: []))
        let retraction = scenario.store("2024-01-01", Events.retract(workshop))
        scenario.add("2024-01-02", Events.retract(retraction))
        #expect(
            scenario.violation()?.message
                == "event \(retraction.uuidString.lowercased()) is itself a retraction, and retractions are final")
        #expect(scenario.brokenRule == .retractionFinal)
    }

    @Test func anEventCannotBeRetractedTwice() {
        var scenario = Scenario.oldham()
        let workshop = scenario.store("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: []))
        scenario.store("2024-01-01", Events.retract(workshop))
        scenario.add("2024-01-02", Events.retract(workshop))
        #expect(scenario.violation()?.message == "event \(workshop.uuidString.lowercased()) is already retracted")
    }

    @Test func anEventCannotBeRetractedTwiceWithinOneBatch() {
        var scenario = Scenario.oldham()
        let workshop = scenario.store("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: []))
        scenario.add("2024-01-02", Events.retract(workshop))
        scenario.add("2024-01-02", Events.retract(workshop))
        let violation = scenario.violation()
        #expect(violation?.subject == .batch(index: 1, id: scenario.batch[1].id))
        #expect(violation?.message.hasSuffix("is already retracted by batch event 0") == true)
    }

    @Test func aRetractionKnownOnlyByItsIDStillCounts() throws {
        var scenario = Scenario.oldham()
        let workshop = scenario.store("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: []))
        scenario.stored.removeLast()
        scenario.add("2024-01-02", Events.retract(workshop))
        #expect(throws: RuleViolation.self) {
            try RuleCheck.validate(
                stored: scenario.stored, batch: scenario.batch, today: scenario.today, retractedIDs: [workshop])
        }
    }

    @Test func retractingAnEventThatALaterStoredEventDependsOnIsRefusedNamingIt() {
        var scenario = Scenario.oldham()
        let join = scenario.store("2022-01-05", Events.joined("ol-4", "oldham"))
        let workshop = scenario.store("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["ol-4"]))
        scenario.add("2024-01-01", Events.retract(join))
        let violation = scenario.violation()
        #expect(violation?.subject == .stored(id: workshop))
        #expect(
            violation?.description
                == "rule member-active: refused because stored event \(workshop.uuidString.lowercased()) "
                + "(WorkshopHeld, 2022-01-10) would become invalid: "
                + "attendee ol-4 is not an active member of oldham on 2022-01-10")
    }

    @Test func retractingAnEventNothingDependsOnLeavesTheLogValid() {
        var scenario = Scenario.oldham()
        let join = scenario.store("2022-01-05", Events.joined("ol-4", "oldham"))
        scenario.add("2024-01-01", Events.retract(join))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func retractedStoredEventsNoLongerCount() {
        var scenario = Scenario.oldham()
        let join = scenario.store("2022-01-05", Events.joined("ol-4", "oldham"))
        scenario.store("2024-01-01", Events.retract(join))
        scenario.add("2024-02-01", Events.joined("ol-4", "oldham"))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aCorrectionMayReuseTheWorkshopSlugOfTheEventItRetracts() {
        var scenario = Scenario.oldham()
        let wrong = scenario.store("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1"]))
        scenario.add("2024-01-01", Events.retract(wrong))
        scenario.add("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1", "ol-2"]))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aReplacementWithoutItsRetractionCannotReuseTheSlug() {
        var scenario = Scenario.oldham()
        scenario.store("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1"]))
        scenario.add("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1", "ol-2"]))
        #expect(scenario.brokenRule == .uniqueSlug)
    }

    @Test func anEventMayBeRetractedLaterInTheBatchThatRecordsIt() {
        var scenario = Scenario.oldham()
        let workshop = scenario.add("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["ol-99"]))
        scenario.add("2024-01-01", Events.retract(workshop))
        #expect(scenario.violation()?.description == nil)
    }

    @Test func aRetractionCannotPrecedeItsTargetInTheBatch() {
        var scenario = Scenario.oldham()
        let target = UUID()
        scenario.add("2024-01-01", Events.retract(target))
        scenario.batch.append(
            TimelineEntry(
                id: target, seq: nil, occurredAt: occurred("2022-01-10"),
                event: Events.workshop("w1", for: ["oldham"], attendees: [])))
        #expect(scenario.brokenRule == .retractionTargetExists)
    }

    @Test func aWholeHistoryWithRetractionsIsValidAsOneBatch() {
        let source = Scenario.oldham()
        var restore = Scenario()
        for entry in source.stored {
            restore.add(entry.occurredAt.canonicalText, entry.event)
        }
        let wrong = restore.add("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1"]))
        restore.add("2024-01-01", Events.retract(wrong))
        restore.add("2022-01-10", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1", "ol-2"]))
        #expect(restore.violation()?.description == nil)
    }
}
