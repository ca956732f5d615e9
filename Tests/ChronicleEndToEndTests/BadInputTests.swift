import Foundation
import Testing

/// One bad NDJSON line, and what the one-line error must name besides `line 2`.
struct BadLine: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let fragments: [String]

    init(_ name: String, _ line: String, _ fragments: [String]) {
        self.init(name, bytes: Array(line.utf8), fragments)
    }

    init(_ name: String, bytes: [UInt8], _ fragments: [String]) {
        self.name = name
        self.bytes = bytes
        self.fragments = fragments
    }

    var testDescription: String { name }

    /// A `MemberJoined` of ol-50 to oldham whose `data` has `extra` added to the valid fields.
    static func joining(_ extra: String = "", occurredAt: String = "2022-01-01", envelope: String = "") -> String {
        #"{"type":"MemberJoined","occurredAt":"\#(occurredAt)"\#(envelope),"data":{"collaborative":"oldham","member":"ol-50","sector":"health"\#(extra)}}"#
    }

    static let all: [BadLine] = [
        BadLine(
            "malformed JSON", #"{"type":"MemberJoined","occurredAt":"2022-01-01","data":{"member":"ol-50""#,
            ["invalid JSON"]),
        BadLine("not an object", "[1,2]", ["object"]),
        BadLine(
            "unknown type",
            #"{"type":"MemberJoinedTwice","occurredAt":"2022-01-01","data":{"collaborative":"oldham","member":"ol-50","sector":"health"}}"#,
            ["type", "MemberJoinedTwice"]),
        BadLine("unknown top-level field", joining(envelope: #","colour":"red""#), ["colour", "unknown field"]),
        BadLine("unknown data field", joining(#","shoe":"9""#), ["data.shoe", "unknown field"]),
        BadLine(
            "missing data field",
            #"{"type":"MemberJoined","occurredAt":"2022-01-01","data":{"collaborative":"oldham","member":"ol-50"}}"#,
            ["data.sector"]),
        BadLine(
            "wrong enum value",
            #"{"type":"MemberJoined","occurredAt":"2022-01-01","data":{"collaborative":"oldham","member":"ol-50","sector":"dentistry"}}"#,
            ["data.sector", "dentistry"]),
        BadLine(
            "count of the wrong JSON type",
            #"{"type":"SurveyWaveClosed","occurredAt":"2023-07-14","data":{"collaborative":"oldham","wave":"2023","invited":"twelve","responded":9}}"#,
            ["data.invited"]),
        BadLine("impossible date", joining(occurredAt: "2023-02-30"), ["occurredAt", "2023-02-30"]),
        BadLine("future date", joining(occurredAt: "2025-01-01"), ["not-in-future", "2025-01-01"]),
        BadLine(
            "slug with capitals",
            #"{"type":"MemberJoined","occurredAt":"2022-01-01","data":{"collaborative":"oldham","member":"Ol-50","sector":"health"}}"#,
            ["data.member", "Ol-50"]),
        BadLine(
            "1 MB string field", joining(#","organisation":"\#(String(repeating: "x", count: 1 << 20))""#),
            ["data.organisation"]),
        BadLine("empty text field", joining(#","organisation":"""#), ["data.organisation"]),
        BadLine(
            "recordedBy longer than 200 characters",
            joining(envelope: #","recordedBy":"\#(String(repeating: "a", count: 300))""#), ["recordedBy"]),
        BadLine(
            "invalid UTF-8",
            bytes: Array(joining(#","organisation":"Caf"#).utf8) + [0xC3, 0x28] + Array(#""}}"#.utf8),
            ["UTF-8"]),
        BadLine("id that is not a UUID", joining(envelope: #","id":"nope""#), ["id", "nope"]),
        BadLine("newer schema version", joining(envelope: #","schemaVersion":2"#), ["schemaVersion"]),
        BadLine(
            "output-only recordedAt", joining(envelope: #","recordedAt":"2024-01-01T00:00:00Z""#), ["recordedAt"]),
        BadLine("output-only seq", joining(envelope: #","seq":14"#), ["seq"]),
        BadLine("output-only hash", joining(envelope: #","hash":"\#(String(repeating: "a", count: 64))""#), ["hash"]),
    ]
}

/// Bad input to `chronicle import`: exit 65, a one-line error naming the line (and the field where
/// there is one), nothing written.
@Suite struct BadInputTests {
    /// A valid line that precedes every bad one, so that the error must name line 2 and the import
    /// must write neither.
    static let validFirstLine =
        #"{"type":"SurveyWaveClosed","occurredAt":"2023-07-14","data":{"collaborative":"oldham","wave":"2023","invited":12,"responded":9}}"#

    @Test(arguments: BadLine.all)
    func badLineIsRefusedNamingTheLineAndTheField(_ bad: BadLine) async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let contents = Data(Self.validFirstLine.utf8) + Data([0x0A]) + Data(bad.bytes) + Data([0x0A])
        let path = try sandbox.file("bad.ndjson", contents)
        let result = try await sandbox.expectRefusal(["import", path], mentioning: ["line 2"] + bad.fragments)
        #expect(result.stderr.utf8.count < 2000, "the error should not echo the whole line")
    }

    @Test func slugWithCapitalsInAFlagIsRefusedNamingTheFlag() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-joined", "--collaborative", "oldham", "--member", "Ol-50", "--sector", "health",
                "--on", "2022-01-01",
            ],
            mentioning: ["--member", "Ol-50"])
    }

    @Test func impossibleDateInAFlagIsRefusedNamingTheFlag() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-joined", "--collaborative", "oldham", "--member", "ol-50", "--sector", "health",
                "--on", "2023-02-30",
            ],
            mentioning: ["--on", "2023-02-30"])
    }

    @Test func overlongTextInAFlagIsRefusedNamingTheFlag() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-joined", "--collaborative", "oldham", "--member", "ol-50", "--sector", "health",
                "--organisation", String(repeating: "x", count: 201), "--on", "2022-01-01",
            ],
            mentioning: ["--organisation"])
    }
}
