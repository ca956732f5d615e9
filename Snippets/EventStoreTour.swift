//! Append to an event store, retry safely, guard a stream's version and read the stream back.
//!
//! The same calls work on every ``EventStore``: ``InMemoryEventStore`` here, ``LMDBEventStore`` for a
//! store on disk (`LMDBEventStore(directory: path, create: true)`).

// snippet.hide
import EventLog
import Foundation

do {
    // snippet.show
    let store = InMemoryEventStore()
    let joined = NewEvent(
        stream: "collaborative-oldham", type: "MemberJoined", occurredAt: .day(18_946), recordedBy: "me",
        payload: Array(#"{"member":"ol-17"}"#.utf8))

    // The first event of a stream: `.noStream` refuses the batch if someone wrote the stream first.
    let first = try store.append([joined], expecting: ["collaborative-oldham": .noStream])

    // Offering the same event again (same id, same content) is an idempotent retry: nothing is written.
    let retry = try store.append([joined])
    assert(retry.appended.isEmpty && retry.duplicates.count == 1)

    // A writer that read version 1 appends only if the stream is still there.
    let left = NewEvent(
        stream: "collaborative-oldham", type: "MemberLeft", occurredAt: .day(19_100), recordedBy: "me",
        payload: Array(#"{"member":"ol-17"}"#.utf8))
    try store.append([left], expecting: ["collaborative-oldham": .exact(1)])

    // Read the stream back, in version order; each event carries its place in the hash chain.
    try store.events(inStream: "collaborative-oldham").forEach { event in
        print(event.streamVersion, event.type, event.occurredAt, event.hash)
    }
    // The chain and every index, checked from the first event.
    let report = try store.verify()
    print(report.isSound, report.eventCount, first.head.seq)
    // snippet.hide
} catch {
    print("error: \(error)")
    exit(1)
}
