// A small tour of the EventLog engine: create a store, append, read back, verify the chain.
import EventLog
import Foundation

let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("chronicle-example-\(UUID().uuidString)").path
defer { try? FileManager.default.removeItem(atPath: directory) }

do {
    let clock = FixedClock(Timestamp(rfc3339: "2021-11-20T09:12:03Z") ?? Timestamp(microsecondsSinceEpoch: 0))
    let store = try LMDBEventStore(directory: directory, options: .init(create: true), clock: clock)
    let events = [
        NewEvent(
            stream: "collaborative-oldham", type: "CollaborativeFormed", occurredAt: .day(18_871),
            recordedBy: "example", payload: Array(#"{"collaborative":"oldham"}"#.utf8)),
        NewEvent(
            stream: "collaborative-oldham", type: "MemberJoined", occurredAt: .day(18_946),
            recordedBy: "example", payload: Array(#"{"member":"ol-17"}"#.utf8)),
    ]
    let result = try store.append(events, expecting: ["collaborative-oldham": .noStream])
    let more = NewEvent(
        stream: "workshop-ol-ws-01", type: "WorkshopHeld", occurredAt: .day(18_960), recordedBy: "example",
        payload: Array(#"{"attendees":["ol-17"]}"#.utf8))
    try store.append([more])
    print("appended \(result.appended.count + 1) events; head seq \(try store.head().seq)")
    try store.events().forEach { event in
        print(
            "  \(event.seq)  \(event.occurredAt)  \(event.type)  \(event.stream)#\(event.streamVersion)  \(event.hash)")
    }
    let report = try store.verify()
    guard report.isSound else {
        print("verify failed: \(report.fault.map(String.init(describing:)) ?? "")")
        exit(1)
    }
    print("verified \(report.eventCount) events; head hash \(report.head.hash)")
} catch {
    print("error: \(error)")
    exit(1)
}
