import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// A fabricated version 0 of `MemberJoined`, which called the organisation `org`.
struct MemberJoinedFromVersion0: Upcaster {
    let eventType = "MemberJoined"
    let fromVersion = 0

    func upcast(_ data: JSONValue) throws(DomainError) -> JSONValue {
        guard case .object(var fields) = data else {
            throw DomainError(.notAnObject, field: "data", message: "expected an object")
        }
        if let organisation = fields.removeValue(forKey: "org") {
            fields["organisation"] = organisation
        }
        return .object(fields)
    }
}

/// A fabricated version -1, whose sector was in capitals.
struct MemberJoinedFromVersionMinus1: Upcaster {
    let eventType = "MemberJoined"
    let fromVersion = -1

    func upcast(_ data: JSONValue) throws(DomainError) -> JSONValue {
        guard case .object(var fields) = data, case .string(let sector)? = fields["sector"] else {
            throw DomainError(.upcastFailed, field: "data.sector", message: "expected a sector")
        }
        fields["sector"] = .string(sector.lowercased())
        return .object(fields)
    }
}

@Suite struct UpcasterTests {
    private let version0 = Array(#"{"collaborative":"oldham","member":"ol-17","sector":"health","org":"NHS"}"#.utf8)

    @Test func aVersion0EventIsUpcastWhenRead() throws {
        let chain = UpcasterChain([MemberJoinedFromVersion0()])
        let event = try EventCodec.decode(type: "MemberJoined", schemaVersion: 0, data: version0, upcasters: chain)
        #expect(event == Events.joined("ol-17", "oldham", sector: .health, organisation: "NHS"))
    }

    @Test func withoutItsUpcasterVersion0IsUnsupported() {
        #expect {
            try EventCodec.decode(type: "MemberJoined", schemaVersion: 0, data: version0)
        } throws: { error in
            (error as? DomainError)?.kind == .unsupportedSchemaVersion
        }
    }

    @Test func theLatestVersionIsNotUpcast() {
        let chain = UpcasterChain([MemberJoinedFromVersion0()])
        #expect {
            try EventCodec.decode(type: "MemberJoined", schemaVersion: 1, data: version0, upcasters: chain)
        } throws: { error in
            (error as? DomainError)?.field == "data.org"
        }
    }

    @Test func upcastersChainOneVersionAtATime() throws {
        let chain = UpcasterChain([MemberJoinedFromVersion0(), MemberJoinedFromVersionMinus1()])
        let old = Array(#"{"collaborative":"oldham","member":"ol-17","sector":"HEALTH","org":"NHS"}"#.utf8)
        let event = try EventCodec.decode(type: "MemberJoined", schemaVersion: -1, data: old, upcasters: chain)
        #expect(event == Events.joined("ol-17", "oldham", sector: .health, organisation: "NHS"))
        #expect(chain.canRead(type: "MemberJoined", version: -1))
        #expect(!chain.canRead(type: "MemberLeft", version: 0))
    }

    @Test func aFailingUpcasterReportsItsOwnError() {
        let chain = UpcasterChain([MemberJoinedFromVersionMinus1(), MemberJoinedFromVersion0()])
        let old = Array(#"{"collaborative":"oldham","member":"ol-17"}"#.utf8)
        #expect {
            try EventCodec.decode(type: "MemberJoined", schemaVersion: -1, data: old, upcasters: chain)
        } throws: { error in
            (error as? DomainError)?.description == "data.sector: expected a sector"
        }
    }

    @Test func fieldsAreCheckedAfterUpcasting() {
        let chain = UpcasterChain([MemberJoinedFromVersion0()])
        let bad = Array(#"{"collaborative":"oldham","member":"ol-17","sector":"nurse","org":"NHS"}"#.utf8)
        #expect {
            try EventCodec.decode(type: "MemberJoined", schemaVersion: 0, data: bad, upcasters: chain)
        } throws: { error in
            (error as? DomainError)?.kind == .valueNotAllowed
        }
    }
}

/// A line in an older schema version is stored as the JSON it was given in (personal fields sealed), read
/// upcast, and exported as given, its name opened; the export restores byte for byte.
@Suite struct OlderVersionStoreTests {
    @Test func aVersion0LineIsStoredAsGivenReadUpcastAndExportedAsGiven() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chronicle-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let chain = UpcasterChain([MemberJoinedFromVersion0()])
        let log = try LMDBEventStore(directory: directory, create: true)
        let chronicle = Chronicle(log: log, today: day("2024-09-01"), upcasters: chain)
        let lines = [
            #"{"id":"00000000-0000-0000-0000-000000000001","type":"CollaborativeFormed","occurredAt":"2021-09-01","data":{"collaborative":"oldham","name":"Oldham","anchorOrganisation":"Oldham Council","programmeStart":"2021-09-01"}}"#,
            #"{"id":"00000000-0000-0000-0000-000000000002","type":"MemberJoined","schemaVersion":0,"occurredAt":"2021-11-15","data":{"collaborative":"oldham","member":"ol-17","name":"Sam Smith","sector":"health","org":"NHS"}}"#,
        ]
        try chronicle.importLines(numberedLines(lines.joined(separator: "\n")), defaultRecordedBy: "t")
        let stored = try #require(try log.read { try $0.event(at: 2) })
        #expect(stored.schemaVersion == 0 && !BinaryPayload.isBinary(stored.payload))
        let text = String(decoding: stored.payload, as: UTF8.self)
        #expect(text.contains(#""org":"NHS""#) && text.contains(#""sealed""#) && !text.contains("Sam Smith"))
        guard case .memberJoined(let joined) = try chronicle.reader.decoder.decode(stored) else {
            Issue.record("not a MemberJoined")
            return
        }
        #expect(joined.organisation == "NHS" && joined.name?.isSealed == true)
        var exported: [[UInt8]] = []
        try chronicle.reader.exportLines { exported.append($0) }
        let line = String(decoding: exported[1], as: UTF8.self)
        #expect(line.contains(#""schemaVersion":0"#) && line.contains(#""org":"NHS""#))
        #expect(line.contains(#""name":"Sam Smith""#) && line.contains(#""sealed":{"key""#))

        let copyDirectory = directory + "-copy"
        defer { try? FileManager.default.removeItem(atPath: copyDirectory) }
        let copy = Chronicle(
            log: try LMDBEventStore(directory: copyDirectory, create: true), today: day("2024-09-01"),
            upcasters: chain)
        let summary = try copy.importLines(
            exported.enumerated().map { ($0.offset + 1, $0.element) }, defaultRecordedBy: "x")
        #expect(summary.restored)
        var again: [[UInt8]] = []
        try copy.reader.exportLines { again.append($0) }
        #expect(again == exported)
    }
}
