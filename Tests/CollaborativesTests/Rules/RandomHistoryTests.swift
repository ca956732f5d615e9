import Foundation
import Testing

@testable import Collaboratives

/// Validity depends on the timeline, not on the order events were recorded in.
@Suite struct RandomHistoryTests {
    @Test(arguments: 1...40)
    func aValidHistoryRecordedInAnyOrderIsAccepted(seed: Int) {
        var history = RandomHistory(seed: UInt64(seed), length: 150)
        let scenario = history.randomlyRecorded()
        #expect(scenario.violation()?.description == nil, "seed \(seed)")
    }

    @Test(arguments: 1...40)
    func droppingTheFirstJoinOfAnAttendeeIsRefused(seed: Int) {
        let history = RandomHistory(seed: UInt64(seed), length: 150)
        // Find a workshop attendee and drop the join that made them active.
        var lastJoin: [String: Int] = [:]
        var dropped: Int?
        for (index, item) in history.events.enumerated() {
            if case .memberJoined(let joined) = item.event {
                lastJoin["\(joined.collaborative)/\(joined.member)"] = index
            }
            if case .workshopHeld(let workshop) = item.event, let attendee = workshop.attendees.first,
                let collaborative = workshop.collaboratives.first
            {
                dropped = lastJoin["\(collaborative)/\(attendee)"]
                break
            }
        }
        guard let dropped else { return }
        var scenario = Scenario()
        for (index, item) in history.events.enumerated() where index != dropped {
            scenario.add(item.day, item.event)
        }
        #expect(scenario.violation() != nil, "seed \(seed)")
    }
}
