import Foundation
import Testing

/// Issue 17 item 4: the people behind the figures of `report attrition`, `report attendance` and `report
/// coaching`, in JSON (validated against the schemas) and CSV always, in tables with `--people`, with a
/// member's name beside the slug until their personal data is erased.
@Suite struct PeopleBehindTheFiguresTests {
    private static let asOf = ["--collaborative", "oldham", "--as-of", "2024-08-31"]

    /// `report <kind> --json`, validated, as a dictionary.
    private func json(_ sandbox: Sandbox, _ kind: String, _ extra: [String] = []) async throws -> [String: Any] {
        let result = try await sandbox.succeed(["report", kind, "--json"] + Self.asOf + extra)
        try await validateJSON(result.stdout, schema: "output/report-\(kind).v1")
        let document = try #require(JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let collaboratives = try #require(document["collaboratives"] as? [[String: Any]])
        return try #require(collaboratives.first)
    }

    /// `report <kind> --csv`: the header and the records (CRLF-separated; no field here holds a line break).
    private func csv(_ sandbox: Sandbox, _ kind: String, _ extra: [String] = []) async throws -> [[String: String]] {
        let result = try await sandbox.succeed(["report", kind, "--csv"] + Self.asOf + extra)
        let lines = result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = try #require(lines.first).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return lines.dropFirst().map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(uniqueKeysWithValues: zip(header, fields))
        }
    }

    private func table(_ sandbox: Sandbox, _ kind: String, _ extra: [String] = []) async throws -> String {
        try await sandbox.succeed(["report", kind] + Self.asOf + extra).stdout
    }

    @Test func attritionListsWhoJoinedAndWhoLeftAndTheConstantSample() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await json(sandbox, "attrition")
        let periods = try #require(report["periods"] as? [[String: Any]])
        let joiners = try #require(periods.first?["joiners"] as? [[String: String]])
        #expect(joiners.map { $0["member"] } == ["ol-02", "staff-01", "ol-03", "ol-17"])
        #expect(joiners.last == ["member": "ol-17", "date": "2021-11-15", "sector": "secondary-school"])
        let leavers = try #require(periods.dropFirst().first?["leavers"] as? [[String: String]])
        #expect(
            leavers == [["member": "ol-03", "date": "2023-07-20", "sector": "primary-school", "reason": "capacity"]])
        let sample = try #require(report["constantSample"] as? [[String: String]])
        #expect(sample.map { $0["member"] } == ["ol-02", "ol-17", "staff-01"])

        let rows = try await csv(sandbox, "attrition").filter { $0["sector"] == "" }
        #expect(rows.first?["joined_members"]?.hasSuffix(";ol-17 2021-11-15 secondary-school") == true, "\(rows)")
        #expect(rows.dropFirst().first?["left_members"] == "ol-03 2023-07-20 primary-school capacity")
        #expect(rows.first?["constant_sample"] == "ol-02;ol-17;staff-01")

        let plain = try await table(sandbox, "attrition")
        #expect(!plain.contains("who joined and who left"))
        #expect(
            plain.contains("constant sample (active in every period): 3 members: ol-02 (Pat Anchor), ol-17, staff-01"))
        let people = try await table(sandbox, "attrition", ["--people"])
        let row = try #require(people.split(separator: "\n").first { $0.contains("2023-07-20") && $0.contains("left") })
        #expect(row.contains("ol-03") && row.contains("primary-school") && row.contains("capacity"), "\(people)")
        #expect(people.split(separator: "\n").contains { $0.contains("joined") && $0.contains("ol-02 (Pat Anchor)") })
    }

    @Test func attendanceListsWhoCameWhoWasAbsentAndWhatLapsingMembersMissed() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await json(sandbox, "attendance", ["--lapsing-after", "1"])
        let workshop = try #require((report["workshops"] as? [[String: Any]])?.first)
        #expect(workshop["attendeesCounted"] as? [String] == ["ol-03", "ol-17"])
        #expect(workshop["absentMembers"] as? [String] == ["ol-02", "staff-01"])
        let lapsing = try #require(report["lapsingMembers"] as? [[String: Any]])
        #expect(lapsing.map { $0["member"] as? String } == ["ol-02", "staff-01"])
        #expect(lapsing.first?["missed"] as? [[String: String]] == [["workshop": "ol-ws-01", "date": "2022-03-10"]])

        let rows = try await csv(sandbox, "attendance", ["--lapsing-after", "1"])
        #expect(rows.first?["attendees_by_workshop"] == "ol-ws-01 2022-03-10 ol-03 ol-17", "\(rows)")
        #expect(rows.first?["absent_by_workshop"] == "ol-ws-01 2022-03-10 ol-02 staff-01")
        #expect(rows.last?["lapsing_members"] == "ol-02 ol-ws-01;staff-01 ol-ws-01")

        let plain = try await table(sandbox, "attendance", ["--lapsing-after", "1"])
        #expect(!plain.contains("who came and who did not"))
        #expect(
            plain.split(separator: "\n").contains { $0.hasPrefix("ol-02 (Pat Anchor)") && $0.hasSuffix("ol-ws-01") })
        let people = try await table(sandbox, "attendance", ["--people"])
        let section = try #require(people.components(separatedBy: "who came and who did not").last)
        let row = try #require(section.split(separator: "\n").first { $0.hasPrefix("2022-03-10  ol-ws-01") })
        #expect(row.contains("ol-03, ol-17") && row.hasSuffix("ol-02 (Pat Anchor), staff-01"), "\(people)")
    }

    @Test func coachingListsTheDistinctAttendees() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await json(sandbox, "coaching")
        let periods = try #require(report["periods"] as? [[String: Any]])
        let totals = periods.compactMap { ($0["total"] as? [String: Any])?["attendees"] as? [String] }
        #expect(totals == [["ol-17"], [], []], "\(totals)")
        let rows = try await csv(sandbox, "coaching")
        #expect(rows.contains { $0["scope"] == "collaborative" && $0["attendees"] == "ol-17" }, "\(rows)")
        #expect(!(try await table(sandbox, "coaching")).contains("who attended"))
        let people = try await table(sandbox, "coaching", ["--people"])
        #expect(people.contains("who attended:"))
        #expect(
            people.split(separator: "\n").contains {
                $0.hasPrefix("Year 1") && $0.contains("(all)") && $0.hasSuffix("ol-17")
            })
    }

    @Test func erasureHidesTheNameButKeepsTheSlug() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let commands = [
            ["report", "attrition", "--people"], ["report", "attendance", "--people", "--lapsing-after", "1"],
            ["audit", "succession"],
        ]
        for command in commands {
            let text = try await sandbox.succeed(command + Self.asOf).stdout
            #expect(text.contains("ol-02 (Pat Anchor)"), "\(command): \(text)")
        }
        try await sandbox.succeed(["erase", "member", "ol-02", "--reason", "request 2024-031"])
        for command in commands {
            let text = try await sandbox.succeed(command + Self.asOf).stdout
            #expect(!text.contains("Pat Anchor"), "\(command): \(text)")
            #expect(text.contains("ol-02"), "\(command): \(text)")
        }
    }
}
