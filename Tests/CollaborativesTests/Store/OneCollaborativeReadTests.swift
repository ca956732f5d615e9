import EventLog
import Foundation
import LMDB
import Synchronization
import Testing

@testable import Collaboratives

/// A query of one collaborative asks its store for tags, events and keys by the many (the batch reads of
/// ``LogView``), not one at a time: on a store across a network (PostgreSQL) each request is a round trip,
/// and one per member, event and retraction made such a query fifteen times slower than on LMDB.
@Suite struct OneCollaborativeReadTests {
    @Test func aQueryOfOneCollaborativeReadsItsTagsEventsAndKeysInAFewBatchesNotOneByOne() throws {
        try withImportedHistory { store, chronicle, clock in
            let knownAt = clock.now()
            let whole = try HistoryView.load(from: chronicle.reader, asOf: day("2025-09-01"), knownAt: knownAt)
            #expect(whole.collaboratives.count > 1)
            for collaborative in whole.collaboratives {
                store.reset()
                let scoped = try HistoryView.load(
                    from: chronicle.reader, asOf: day("2025-09-01"), knownAt: knownAt, collaborative: collaborative)
                let calls = store.calls
                // Hundreds of events, members and retractions are read...
                #expect(scoped.eventsKnown > 100)
                // ...in a handful of requests: one per pass (its tags, then its events), one for the keys.
                #expect(calls["taggedSeqs"] == nil, "\(calls)")
                #expect(calls["subjectKey", default: 0] == 0, "\(calls)")
                #expect(calls["event(at:)", default: 0] <= 1, "provenance reads the last event: \(calls)")
                #expect(calls["taggedSeqs(forEach:)", default: 0] <= 5, "\(calls)")
                #expect(calls["events(at:)", default: 0] <= 5, "\(calls)")
                #expect(calls["subjectKeys(for:)", default: 0] == 1, "\(calls)")
            }
        }
    }

    @Test func aQueryOfOneCollaborativeAsksForEachStepsTagsAndTheirEventsInOneRequestAndForTheTagIndexOnce() throws {
        try withImportedHistory { store, chronicle, clock in
            let knownAt = clock.now()
            let whole = try HistoryView.load(from: chronicle.reader, asOf: day("2025-09-01"), knownAt: knownAt)
            for collaborative in whole.collaboratives {
                store.reset()
                _ = try HistoryView.load(
                    from: chronicle.reader, asOf: day("2025-09-01"), knownAt: knownAt, collaborative: collaborative)
                let calls = store.calls
                // The collaborative, its sub-groups, its members, the retractions, the erasures: a request each
                // for the tags and their events, not one for the tags and another for the events.
                #expect((1...5).contains(calls["taggedEventsInPlace", default: 0]), "\(calls)")
                #expect(calls["taggedSeqs(forEach:)"] == nil, "\(calls)")
                #expect(calls["events(at:)"] == nil, "\(calls)")
                // The tag index's scheme and position are read once, for the steps and the erasures.
                #expect(calls["tagScheme"] == 1, "\(calls)")
                #expect(calls["tagIndexPosition"] == 1, "\(calls)")
            }
        }
    }

    @Test func aQueryOfOneCollaborativeFindsItsErasedMembersWithoutScanningEveryErasureInTheLog() throws {
        try withImportedHistory { store, chronicle, clock in
            let knownAt = clock.now()
            let asOf = day("2025-09-01")
            // A member erased after K is erased in a query at K too: erasure destroys the key, whatever K.
            let before = try HistoryView.load(from: chronicle.reader, asOf: asOf, knownAt: knownAt)
            let erasedLater = try #require(
                before.timeline.entries.lazy.flatMap(\.event.membersNamed).first { !before.keys.isErased($0) })
            clock.set(Timestamp(microsecondsSinceEpoch: knownAt.microsecondsSinceEpoch + 60_000_000))
            try chronicle.erase(member: erasedLater, reason: "asked", on: day("2025-09-02"), recordedBy: "tester")
            let whole = try HistoryView.load(from: chronicle.reader, asOf: asOf, knownAt: knownAt)
            var erasedSeen = 0
            for collaborative in whole.collaboratives {
                store.reset()
                let scoped = try HistoryView.load(
                    from: chronicle.reader, asOf: asOf, knownAt: knownAt, collaborative: collaborative)
                #expect(store.calls["scanType", default: 0] == 0, "\(store.calls)")
                for member in Set(scoped.timeline.entries.flatMap(\.event.membersNamed)) {
                    #expect(scoped.keys.isErased(member) == whole.keys.isErased(member), "\(member)")
                    if scoped.keys.isErased(member) { erasedSeen += 1 }
                }
            }
            #expect(whole.keys.isErased(erasedLater))
            #expect(erasedSeen > 1, "the history erases members of its collaboratives")
        }
    }

    /// Runs `body` with a counting store holding the generator's history, its chronicle and its clock (the
    /// import's knowledge time until set).
    private func withImportedHistory(_ body: (CountingStore, Chronicle, SettableClock) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("chronicle-one-collaborative-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = SettableClock(Timestamp(microsecondsSinceEpoch: 1_760_000_000_000_000))
        let store = CountingStore(
            try LMDBEventStore(
                directory: directory, options: .init(create: true, initialMapSize: 1 << 22, durable: false),
                clock: clock))
        let chronicle = Chronicle(log: store, today: day("2030-01-01"))
        try chronicle.importLines(
            HistoryGeneratorTests.numbered(HistoryGeneratorTests.history), defaultRecordedBy: "tester")
        try body(store, chronicle, clock)
    }
}

/// An ``EventStore`` that counts the reads its views are asked for, by name.
private final class CountingStore: ForwardingEventStore {
    let base: any EventStore
    let counts = Mutex<[String: Int]>([:])

    init(_ base: any EventStore) { self.base = base }

    var calls: [String: Int] { counts.withLock { $0 } }
    func reset() { counts.withLock { $0 = [:] } }
    func count(_ name: String) { counts.withLock { $0[name, default: 0] += 1 } }

    func read<R>(_ body: (any LogView) throws -> R) throws -> R {
        try base.read { try body(CountingView(base: $0, store: self)) }
    }
}

/// A view that counts, in its store, each read it forwards.
private struct CountingView: ForwardingLogView {
    let base: any LogView
    let store: CountingStore

    func event(at seq: UInt64) throws -> RecordedEvent? {
        store.count("event(at:)")
        return try base.event(at: seq)
    }
    func event(id: UUID) throws -> RecordedEvent? {
        store.count("event(id:)")
        return try base.event(id: id)
    }
    func taggedSeqs(_ tag: String, through seq: UInt64) throws -> [UInt64] {
        store.count("taggedSeqs")
        return try base.taggedSeqs(tag, through: seq)
    }
    func isTagged(_ seq: UInt64, with tag: String) throws -> Bool {
        store.count("isTagged")
        return try base.isTagged(seq, with: tag)
    }
    func subjectKey(_ subject: String) throws -> SubjectKey? {
        store.count("subjectKey")
        return try base.subjectKey(subject)
    }
    func scanType(
        _ type: String, from seq: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool
    ) throws {
        store.count("scanType")
        try base.scanType(type, from: seq, direction: direction, body)
    }
    func taggedSeqs(forEach tags: [String], through seq: UInt64) throws -> [String: [UInt64]] {
        store.count("taggedSeqs(forEach:)")
        return try base.taggedSeqs(forEach: tags, through: seq)
    }
    func events(at seqs: [UInt64]) throws -> [UInt64: RecordedEvent] {
        store.count("events(at:)")
        return try base.events(at: seqs)
    }
    func subjectKeys(for subjects: [String]) throws -> [String: SubjectKey] {
        store.count("subjectKeys(for:)")
        return try base.subjectKeys(for: subjects)
    }
    func tagScheme() throws -> String? {
        store.count("tagScheme")
        return try base.tagScheme()
    }
    func tagIndexPosition() throws -> UInt64 {
        store.count("tagIndexPosition")
        return try base.tagIndexPosition()
    }
    func taggedEventsInPlace(
        forEach tags: [String], through seq: UInt64, skipping known: Set<UInt64>,
        _ body: (UInt64, EventInPlace?) throws -> Void
    ) throws {
        store.count("taggedEventsInPlace")
        try base.taggedEventsInPlace(forEach: tags, through: seq, skipping: known, body)
    }
}
