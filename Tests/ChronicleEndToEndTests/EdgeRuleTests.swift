import Foundation
import Testing

/// Issue 17 item 13: the rules users meet at the edges, as the README's Definitions state them, checked
/// against the binary: a 29 February programme start, the sector of a member active on no day of a
/// period, a role ended on the holder's leave day, a holder who leaves and re-joins on one day, retention
/// with nobody at the start, and a handover whose previous holder is still in post.
@Suite struct EdgeRuleTests {
    /// `chronicle <arguments> --json`, validated against `schema`, as a dictionary.
    private func json(_ sandbox: Sandbox, _ arguments: [String], schema: String) async throws -> [String: Any] {
        let result = try await sandbox.succeed(arguments + ["--json"])
        try await validateJSON(result.stdout, schema: "output/\(schema).v1")
        let document = try #require(JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let collaboratives = try #require(document["collaboratives"] as? [[String: Any]])
        return try #require(collaboratives.first)
    }

    /// The attrition periods of `collaborative`.
    private func attrition(_ sandbox: Sandbox, _ collaborative: String, _ extra: [String] = []) async throws
        -> [[String: Any]]
    {
        let report = try await json(
            sandbox, ["report", "attrition", "--collaborative", collaborative] + extra, schema: "report-attrition")
        return try #require(report["periods"] as? [[String: Any]])
    }

    /// The anchor chain of oldham in `audit succession`.
    private func anchorChain(_ sandbox: Sandbox) async throws -> [String: Any] {
        let report = try await json(
            sandbox, ["audit", "succession", "--collaborative", "oldham"], schema: "audit-succession")
        let chains = try #require(report["chains"] as? [[String: Any]])
        return try #require(chains.first { $0["role"] as? String == "anchor" })
    }

    private func importEvents(_ sandbox: Sandbox, _ events: [(type: String, day: String, data: String)]) async throws {
        let lines = events.enumerated().map { index, event in
            #"{"id":"00000000-0000-4000-8000-\#(String(format: "%012d", 500 + index))","type":"\#(event.type)","#
                + #""occurredAt":"\#(event.day)","data":{\#(event.data)}}"#
        }
        try await sandbox.importNDJSON(lines.joined(separator: "\n") + "\n")
    }

    @Test func programmeYearsFromA29FebruaryStartBeginOn28FebruaryInCommonYearsCountedFromTheStart() async throws {
        let sandbox = try await Sandbox.initialised()
        try await importEvents(
            sandbox,
            [
                (
                    "CollaborativeFormed", "2020-02-29",
                    #""collaborative":"leap","name":"Leap","anchorOrganisation":"Leap Council","programmeStart":"2020-02-29""#
                )
            ])
        let periods = try await attrition(sandbox, "leap", ["--as-of", "2024-08-31"])
        #expect(
            periods.map { $0["firstDay"] as? String } == [
                "2020-02-29", "2021-02-28", "2022-02-28", "2023-02-28", "2024-02-29",
            ])
        #expect(periods.map { $0["label"] as? String } == ["Year 1", "Year 2", "Year 3", "Year 4", "Year 5"])
        #expect(periods[3]["lastDay"] as? String == "2024-02-28")
    }

    @Test func aMemberActiveOnNoDayOfAPeriodCountsUnderTheirSectorOnTheJoinDay() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await importEvents(
            sandbox,
            [
                ("MemberJoined", "2024-03-05", #""collaborative":"oldham","member":"ol-50","sector":"health""#),
                ("MemberLeft", "2024-03-05", #""collaborative":"oldham","member":"ol-50","reason":"relevance""#),
            ])
        let periods = try await attrition(
            sandbox, "oldham", ["--by", "month", "--from", "2024-03-01", "--to", "2024-03-31", "--by-sector"])
        let march = try #require(periods.first)
        #expect(march["joined"] as? Int == 1 && march["left"] as? Int == 1, "\(march)")
        let sectors = try #require(march["sectors"] as? [[String: Any]])
        let health = try #require(sectors.first { $0["sector"] as? String == "health" }, "\(sectors)")
        #expect(health["joined"] as? Int == 1 && health["left"] as? Int == 1 && health["atEnd"] as? Int == 0)
    }

    @Test func aRoleEndedOnTheHoldersLeaveDayIsRoleEndedNotEndedByLeaving() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await importEvents(
            sandbox,
            [
                // The leave comes first on the timeline: it ends the tenure, and the RoleEnded of that day
                // then says how it ended.
                ("MemberLeft", "2024-03-01", #""collaborative":"oldham","member":"ol-02","reason":"capacity""#),
                ("RoleEnded", "2024-03-01", #""collaborative":"oldham","role":"anchor","member":"ol-02""#),
            ])
        let chain = try await anchorChain(sandbox)
        let tenures = try #require(chain["tenures"] as? [[String: Any]])
        #expect(tenures.map { $0["end"] as? String } == ["2024-03-01"])
        #expect(tenures.map { $0["endedByLeaving"] as? Bool } == [false])
        #expect(!(chain["flags"] as? [String] ?? []).contains("ended-by-leaving"), "\(chain)")
    }

    @Test func aHolderWhoLeavesAndRejoinsOnOneDayStaysAMemberButLosesTheRole() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await importEvents(
            sandbox,
            [
                ("MemberLeft", "2024-03-01", #""collaborative":"oldham","member":"ol-02","reason":"other""#),
                ("MemberJoined", "2024-03-01", #""collaborative":"oldham","member":"ol-02","sector":"la-education""#),
            ])
        let chain = try await anchorChain(sandbox)
        let tenures = try #require(chain["tenures"] as? [[String: Any]])
        #expect(tenures.map { $0["end"] as? String } == ["2024-03-01"])
        #expect(tenures.map { $0["endedByLeaving"] as? Bool } == [true])
        #expect(chain["vacant"] as? Bool == true)
        let periods = try await attrition(
            sandbox, "oldham", ["--by", "month", "--from", "2024-03-01", "--to", "2024-03-31"])
        let march = try #require(periods.first)
        #expect(march["joined"] as? Int == 1 && march["left"] as? Int == 1, "\(march)")
        #expect(
            march["atStart"] as? Int == march["atEnd"] as? Int && march["retained"] as? Int == march["atStart"] as? Int)
    }

    @Test func retentionWithNobodyAtTheStartIsNull() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let periods = try await attrition(sandbox, "rochdale", ["--as-of", "2022-06-30"])
        let first = try #require(periods.first)
        #expect(first["atStart"] as? Int == 0 && first["joined"] as? Int == 1)
        #expect(first["retentionRate"] is NSNull, "\(first)")
        #expect(first["attritionRate"] as? Double == 0)
    }

    @Test func aHandoverWhoseFormerHolderIsStillInPostIsAnOverlapWithNoGap() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.record([
            "role-assigned", "--collaborative", "oldham", "--role", "anchor", "--member", "ol-17", "--appointment",
            "formal", "--succeeds", "ol-02", "--on", "2024-03-01",
        ])
        let chain = try await anchorChain(sandbox)
        let handovers = try #require(chain["handovers"] as? [[String: Any]])
        #expect(handovers.count == 1)
        let handover = try #require(handovers.first)
        #expect(handover["kind"] as? String == "overlap" && handover["gapDays"] is NSNull)
        #expect(handover["previousEnd"] is NSNull && handover["withoutOverlap"] as? Bool == false)
        #expect(handover["longGap"] as? Bool == false)
        #expect(chain["flags"] as? [String] == [], "\(chain)")
        let tenures = try #require(chain["tenures"] as? [[String: Any]])
        #expect(tenures.last?["succeedsSomeoneElse"] as? Bool == false)
    }
}
