import Foundation
import Testing

/// `audit succession` (issue 17 item 6): every handover in which nobody overlapped the next holder is
/// flagged, the vacancy as well as the same-day handover; an overlap is not.
@Suite struct SuccessionAuditTests {
    /// The base history's anchor ol-02 ends their tenure on 2022-07-01; ol-17 becomes anchor on `start`.
    private func anchorHandover(startingOn start: String) async throws -> Sandbox {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.record([
            "role-assigned", "--collaborative", "oldham", "--role", "anchor", "--member", "ol-17", "--appointment",
            "formal", "--succeeds", "ol-02", "--on", start,
        ])
        try await sandbox.record([
            "role-ended", "--collaborative", "oldham", "--role", "anchor", "--member", "ol-02", "--on", "2022-07-01",
        ])
        return sandbox
    }

    /// The anchor chain of `audit succession --json`, validated against its schema.
    private func anchorChain(_ sandbox: Sandbox) async throws -> [String: Any] {
        let result = try await sandbox.succeed([
            "audit", "succession", "--collaborative", "oldham", "--as-of", "2024-08-31", "--json",
        ])
        try await validateJSON(result.stdout, schema: "output/audit-succession.v1")
        let document = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let collaboratives = try #require(document["collaboratives"] as? [[String: Any]])
        let chains = try #require(collaboratives.first?["chains"] as? [[String: Any]])
        return try #require(chains.first { $0["role"] as? String == "anchor" })
    }

    @Test func aVacancyBetweenHoldersIsAHandoverWithoutOverlap() async throws {
        let sandbox = try await anchorHandover(startingOn: "2022-07-11")
        let chain = try await anchorChain(sandbox)
        let handovers = try #require(chain["handovers"] as? [[String: Any]])
        #expect(handovers.map { $0["kind"] as? String } == ["vacancy"])
        #expect(handovers.map { $0["gapDays"] as? Int } == [10])
        #expect(handovers.map { $0["withoutOverlap"] as? Bool } == [true])
        #expect(chain["flags"] as? [String] == ["handover-without-overlap"])
        let table = try await sandbox.succeed([
            "audit", "succession", "--collaborative", "oldham", "--as-of", "2024-08-31",
        ])
        let row = try #require(table.stdout.split(separator: "\n").first { $0.contains("ol-17") })
        #expect(row.contains("+10d vacancy") && row.contains("NO OVERLAP"), "\(table.stdout)")
        let csv = try await sandbox.succeed([
            "audit", "succession", "--collaborative", "oldham", "--as-of", "2024-08-31", "--csv",
        ])
        let rows = csv.stdout.components(separatedBy: "\r\n")
        #expect(
            rows.count > 2 && rows.contains { $0.contains(",ol-17,") && $0.contains("NO OVERLAP") }, "\(csv.stdout)")
    }

    @Test func aSameDayHandoverIsStillFlagged() async throws {
        let chain = try await anchorChain(try await anchorHandover(startingOn: "2022-07-01"))
        let handovers = try #require(chain["handovers"] as? [[String: Any]])
        #expect(handovers.map { $0["kind"] as? String } == ["without-overlap"])
        #expect(handovers.map { $0["withoutOverlap"] as? Bool } == [true])
        #expect(chain["flags"] as? [String] == ["handover-without-overlap"])
    }

    @Test func anOverlapIsNotFlaggedAsAHandoverWithoutOverlap() async throws {
        let chain = try await anchorChain(try await anchorHandover(startingOn: "2022-06-20"))
        let handovers = try #require(chain["handovers"] as? [[String: Any]])
        #expect(handovers.map { $0["kind"] as? String } == ["overlap"])
        #expect(handovers.map { $0["withoutOverlap"] as? Bool } == [false])
        #expect(chain["flags"] as? [String] == [])
    }
}
