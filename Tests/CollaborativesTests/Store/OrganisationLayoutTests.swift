import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// A member's organisation is sealed with their key since binary layout 2; stores written before it keep
/// organisations in clear in layout 1 payloads under their hashes, and those read, export, restore and take
/// idempotent retries exactly as before.
@Suite struct OrganisationLayoutTests {
    /// The first 900 lines of the generated history (every prefix is valid), with names and notes.
    static let lines = Array(HistoryGeneratorTests.history.prefix(900))

    static func drafts(_ lines: some Sequence<[UInt8]>) throws -> [Draft] {
        try lines.map { try Draft(line: try InterchangeLine.parse($0), defaultRecordedBy: "tester") }
    }

    static func exportLines(_ store: TemporaryChronicle) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        try store.chronicle.reader.exportLines { lines.append($0) }
        return lines
    }

    /// The members the history erases.
    static let erasedMembers: Set<String> = Set(
        lines.compactMap { line in
            guard case .object(let members)? = try? JSONValue(parsing: line),
                members["type"] == .string(PersonalDataErased.typeName), case .object(let data)? = members["data"],
                case .string(let member)? = data["member"]
            else { return nil }
            return member
        })

    /// An export line without what two stores of one history hold differently: the `hash` (the layouts
    /// differ), the `sealed` keys (each store makes its own), and an erased member's organisation (a store
    /// before binary layout 2 keeps it in clear, a newer one sealed).
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

    /// Appends `drafts` as an earlier build stored them: keys of erased members deleted, a key made for a
    /// member when `sealsAny` says that build sealed some of the event's personal fields, and each payload as
    /// `payload` makes it (given that key, nil when nothing was sealed).
    static func appendAsEarlierBuild(
        _ drafts: [Draft], to chronicle: Chronicle, sealsAny: @escaping (PersonalFields) -> Bool,
        payload: @escaping (Draft, SubjectKey?) throws -> [UInt8]
    ) throws {
        try chronicle.log.append(
            drafts.map(\.newEvent), expecting: [:],
            hooks: Preparing { writer, batch in
                try zip(batch, drafts).map { event, draft in
                    if case .personalDataErased(let erasure) = draft.event {
                        try writer.deleteSubjectKey(PersonalDataSeal.subject(of: erasure.member))
                    }
                    var key: SubjectKey?
                    if let personal = draft.event.personalData, sealsAny(personal) {
                        key = try writer.createSubjectKeyIfAbsent(PersonalDataSeal.subject(of: personal.member))
                    }
                    var stored = event
                    stored.payload = try payload(draft, key)
                    return stored
                }
            })
    }

    /// Appends `drafts` as a store before layout 2 did: binary layout 1, the name (and notes, reasons)
    /// sealed, the organisation in clear, keys of erased members deleted.
    static func appendAsLayout1(_ drafts: [Draft], to chronicle: Chronicle) throws {
        try appendAsEarlierBuild(
            drafts, to: chronicle,
            sealsAny: { personal in
                personal.values.enumerated().contains { $1 != nil && personal.fields[$0] != "organisation" }
            },
            payload: { draft, key in
                guard let key else { return EventCodec.storedPayloadWithOrganisationInClear(of: draft.event) }
                return EventCodec.storedPayloadWithOrganisationInClear(
                    of: try PersonalDataSeal.seal(draft.event, key: key, eventID: draft.id)
                        .withPersonalValues(PersonalFields.onceInClear, from: draft.event))
            })
    }

    static func layout1Store() throws -> TemporaryChronicle {
        let store = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        try appendAsLayout1(try Self.drafts(lines), to: store.chronicle)
        return store
    }

    /// The organisations the history gives, as stored text.
    static func organisations() throws -> Set<String> {
        var found = Set<String>()
        for draft in try Self.drafts(lines) {
            switch draft.event {
            case .memberJoined(let joined): if let text = joined.organisation?.plainText { found.insert(text) }
            case .memberDetailsChanged(let changed):
                if let text = changed.organisation?.plainText { found.insert(text) }
            default: break
            }
        }
        return found
    }

    static func holdsAnOrganisation(_ event: RecordedEvent, _ organisations: Set<String>) -> Bool {
        organisations.contains { event.payload.firstRange(of: Array($0.utf8)) != nil }
    }

    @Test func aNewStoreSealsEveryOrganisationAndOpensItWithTheKey() throws {
        let store = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        try store.chronicle.importLines(HistoryGeneratorTests.numbered(Self.lines), defaultRecordedBy: "tester")
        let organisations = try Self.organisations()
        #expect(organisations.count > 3)
        let events = try store.chronicle.log.events().collect()
        #expect(!events.contains { Self.holdsAnOrganisation($0, organisations) })
        #expect(events.contains { $0.payload.first == BinaryPayload.personalOrganisationLayout })
        // Opened with the key in an export, unless the member was erased.
        let exported = try Self.exportLines(store).map { String(decoding: $0, as: UTF8.self) }
        #expect(organisations.contains { organisation in exported.contains { $0.contains(organisation) } })
        #expect(exported.contains { $0.contains(#""erased":{"#) && $0.contains(#""organisation":""#) })
    }

    @Test func aLayout1StoreKeepsItsOrganisationsInClearAndExportsAndRestoresByteForByte() throws {
        let old = try Self.layout1Store()
        let organisations = try Self.organisations()
        let events = try old.chronicle.log.events().collect()
        #expect(events.allSatisfy { $0.payload.first == BinaryPayload.layout })
        #expect(events.contains { Self.holdsAnOrganisation($0, organisations) })
        #expect(try old.chronicle.log.verify().isSound)
        // It reads as the same history as a new store's (hashes and keys aside).
        let new = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        try new.chronicle.importLines(HistoryGeneratorTests.numbered(Self.lines), defaultRecordedBy: "tester")
        let exported = try Self.exportLines(old)
        #expect(
            try exported.map(Self.comparable)
                == Self.exportLines(new).map(Self.comparable))
        let copy = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        let summary = try copy.chronicle.importLines(HistoryGeneratorTests.numbered(exported), defaultRecordedBy: "x")
        #expect(summary.restored && summary.appended == exported.count)
        #expect(try copy.chronicle.log.events().collect() == events)
        #expect(try Self.exportLines(copy) == exported)
    }

    @Test func reappendingEventsStoredInLayout1IsAnIdempotentRetry() throws {
        let old = try Self.layout1Store()
        let head = try old.head()
        let retries = try Self.retries()
        #expect(retries.contains { if case .memberJoined(let j) = $0.event { j.organisation != nil } else { false } })
        let result = try old.chronicle.append(retries)
        #expect(result.duplicates.count == retries.count && result.appended.isEmpty)
        #expect(try old.head() == head)
        let export = try Self.exportLines(old)
        let summary = try old.chronicle.importLines(HistoryGeneratorTests.numbered(export), defaultRecordedBy: "x")
        #expect(summary.duplicates == export.count && summary.appended == 0)
    }

    @Test func aRetryOfALayout1EventDifferingOnlyInAnotherFieldOrInTheUnicodeFormOfItsTextIsRefused() throws {
        let old = try Self.layout1Store()
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
        try Self.appendAsLayout1([variant(organisation: "Caf\u{E9}")], to: old.chronicle)
        let head = try old.head()
        let same = try old.chronicle.append([variant(organisation: "Caf\u{E9}")])
        #expect(same.duplicates.count == 1 && same.appended.isEmpty)
        for other in [variant(organisation: "Cafe\u{301}"), variant(organisation: "Caf\u{E9}", sector: .camhs)] {
            #expect {
                try old.chronicle.append([other])
            } throws: { error in
                if case EventLogError.duplicateIDWithDifferentContent = error { true } else { false }
            }
        }
        #expect(try old.head() == head)
    }
}

/// Stores written before the binary layout, with JSON payloads, were only the old demo's (issue 18, item 6):
/// such a store still reads and exports as the same history, but its export is no longer restored, and
/// nothing of one is written.
@Suite struct JSONPayloadExportTests {
    /// Appends `drafts` as a store before the binary layout did: canonical JSON, personal fields sealed in
    /// it but the organisation (sealed only since binary layout 2), keys of erased members deleted.
    static func appendAsJSON(_ drafts: [Draft], to chronicle: Chronicle) throws {
        try OrganisationLayoutTests.appendAsEarlierBuild(
            drafts, to: chronicle, sealsAny: { $0.values.contains { $0 != nil } },
            payload: { draft, key in
                guard let key else { return draft.data.canonicalBytes }
                return try PersonalDataSeal.seal(
                    draft.data, of: draft.event, key: key, eventID: draft.id, keepingInClear: PersonalFields.onceInClear
                )
                .canonicalBytes
            })
    }

    @Test func aStoreWithJSONPayloadsReadsAndExportsAsTheSameHistoryAsABinaryOne() throws {
        let json = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        try Self.appendAsJSON(try OrganisationLayoutTests.drafts(OrganisationLayoutTests.lines), to: json.chronicle)
        let binary = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        try binary.chronicle.importLines(
            HistoryGeneratorTests.numbered(OrganisationLayoutTests.lines), defaultRecordedBy: "tester")
        let jsonEvents = try json.chronicle.log.events().collect()
        #expect(jsonEvents.allSatisfy { !BinaryPayload.isBinary($0.payload) })
        #expect(jsonEvents.contains { $0.payload.firstRange(of: Array("\"sealed\"".utf8)) != nil })
        #expect(jsonEvents.contains { $0.type == PersonalDataErased.typeName })
        #expect(
            try OrganisationLayoutTests.exportLines(json).map(OrganisationLayoutTests.comparable)
                == OrganisationLayoutTests.exportLines(binary).map(OrganisationLayoutTests.comparable))
        #expect(try json.chronicle.log.verify().isSound)
        #expect(try json.chronicle.reader.verifyRules().findings.isEmpty)
    }

    @Test func anExportOfAStoreWithJSONPayloadsIsRefusedAndWritesNothing() throws {
        let drafts = try OrganisationLayoutTests.drafts(OrganisationLayoutTests.lines.prefix(3))
        let json = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        try json.chronicle.log.append(
            drafts.map { draft in
                var event = draft.newEvent
                event.payload = draft.data.canonicalBytes
                return event
            })
        let exported = try OrganisationLayoutTests.exportLines(json)
        #expect(exported.count == 3)
        let copy = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        #expect(throws: InputError.self) {
            try copy.chronicle.importLines(HistoryGeneratorTests.numbered(exported), defaultRecordedBy: "x")
        }
        #expect(try copy.head().seq == 0)
    }

    @Test func reimportingTheExportOfAStoreWithJSONPayloadsIntoItSaysTheyAreJSONPayloadsAndWritesNothing() throws {
        let drafts = try OrganisationLayoutTests.drafts(OrganisationLayoutTests.lines.prefix(3))
        let json = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        try Self.appendAsJSON(drafts, to: json.chronicle)
        let exported = try OrganisationLayoutTests.exportLines(json)
        let head = try json.head()
        let error = try #require(throws: InputError.self) {
            try json.chronicle.importLines(HistoryGeneratorTests.numbered(exported), defaultRecordedBy: "x")
        }
        #expect(error.line == 1)
        #expect(
            error.message
                == "event \(drafts[0].id.uuidString.lowercased()) is stored here with a JSON payload, written by a "
                + "Chronicle before the binary payload layout, and an export of such a store is not imported back: "
                + "this store already holds its events (to move the history to another store, import its lines "
                + "without the output-only fields)")
        #expect(try json.head() == head)
    }
}

/// How the layout byte tells an organisation in clear (layout 1) from personal text (layout 2).
@Suite struct OrganisationLayoutBytesTests {
    static let joined = Events.joined("ol-17", "oldham", sector: .health, organisation: "Hathershaw College")

    @Test func aLayout1OrganisationReadsAsPlainTextAndALayout2OneAsPersonalText() throws {
        let old = EventCodec.storedPayloadWithOrganisationInClear(of: Self.joined)
        let new = EventCodec.storedPayload(of: Self.joined)
        #expect(old.first == BinaryPayload.layout && new.first == BinaryPayload.personalOrganisationLayout)
        #expect(old != new)
        for payload in [old, new] {
            let event = try EventCodec.decode(type: "MemberJoined", schemaVersion: 1, storedPayload: payload)
            #expect(event == Self.joined)
        }
    }

    @Test func withoutAnOrganisationBothLayoutsAreTheSameBytesAndLayout2IsRefused() throws {
        let none = Events.joined("ol-17", "oldham", sector: .health)
        let payload = EventCodec.storedPayload(of: none)
        #expect(payload == EventCodec.storedPayloadWithOrganisationInClear(of: none))
        #expect(payload.first == BinaryPayload.layout)
        var relabelled = payload
        relabelled[0] = BinaryPayload.personalOrganisationLayout
        #expect(throws: DomainError.self) {
            try EventCodec.decode(type: "MemberJoined", schemaVersion: 1, storedPayload: relabelled)
        }
    }
}
