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
