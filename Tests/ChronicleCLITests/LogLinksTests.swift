import EventLog
import Foundation
import Testing

@testable import ChronicleCLI
@testable import Collaboratives

/// `log` links each retraction to its target: the targets are read in one request once the pass is over, not
/// one lookup per retraction met (on PostgreSQL each lookup was a round trip: ~10,000 at 1M events).
@Suite struct LogLinksTests {
    @Test func theTargetsOfEveryRetractionAreReadInOneRequest() throws {
        let targets = (0..<3).map { _ in UUID() }
        var links = LogLinks()
        var log: [RecordedEvent] = []
        for (index, target) in targets.enumerated() {
            let retraction = Self.recorded(seq: UInt64(10 + index), recordedAt: Int64(index))
            log.append(retraction)
            links.note(retraction, .eventRetracted(EventRetracted(event: target, reason: "wrong")))
        }
        var requests: [[UUID]] = []
        try links.resolve { ids in
            requests.append(ids)
            return Dictionary(
                uniqueKeysWithValues: ids.enumerated().map { offset, id in
                    (
                        id,
                        (
                            Self.recorded(seq: UInt64(offset + 1), recordedAt: 0, id: id),
                            DomainEvent.eventRetracted(EventRetracted(event: UUID(), reason: "x"))
                        )
                    )
                })
        }
        #expect(requests == [targets])
        let keys = PersonalDataKeys.none
        for (index, retraction) in log.enumerated() {
            let text = links.described(
                retraction, .eventRetracted(EventRetracted(event: targets[index], reason: "wrong")), keys: keys,
                retractedBy: nil)
            #expect(text.contains("(seq \(index + 1))"), "\(text)")
        }
    }

    private static func recorded(seq: UInt64, recordedAt: Int64, id: UUID = UUID()) -> RecordedEvent {
        RecordedEvent(
            seq: seq, id: id, stream: "s", streamVersion: seq, type: "EventRetracted", schemaVersion: 1,
            occurredAt: .day(19_000), recordedAt: Timestamp(microsecondsSinceEpoch: recordedAt), recordedBy: "me",
            payload: [], hash: .genesis)
    }
}
