import EventLog
import Foundation
import LMDB
import Testing

@testable import Collaboratives

/// oldham formed, ol-17 joined with `name`.
private func storeWithName(_ name: String) throws -> TemporaryChronicle {
    let store = try TemporaryChronicle()
    try store.chronicle.append(
        store.drafts([
            ("2021-09-01", Events.formed("oldham")),
            ("2021-11-15", Events.joined("ol-17", "oldham", name: name)),
        ]))
    return store
}

private func storedEvent(_ store: TemporaryChronicle, seq: UInt64) throws -> RecordedEvent {
    try #require(try store.chronicle.log.read { try $0.event(at: seq) })
}

@Suite struct PersonalDataTests {
    @Test func sealingIsDeterministicPerKeyEventAndFieldAndOpensWithTheKeyOnly() throws {
        let key = SubjectKey.random()
        let id = UUID()
        let sealed = try PersonalDataSeal.seal("Sam Smith", key: key, eventID: id, field: "name")
        #expect(try PersonalDataSeal.seal("Sam Smith", key: key, eventID: id, field: "name") == sealed)
        #expect(try PersonalDataSeal.seal("Sam Smith", key: key, eventID: id, field: "note") != sealed)
        #expect(try PersonalDataSeal.seal("Sam Smith", key: key, eventID: UUID(), field: "name") != sealed)
        #expect(sealed.count == "Sam Smith".utf8.count + PersonalDataSeal.overhead)
        #expect(PersonalDataSeal.open(sealed, key: key) == "Sam Smith")
        #expect(PersonalDataSeal.open(sealed, key: SubjectKey.random()) == nil)
    }

    @Test func storedNameIsSealedAndDecodesAsSealedText() throws {
        let store = try storeWithName("Sam Smith")
        let event = try storedEvent(store, seq: 2)
        #expect(!String(decoding: event.payload, as: UTF8.self).contains("Sam Smith"))
        guard case .memberJoined(let joined) = try store.chronicle.reader.decoder.decode(event) else {
            Issue.record("not a MemberJoined")
            return
        }
        #expect(joined.name?.isSealed == true)
        let keys = try store.chronicle.reader.personalDataKeys()
        #expect(keys.open(joined.name, of: joined.member) == "Sam Smith")
    }

    @Test func erasureDeletesTheKeyInTheSameAppendAndReadsAsErased() throws {
        let store = try storeWithName("Sam Smith")
        let subject = PersonalDataSeal.subject(of: slug("ol-17"))
        #expect(try store.chronicle.log.read { try $0.subjectKey(subject) } != nil)
        try store.chronicle.erase(member: slug("ol-17"), reason: "request", on: day("2024-09-01"), recordedBy: "t")
        #expect(try store.chronicle.log.read { try $0.subjectKey(subject) } == nil)
        #expect(try store.chronicle.log.read { try $0.subjectKeys(prefix: "member-") }.isEmpty)
        let view = try HistoryView.load(
            from: store.chronicle.reader, asOf: day("2024-09-01"),
            knownAt: try #require(Timestamp(rfc3339: "2024-09-02T00:00:00Z")))
        let member = try #require(ReplayReport.compute(view: view, collaborative: slug("oldham")).members.first)
        #expect(member.erased && member.name == nil && member.sector == .secondarySchool)
        #expect(try store.chronicle.log.verify().isSound)
    }

    @Test func aBatchSealedHalfOnAnotherThreadStoresEachNameUnderItsMembersKey() throws {
        let store = try TemporaryChronicle()
        let members = (0..<(Chronicle.sealingSplit / 2 + 50)).map { "m-\($0)" }
        // Each member joins and later changes name: the second event's key is the first's, from either half.
        let events: [(String, DomainEvent)] =
            [("2021-09-01", Events.formed("oldham"))]
            + members.map { ("2021-10-01", Events.joined($0, "oldham", name: "Name of \($0)")) }
            + members.map { ("2022-10-01", Events.changed($0, name: "New name of \($0)")) }
        #expect(events.count >= Chronicle.sealingSplit)
        try store.chronicle.append(store.drafts(events))
        let keys = try store.chronicle.reader.personalDataKeys()
        for (offset, member) in members.enumerated() {
            let joinedEvent = try storedEvent(store, seq: UInt64(2 + offset))
            let changedEvent = try storedEvent(store, seq: UInt64(2 + members.count + offset))
            #expect(!String(decoding: joinedEvent.payload, as: UTF8.self).contains("Name of"))
            guard case .memberJoined(let joined) = try store.chronicle.reader.decoder.decode(joinedEvent),
                case .memberDetailsChanged(let changed) = try store.chronicle.reader.decoder.decode(changedEvent)
            else {
                Issue.record("seq \(2 + offset) or its change is not the event appended")
                return
            }
            #expect(joined.member.rawValue == member && changed.member.rawValue == member)
            #expect(joined.name?.isSealed == true && changed.name?.isSealed == true)
            #expect(keys.open(joined.name, of: joined.member) == "Name of \(member)")
            #expect(keys.open(changed.name, of: changed.member) == "New name of \(member)")
        }
        #expect(try store.chronicle.log.read { try $0.subjectKeys(prefix: "member-") }.count == members.count)
    }

    @Test func personalDataAfterTheErasureInTheSameBatchIsRefusedAndNothingIsWritten() throws {
        let store = try storeWithName("Sam Smith")
        let before = try store.head()
        let violation = try #require(throws: RuleViolation.self) {
            try store.chronicle.append(
                store.drafts([
                    ("2024-09-01", Events.changed("ol-17", name: "Sam Jones")),  // key looked up, then...
                    ("2024-09-02", Events.erased("ol-17")),  // ...deleted, so the next name has none
                    ("2024-09-03", Events.changed("ol-17", name: "Sam Brown")),
                ]))
        }
        #expect(violation.rule == .erasureFinal)
        #expect(try store.head() == before)
        let subject = PersonalDataSeal.subject(of: slug("ol-17"))
        #expect(try store.chronicle.log.read { try $0.subjectKey(subject) } != nil)
    }

    @Test func aMemberWhoJoinsWithANameAndIsErasedInOneBatchLeavesNoKey() throws {
        // The key is created for the name and erased in the same batch: it must not outlive the append.
        let store = try TemporaryChronicle()
        try store.chronicle.append(
            store.drafts([
                ("2021-09-01", Events.formed("oldham")),
                ("2021-11-15", Events.joined("ol-17", "oldham", name: "Sam Smith")),
                ("2021-11-16", Events.joined("ol-18", "oldham", name: "Ann Jones")),
                ("2024-08-30", Events.erased("ol-17")),
            ]))
        let keys = try store.chronicle.log.read { try $0.subjectKeys(prefix: "member-") }
        #expect(keys.keys.sorted() == [PersonalDataSeal.subject(of: slug("ol-18"))])
        #expect(!String(decoding: try storedEvent(store, seq: 2).payload, as: UTF8.self).contains("Sam Smith"))
        let view = try HistoryView.load(
            from: store.chronicle.reader, asOf: day("2024-08-31"),
            knownAt: try #require(Timestamp(rfc3339: "2024-09-02T00:00:00Z")))
        let members = ReplayReport.compute(view: view, collaborative: slug("oldham")).members
        let erased = try #require(members.first { $0.member == slug("ol-17") })
        let kept = try #require(members.first { $0.member == slug("ol-18") })
        #expect(erased.erased && erased.name == nil)
        #expect(!kept.erased && kept.name == "Ann Jones")
    }

    @Test func erasureThatIsRefusedKeepsTheKey() throws {
        let store = try storeWithName("Sam Smith")
        try store.chronicle.erase(member: slug("ol-17"), reason: "request", on: day("2024-09-01"), recordedBy: "t")
        let other = try TemporaryChronicle()
        #expect(throws: RuleViolation.self) {
            try other.chronicle.erase(member: slug("ol-17"), reason: "request", on: day("2024-09-01"), recordedBy: "t")
        }
        let before = try store.head()
        let violation = try #require(throws: RuleViolation.self) {
            try store.chronicle.erase(member: slug("ol-17"), reason: "again", on: day("2024-09-01"), recordedBy: "t")
        }
        #expect(violation.rule == .erasureFinal)
        #expect(try store.head() == before)
    }

    @Test func anErasureCannotBeRetracted() throws {
        let store = try storeWithName("Sam Smith")
        let result = try store.chronicle.erase(
            member: slug("ol-17"), reason: "request", on: day("2024-09-01"), recordedBy: "t")
        let erasure = try #require(result.appended.first)
        let retraction = store.drafts([
            ("2024-09-01", .eventRetracted(EventRetracted(event: erasure.id, reason: "mistake")))
        ])
        let violation = try #require(throws: RuleViolation.self) { try store.chronicle.append(retraction) }
        #expect(violation.rule == .erasureFinal)
    }

    @Test func verifyFindsACiphertextByteChangedUnderneath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chronicle-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let instant = try #require(Timestamp(rfc3339: "2024-09-01T12:00:00Z"))
        var sealedBytes: [UInt8] = []
        do {
            let log = try LMDBEventStore(directory: directory, options: .init(create: true), clock: FixedClock(instant))
            let chronicle = Chronicle(log: log, today: day("2024-09-01"))
            try chronicle.append([
                Draft(occurredAt: occurred("2021-09-01"), recordedBy: "t", event: Events.formed("oldham")),
                Draft(
                    occurredAt: occurred("2021-11-15"), recordedBy: "t",
                    event: Events.joined("ol-17", "oldham", name: "Sam Smith")),
            ])
            let event = try #require(try log.read { try $0.event(at: 2) })
            guard case .memberJoined(let joined) = try chronicle.reader.decoder.decode(event),
                case .sealed(let bytes)? = joined.name
            else {
                Issue.record("name is not sealed")
                return
            }
            sealedBytes = bytes
        }
        do {
            let environment = try Environment(path: directory)
            let events = try environment.openDatabase("events", flags: [])
            try environment.write { txn in
                let key = withUnsafeBytes(of: UInt64(2).bigEndian) { Array($0) }
                var record = try #require(try txn.get(events, key: key))
                let start = try #require(record.firstRange(of: sealedBytes)).lowerBound
                record[start + 12] ^= 0x01  // the first ciphertext byte, after the 12-byte nonce
                try txn.put(events, key: key, value: record)
            }
        }
        let fault = try #require(try LMDBEventStore(directory: directory, create: false).verify().fault)
        #expect(fault.seq == 2)
        #expect(fault.problem.hasPrefix("hash mismatch"))
    }
}
