import EventLog
import Foundation
import Testing

/// Appends a small log to a new store of `stores` and returns its events as an export.
private func export(_ stores: StoreScope) throws -> [RecordedEvent] {
    let clock = ManualClock(instant(10))
    let store = try stores.open(clock: clock)
    try store.append([newEvent("a"), newEvent("b", type: "U", occurredAt: .instant(instant(-5)))])
    clock.set(instant(20))
    try store.append([newEvent("a", payload: [])])
    clock.set(instant(30))
    try store.append([newEvent("c"), newEvent("a"), newEvent("b")])
    return try allEvents(store)
}

/// A copy of `event` with some fields replaced, keeping its hash.
private func tampered(
    _ event: RecordedEvent, seq: UInt64? = nil, streamVersion: UInt64? = nil, recordedAt: Timestamp? = nil,
    payload: [UInt8]? = nil
) -> RecordedEvent {
    RecordedEvent(
        seq: seq ?? event.seq, id: event.id, stream: event.stream, streamVersion: streamVersion ?? event.streamVersion,
        type: event.type, schemaVersion: event.schemaVersion, occurredAt: event.occurredAt,
        recordedAt: recordedAt ?? event.recordedAt, recordedBy: event.recordedBy, payload: payload ?? event.payload,
        hash: event.hash)
}

@Suite struct RestoreTests {
    @Test(arguments: StoreKind.available) func restoringAnExportIntoAnEmptyStoreReproducesIdenticalEventsAndHashes(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let events = try export(stores)
            let target = try stores.open(clock: FixedClock(instant(-1000)))
            let head = try target.restore(events)
            #expect(head == LogHead(seq: 6, hash: try #require(events.last).hash, recordedAt: instant(30)))
            #expect(try allEvents(target) == events)
            #expect(try target.verify().isSound)
            #expect(try target.read { try $0.streamVersion("a") } == 3)
        }
    }

    @Test(arguments: StoreKind.available) func restoringInChunksEqualsRestoringAtOnceAndAppendsContinueTheChain(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let events = try export(stores)
            let target = try stores.open(clock: FixedClock(instant(25)))
            try target.restore(Array(events[..<2]))
            try target.restore(Array(events[2...]))
            #expect(try allEvents(target) == events)
            let next = try target.append([newEvent("a")], expecting: ["a": .exact(3)])
            #expect(next.appended.map(\.seq) == [7])
            #expect(next.appended.map(\.recordedAt) == [instant(30)], "the clock is clamped to the restored time")
            #expect(try target.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.available) func restoreRefusesATamperedEventAndWritesNothing(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            var events = try export(stores)
            events[3] = tampered(events[3], payload: [0xEE])
            let target = try stores.open()
            let error = try #require(throws: EventLogError.self) { try target.restore(events) }
            guard case .restoreMismatch(let seq, let reason) = error else {
                Issue.record("expected restoreMismatch, got \(error)")
                return
            }
            #expect(seq == 4)
            #expect(reason.contains("hash does not verify"))
            #expect(try target.head() == .empty)
            #expect(try allEvents(target).isEmpty)
        }
    }

    @Test(arguments: StoreKind.available) func restoreRefusesAnIdRepeatedWithinTheRestoreNamingBothPositions(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let events = try export(stores)
            let repeated = events[4]
            let copy = RecordedEvent(
                seq: repeated.seq, id: events[1].id, stream: repeated.stream, streamVersion: repeated.streamVersion,
                type: repeated.type, schemaVersion: repeated.schemaVersion, occurredAt: repeated.occurredAt,
                recordedAt: repeated.recordedAt, recordedBy: repeated.recordedBy, payload: repeated.payload,
                hash: repeated.hash)
            let target = try stores.open()
            let error = try #require(throws: EventLogError.self) {
                try target.restore(Array(events[..<4]) + [copy] + Array(events[5...]))
            }
            guard case .restoreMismatch(let seq, let reason) = error else {
                Issue.record("expected restoreMismatch, got \(error)")
                return
            }
            #expect(seq == 5 && reason.contains("already restored at seq 2"), "\(reason)")
            #expect(try target.head() == .empty)
        }
    }

    @Test(arguments: StoreKind.available) func restoreRefusesAGap(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            var events = try export(stores)
            events.remove(at: 1)
            let target = try stores.open()
            #expect(throws: EventLogError.restoreMismatch(seq: 3, reason: "expected seq 2")) {
                try target.restore(events)
            }
            #expect(try target.head() == .empty)
        }
    }

    @Test(arguments: StoreKind.available) func restoreRefusesAnEventThatDoesNotFollowTheStoredLog(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            let events = try export(stores)
            let target = try stores.open()
            try target.restore(Array(events[..<3]))
            #expect(throws: EventLogError.restoreMismatch(seq: 3, reason: "expected seq 4")) {
                try target.restore(Array(events[2...]))
            }
            #expect(throws: EventLogError.self) { try target.restore([tampered(events[3], streamVersion: 5)]) }
            #expect(throws: EventLogError.self) { try target.restore([tampered(events[3], recordedAt: instant(0))]) }
            #expect(try target.head().seq == 3)
            #expect(try target.verify().isSound)
        }
    }

    @Test(arguments: StoreKind.available) func restoreRefusesAnEventThatDoesNotLinkToThePreviousHash(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            var events = try export(stores)
            // Intact in itself (its hash is right for its content), but chained onto another log's end.
            let original = events[3]
            let relinked = RecordedEvent(
                seq: original.seq, id: original.id, stream: original.stream, streamVersion: original.streamVersion,
                type: original.type, schemaVersion: original.schemaVersion, occurredAt: original.occurredAt,
                recordedAt: original.recordedAt, recordedBy: original.recordedBy, payload: original.payload,
                hash: original.chainHash(after: .genesis))
            events[3] = relinked
            let target = try stores.open()
            let reason = "hash does not verify (computed \(original.hash), given \(relinked.hash))"
            #expect(throws: EventLogError.restoreMismatch(seq: 4, reason: reason)) { try target.restore(events) }
            #expect(try target.head() == .empty)
        }
    }

    @Test(arguments: StoreKind.available) func restoreRefusesARecordedAtBeforeThePreviousEvents(_ kind: StoreKind)
        throws
    {
        try kind.withStores { stores in
            var events = try export(stores)
            events[3] = tampered(events[3], recordedAt: instant(15))
            let target = try stores.open()
            let reason = "recordedAt \(instant(15)) is before the previous event's \(instant(20))"
            #expect(throws: EventLogError.restoreMismatch(seq: 4, reason: reason)) { try target.restore(events) }
            #expect(try target.head() == .empty)
        }
    }

    @Test(arguments: StoreKind.available) func restoreRefusesAStreamVersionThatDoesNotFollowTheStreams(
        _ kind: StoreKind
    ) throws {
        try kind.withStores { stores in
            let events = try export(stores)
            let target = try stores.open()
            try target.restore(Array(events[..<3]))
            // Stream a is at version 2 in the store; c has no event yet.
            #expect(throws: EventLogError.restoreMismatch(seq: 4, reason: "expected version 1 of stream c")) {
                try target.restore([tampered(events[3], streamVersion: 2)] + Array(events[4...]))
            }
            #expect(throws: EventLogError.restoreMismatch(seq: 5, reason: "expected version 3 of stream a")) {
                try target.restore([events[3], tampered(events[4], streamVersion: 2), events[5]])
            }
            #expect(try target.head().seq == 3)
        }
    }

    @Test(arguments: StoreKind.available) func restoreRefusesAnIdTheStoreHoldsAlready(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let events = try export(stores)
            let target = try stores.open()
            try target.restore(Array(events[..<3]))
            let next = events[3]
            let reused = RecordedEvent(
                seq: next.seq, id: events[0].id, stream: next.stream, streamVersion: next.streamVersion,
                type: next.type, schemaVersion: next.schemaVersion, occurredAt: next.occurredAt,
                recordedAt: next.recordedAt, recordedBy: next.recordedBy, payload: next.payload, hash: next.hash)
            let reason = "id \(events[0].id.uuidString.lowercased()) is already stored at seq 1"
            #expect(throws: EventLogError.restoreMismatch(seq: 4, reason: reason)) {
                try target.restore([reused] + Array(events[4...]))
            }
            #expect(try target.head().seq == 3)
        }
    }

    @Test(arguments: StoreKind.available) func dryRunChecksEverythingButWritesNothing(_ kind: StoreKind) throws {
        try kind.withStores { stores in
            let events = try export(stores)
            let target = try stores.open()
            let head = try target.restore(events, dryRun: true)
            #expect(head.seq == 6)
            #expect(try target.head() == .empty)
            var broken = events
            broken[5] = tampered(broken[5], payload: [1])
            #expect(throws: EventLogError.self) { try target.restore(broken, dryRun: true) }
        }
    }
}
