import Foundation
import Testing

/// Issue 17 items 11 and 12: a report `--by PERIOD --from D --to D` cuts its first and last periods at the
/// range asked for (marked partial), so no event outside it is ever counted; rates in JSON and CSV are
/// rounded to six decimals and written in their shortest form; every CSV list is joined by `;`.
@Suite struct ReportRangeTests {
    /// The base history, then in oldham: ol-40 joins on 1 February 2024, ol-42 on 20 February, ol-41 on
    /// 29 February, the day ol-40 leaves.
    private static func historyWithALeapDay() async throws -> Sandbox {
        let sandbox = try await Sandbox.withBaseHistory()
        let events = [
            ("000000000101", "2024-02-01", #""type":"MemberJoined""#, #""member":"ol-40","sector":"health""#),
            ("000000000102", "2024-02-20", #""type":"MemberJoined""#, #""member":"ol-42","sector":"health""#),
            ("000000000103", "2024-02-29", #""type":"MemberJoined""#, #""member":"ol-41","sector":"health""#),
            ("000000000104", "2024-02-29", #""type":"MemberLeft""#, #""member":"ol-40","reason":"capacity""#),
        ]
        let lines = events.map { id, day, type, data in
            #"{"id":"00000000-0000-4000-8000-\#(id)",\#(type),"occurredAt":"\#(day)","#
                + #""data":{"collaborative":"oldham",\#(data)}}"#
        }
        try await sandbox.importNDJSON(lines.joined(separator: "\n") + "\n")
        return sandbox
    }

    /// `report <kind> --json` for oldham, validated against its schema; the periods of oldham.
    private func periods(_ sandbox: Sandbox, _ kind: String, _ extra: [String]) async throws -> [[String: Any]] {
        let result = try await sandbox.succeed(["report", kind, "--collaborative", "oldham", "--json"] + extra)
        try await validateJSON(result.stdout, schema: "output/report-\(kind).v1")
        let document = try #require(JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let collaboratives = try #require(document["collaboratives"] as? [[String: Any]])
        return try #require(collaboratives.first?["periods"] as? [[String: Any]])
    }

    @Test func aMonthCutAtFromAndToCountsNoJoinOrLeaveDatedAfterTo() async throws {
        let sandbox = try await Self.historyWithALeapDay()
        let range = ["--by", "month", "--from", "2024-02-15", "--to", "2024-02-28"]
        let periods = try await periods(sandbox, "attrition", range)
        #expect(periods.count == 1)
        let february = try #require(periods.first)
        #expect(february["label"] as? String == "2024-02")
        #expect(february["firstDay"] as? String == "2024-02-15")
        #expect(february["lastDay"] as? String == "2024-02-28")
        #expect(february["partial"] as? Bool == true)
        #expect(february["joined"] as? Int == 1 && february["left"] as? Int == 0, "\(february)")
        let joiners = try #require(february["joiners"] as? [[String: String]])
        #expect(joiners.map { $0["member"] } == ["ol-42"])

        let table = try await sandbox.succeed(["report", "attrition", "--collaborative", "oldham"] + range).stdout
        #expect(table.contains("2024-02-28*") && table.contains("* partial:"), "\(table)")
    }

    @Test func anAcademicYearCutAtToIsReportedOnlyUpToTo() async throws {
        let sandbox = try await Self.historyWithALeapDay()
        let periods = try await periods(sandbox, "attrition", ["--by", "academic-year", "--to", "2022-09-01"])
        #expect(periods.map { $0["label"] as? String } == ["2021/22", "2022/23"])
        let whole = try #require(periods.first)
        #expect(whole["lastDay"] as? String == "2022-08-31" && whole["partial"] as? Bool == false)
        let cut = try #require(periods.last)
        #expect(cut["firstDay"] as? String == "2022-09-01" && cut["lastDay"] as? String == "2022-09-01")
        #expect(cut["partial"] as? Bool == true)
        // ol-03 left on 2023-07-20, inside 2022/23 but after --to.
        #expect(cut["left"] as? Int == 0, "\(cut)")
    }

    @Test func aCoachingMonthCutAtFromCountsNoSessionBeforeFrom() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let periods = try await periods(
            sandbox, "coaching", ["--by", "month", "--from", "2022-03-05", "--to", "2022-03-31"])
        let march = try #require(periods.first)
        #expect(march["firstDay"] as? String == "2022-03-05" && march["partial"] as? Bool == true)
        let total = try #require(march["total"] as? [String: Any])
        #expect(total["sessions"] as? Int == 0, "\(march)")
    }

    @Test func withoutFromAndToThePeriodsAreWhole() async throws {
        let sandbox = try await Self.historyWithALeapDay()
        let periods = try await periods(sandbox, "attrition", ["--by", "month", "--as-of", "2024-03-31"])
        let february = try #require(periods.first { $0["label"] as? String == "2024-02" })
        #expect(february["firstDay"] as? String == "2024-02-01" && february["partial"] as? Bool == false)
        #expect(february["joined"] as? Int == 3 && february["left"] as? Int == 1, "\(february)")
    }

    @Test func ratesAndChangesAreRoundedToSixDecimalsInJSONAndCSV() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        // 1 of the 3 members left after ol-03's leave attends: a rate of 1/3, after 2 of 4 in year 1.
        try await sandbox.importNDJSON(
            #"{"id":"00000000-0000-4000-8000-000000000201","type":"WorkshopHeld","occurredAt":"2023-08-01","#
                + #""data":{"workshop":"ol-ws-02","collaboratives":["oldham"],"kind":"collaborative","#
                + #""mode":"in-person","attendees":["ol-17"]}}"# + "\n")
        let arguments = ["report", "attendance", "--collaborative", "oldham", "--as-of", "2023-08-31"]
        let json = try await sandbox.succeed(arguments + ["--json"]).stdout
        try await validateJSON(json, schema: "output/report-attendance.v1")
        #expect(json.contains(#""meanRate":0.333333,"#) && json.contains(#""rate":0.333333,"#), "\(json)")
        #expect(json.contains(#""changePercentagePoints":-16.666667,"#), "\(json)")
        #expect(json.firstMatch(of: /[0-9]\.[0-9]{7,}/) == nil, "\(json)")
        let csv = try await sandbox.succeed(arguments + ["--csv"]).stdout
        #expect(csv.contains(",0.333333,-16.666667,"), "\(csv)")
        #expect(csv.firstMatch(of: /[0-9]\.[0-9]{7,}/) == nil, "\(csv)")
    }

    @Test func everyCSVListIsJoinedBySemicolonsWithoutSpaces() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        // ol-03 (primary-school) joins ol-17 (secondary-school) in the sub-group; ol-17 becomes interim anchor
        // 40 days after ol-02 ends, a long gap without overlap, and the sub-group's lead.
        try await sandbox.importNDJSON(
            #"{"id":"00000000-0000-4000-8000-000000000301","type":"SubGroupMemberJoined","occurredAt":"2022-02-02","#
                + #""data":{"subgroup":"ol-transitions","member":"ol-03"}}"# + "\n")
        try await sandbox.record([
            "role-ended", "--collaborative", "oldham", "--role", "anchor", "--member", "ol-02", "--on", "2022-07-01",
        ])
        try await sandbox.record([
            "role-assigned", "--collaborative", "oldham", "--role", "anchor", "--member", "ol-17", "--appointment",
            "interim", "--on", "2022-08-10",
        ])
        try await sandbox.record([
            "role-assigned", "--collaborative", "oldham", "--role", "subgroup-lead", "--subgroup", "ol-transitions",
            "--member", "ol-17", "--appointment", "formal", "--on", "2022-09-01",
        ])
        let asOf = ["--collaborative", "oldham", "--as-of", "2022-12-31", "--csv"]
        let progress = try await sandbox.succeed(["report", "progress"] + asOf).stdout
        #expect(progress.contains(",primary-school;secondary-school,"), "\(progress)")
        let audit = try await sandbox.succeed(["audit", "succession"] + asOf).stdout
        #expect(audit.contains(",GAP 40d;NO OVERLAP;INTERIM;ALSO subgroup-lead of ol-transitions,"), "\(audit)")
        let replay = try await sandbox.succeed(["replay"] + asOf).stdout
        #expect(replay.contains(",anchor;subgroup-lead"), "\(replay)")
        for text in [progress, audit, replay] { #expect(!text.contains("; "), "\(text)") }
    }
}
