import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// Stores written before the binary payload layout keep JSON payloads under their hashes: they read,
/// export, restore and take idempotent retries exactly as before, and new events join them in binary.
@Suite struct JSONPayloadStoreTests {
    /// The first 900 lines of the generated history (every prefix is valid), with names and notes.
    static let lines = Array(HistoryGeneratorTests.history.prefix(900))

    static func drafts(_ lines: some Sequence<[UInt8]>) throws -> [Draft] {
        try lines.map { try Draft(line: try InterchangeLine.parse($0), defaultRecordedBy: "tester") }
    }

    /// Appends `drafts` as a store before the binary layout did: canonical JSON, personal fields sealed in
    /// it but the organisation (sealed only since binary layout 2), keys of erased members deleted.
    static func appendAsJSON(_ drafts: [Draft], to chronicle: Chronicle) throws {
        let events = drafts.map { draft in
            var event = draft.newEvent
            event.payload = draft.data.canonicalBytes
            return event
        }
        try chronicle.log.append(
            events, expecting: [:],
            hooks: Preparing { writer, batch in
                try zip(batch, drafts).map { event, draft in
                    if case .personalDataErased(let erasure) = draft.event {
                        try writer.deleteSubjectKey(PersonalDataSeal.subject(of: erasure.member))
                    }
                    guard let personal = draft.event.personalData, personal.values.contains(where: { $0 != nil })
                    else { return event }
                    let key = try writer.createSubjectKeyIfAbsent(PersonalDataSeal.subject(of: personal.member))
                    var sealed = event
                    sealed.payload = try PersonalDataSeal.seal(
                        draft.data, of: draft.event, key: key, eventID: draft.id,
                        keepingInClear: PersonalFields.onceInClear
                    )
                    .canonicalBytes
                    return sealed
                }
            })
    }

    static func jsonStore() throws -> TemporaryChronicle {
        let store = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        try appendAsJSON(try drafts(lines), to: store.chronicle)
        return store
    }

    static func exportLines(_ store: TemporaryChronicle) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        try store.chronicle.exportLines { lines.append($0) }
        return lines
    }

    /// An export line without what two stores of one history hold differently: the `hash` (the layouts
    /// differ), the `sealed` keys (each store makes its own), and an erased member's organisation (a store
    /// before binary layout 2 keeps it in clear, a newer one sealed).
    /// The members the history erases.
    static let erasedMembers: Set<String> = Set(
        lines.compactMap { line in
            guard case .object(let members)? = try? JSONValue(parsing: line),
                members["type"] == .string(PersonalDataErased.typeName), case .object(let data)? = members["data"],
                case .string(let member)? = data["member"]
            else { return nil }
            return member
        })

    static func comparable(_ line: [UInt8]) throws -> JSONValue {
        guard case .object(var members) = try JSONValue(parsing: line) else { return .null }
        if case .object(var data)? = members["data"], case .string(let member)? = data["member"],
            Self.erasedMembers.contains(member)
        {
            data["organisation"] = nil
            members["data"] = .object(data)
        }
        members["hash"] = nil
        members["sealed"] = nil
        return .object(members)
    }

    @Test func aJSONStoreReadsAndExportsAsTheSameHistoryAsABinaryOne() throws {
        let json = try Self.jsonStore()
        let binary = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        try binary.chronicle.importLines(HistoryGeneratorTests.numbered(Self.lines), defaultRecordedBy: "tester")
        let jsonEvents = try json.chronicle.log.events().collect()
        let binaryEvents = try binary.chronicle.log.events().collect()
        #expect(jsonEvents.allSatisfy { !BinaryPayload.isBinary($0.payload) })
        #expect(binaryEvents.allSatisfy { BinaryPayload.isBinary($0.payload) })
        #expect(jsonEvents.contains { $0.payload.firstRange(of: Array("\"sealed\"".utf8)) != nil })
        #expect(jsonEvents.contains { $0.type == PersonalDataErased.typeName })
        #expect(try Self.exportLines(json).map(Self.comparable) == Self.exportLines(binary).map(Self.comparable))
        #expect(try json.chronicle.log.verify().isSound)
    }

    @Test func anExportOfAJSONStoreRestoresWithTheJSONItsHashesCover() throws {
        let json = try Self.jsonStore()
        let exported = try Self.exportLines(json)
        let copy = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        let summary = try copy.chronicle.importLines(HistoryGeneratorTests.numbered(exported), defaultRecordedBy: "x")
        #expect(summary.restored && summary.appended == exported.count)
        #expect(try Self.exportLines(copy) == exported)
        #expect(try copy.head() == json.head())
        #expect(try copy.chronicle.log.events().collect() == json.chronicle.log.events().collect())
    }

    @Test func reimportingItsExportIntoAJSONStoreChangesNothing() throws {
        let json = try Self.jsonStore()
        let head = try json.head()
        let exported = try Self.exportLines(json)
        let summary = try json.chronicle.importLines(HistoryGeneratorTests.numbered(exported), defaultRecordedBy: "x")
        #expect(summary.duplicates == exported.count && summary.appended == 0)
        #expect(try json.head() == head)
    }

    /// The history's drafts that can be appended again as retries: personal data of a member erased since
    /// cannot be given again, even as a retry (erasure-final).
    static func retries() throws -> [Draft] {
        let drafts = try Self.drafts(Self.lines)
        let erased = Set(drafts.compactMap { if case .personalDataErased(let e) = $0.event { e.member } else { nil } })
        return drafts.filter { draft in
            guard let personal = draft.event.personalData, personal.values.contains(where: { $0 != nil }) else {
                return true
            }
            return !erased.contains(personal.member)
        }
    }

    @Test func reappendingEventsStoredAsJSONIsAnIdempotentRetry() throws {
        let json = try Self.jsonStore()
        let head = try json.head()
        let retries = try Self.retries()
        #expect(retries.contains { $0.event.personalData?.values.contains { $0 != nil } == true })
        let result = try json.chronicle.append(retries)
        #expect(result.duplicates.count == retries.count && result.appended.isEmpty)
        #expect(try json.head() == head)
    }

    @Test func anotherEventUnderTheIDOfOneStoredAsJSONIsStillRefused() throws {
        let json = try Self.jsonStore()
        let drafts = try Self.drafts(Self.lines)
        let joined = try #require(
            drafts.first { if case .memberJoined = $0.event { true } else { false } })
        guard case .memberJoined(let event) = joined.event else { return }
        var changed = joined
        changed.event = .memberJoined(
            MemberJoined(
                collaborative: event.collaborative, member: event.member, name: "Someone Else",
                sector: event.sector, organisation: event.organisation))
        #expect {
            try json.chronicle.append([changed])
        } throws: { error in
            if case EventLogError.duplicateIDWithDifferentContent = error { true } else { false }
        }
    }

    @Test func aRetryDifferingOnlyInAnotherFieldOrInTheUnicodeFormOfItsTextIsRefused() throws {
        let json = try Self.jsonStore()
        let drafts = try Self.drafts(Self.lines)
        let joined = try #require(drafts.first { if case .memberJoined = $0.event { true } else { false } })
        guard case .memberJoined(let event) = joined.event else { return }
        func variant(organisation: String, sector: Sector = .health) -> Draft {
            var draft = joined
            draft.id = UUID(uuidString: "00000000-0000-4000-8000-00000000c0fe") ?? joined.id
            draft.event = .memberJoined(
                MemberJoined(
                    collaborative: event.collaborative, member: event.member, name: event.name, sector: sector,
                    organisation: .plain(organisation)))
            return draft
        }
        try Self.appendAsJSON([variant(organisation: "Caf\u{E9}")], to: json.chronicle)
        let head = try json.head()
        let same = try json.chronicle.append([variant(organisation: "Caf\u{E9}")])
        #expect(same.duplicates.count == 1 && same.appended.isEmpty)
        for other in [variant(organisation: "Cafe\u{301}"), variant(organisation: "Caf\u{E9}", sector: .camhs)] {
            #expect {
                try json.chronicle.append([other])
            } throws: { error in
                if case EventLogError.duplicateIDWithDifferentContent = error { true } else { false }
            }
        }
        #expect(try json.head() == head)
    }

    @Test func newEventsJoinAJSONStoreInBinaryAndTheMixedStoreRestoresExactly() throws {
        let json = try Self.jsonStore()
        let next = Array(HistoryGeneratorTests.history[900..<1_200])
        try json.chronicle.importLines(HistoryGeneratorTests.numbered(next, from: 901), defaultRecordedBy: "tester")
        let events = try json.chronicle.log.events().collect()
        #expect(events.prefix(900).allSatisfy { !BinaryPayload.isBinary($0.payload) })
        #expect(events.dropFirst(900).allSatisfy { BinaryPayload.isBinary($0.payload) })
        #expect(try json.chronicle.log.verify().isSound)
        let exported = try Self.exportLines(json)
        let copy = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        try copy.chronicle.importLines(HistoryGeneratorTests.numbered(exported), defaultRecordedBy: "x")
        #expect(try Self.exportLines(copy) == exported)
        #expect(try copy.chronicle.log.events().collect() == events)
    }
}
