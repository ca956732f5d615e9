import Foundation
import SwiftCSV
import Testing

/// Issue 7, item 2: every report's `--csv` reads back cleanly into a spreadsheet (RFC 4180), checked by
/// parsing it with the CSV library `import register` uses.
@Suite struct CSVRoundTripTests {
    /// A member whose name and organisation hold a comma and quotes (a line break is refused on input since
    /// issue 16; ``HostileTextDisplayTests`` has the writer quote one).
    static let awkwardName = #"Smith, Jo "JJ""#
    static let awkwardOrganisation = "Hathershaw College, \"Upper\" School; Sixth-form site"
    static let now = "2024-09-20T09:00:00Z"
    static let asOf = "2024-08-30"

    /// The demo store, plus the awkward member in oldham.
    static func sandbox() async throws -> Sandbox {
        let sandbox = try Sandbox()
        try await sandbox.succeed(["demo"])
        let data =
            #"{"collaborative":"oldham","member":"ol-99","sector":"health","name":"# + quoted(awkwardName)
            + #","organisation":"# + quoted(awkwardOrganisation) + "}"
        try await sandbox.importNDJSON(
            #"{"type":"MemberJoined","occurredAt":"2024-08-01","data":"# + data + "}\n", now: now)
        return sandbox
    }

    static func quoted(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data(), as: UTF8.self)
    }

    /// The header and the rows as SwiftCSV reads them, rows not padded to the header's width.
    static func parse(_ text: String) throws -> (header: [String], rows: [[String]]) {
        let csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false, rowLimit: 0)
        var rows: [[String]] = []
        try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { rows.append($0) }
        return (csv.header, rows)
    }

    /// Runs a report as CSV and as JSON at the same (D, K); returns the parsed CSV and the JSON.
    static func report(_ command: [String], in sandbox: Sandbox) async throws -> (
        header: [String], rows: [[String]], json: Data, text: String
    ) {
        let options = ["--as-of", asOf, "--known-at", now]
        let csv = try await sandbox.succeed(command + options + ["--csv"], now: now)
        let json = try await sandbox.succeed(command + options + ["--json"], now: now)
        let parsed = try parse(csv.stdout)
        #expect(csv.stdout.hasSuffix("\r\n"), "RFC 4180 ends records with CRLF")
        // Header names hold no separator, so the first line split on commas is the header.
        let firstLine = csv.stdout.prefix { $0 != "\r\n" }
        #expect(parsed.header == firstLine.split(separator: ",").map(String.init) && !parsed.header.isEmpty)
        for row in parsed.rows {
            #expect(row.count == parsed.header.count, "\(command): a row of \(row.count) fields: \(row)")
        }
        return (parsed.header, parsed.rows, json.stdoutData, csv.stdout)
    }

    @Test func replayCSVKeepsAFieldWithACommaAndQuotesWhole() async throws {
        let sandbox = try await Self.sandbox()
        let report = try await Self.report(["replay"], in: sandbox)
        #expect(
            Array(report.header.suffix(8)) == [
                "collaborative", "member", "name", "sector", "organisation", "since", "roles", "subgroups",
            ])
        let json = try JSONDecoder().decode(ReplayCounts.self, from: report.json)
        #expect(report.rows.count == json.collaboratives.map(\.members.count).reduce(0, +))
        let column = try #require(report.header.firstIndex(of: "member"))
        let row = try #require(report.rows.first { $0.count == report.header.count && $0[column] == "ol-99" })
        #expect(row[column + 1] == Self.awkwardName)
        #expect(row[column + 3] == Self.awkwardOrganisation)
    }

    @Test(arguments: [[], ["--by-sector"]])
    func attendanceCSVHasOneRowPerPeriodAndSectorOfEveryCollaborative(extra: [String]) async throws {
        let sandbox = try await Self.sandbox()
        let report = try await Self.report(["report", "attendance"] + extra, in: sandbox)
        #expect(report.header.contains("collaborative") && report.header.contains("mean_rate"))
        let json = try JSONDecoder().decode(PeriodCounts.self, from: report.json)
        #expect(report.rows.count == json.rows && report.rows.count > (extra.isEmpty ? 3 : 30))
    }

    @Test(arguments: [[], ["--by-sector"]])
    func attritionCSVHasOneRowPerPeriodAndSectorOfEveryCollaborative(extra: [String]) async throws {
        let sandbox = try await Self.sandbox()
        let report = try await Self.report(["report", "attrition"] + extra, in: sandbox)
        #expect(report.header.contains("collaborative") && report.header.contains("attrition_rate"))
        let json = try JSONDecoder().decode(PeriodCounts.self, from: report.json)
        #expect(report.rows.count == json.rows && report.rows.count > (extra.isEmpty ? 3 : 30))
    }
}

/// The member lists of `replay --json`.
private struct ReplayCounts: Decodable {
    struct Collaborative: Decodable {
        struct Member: Decodable {
            let member: String
        }

        let members: [Member]
    }

    let collaboratives: [Collaborative]
}

/// The periods (and their sectors) of `report attendance --json` and `report attrition --json`.
private struct PeriodCounts: Decodable {
    struct Collaborative: Decodable {
        struct Period: Decodable {
            struct Sector: Decodable {
                let sector: String
            }

            let sectors: [Sector]?
        }

        let periods: [Period]
    }

    let collaboratives: [Collaborative]

    /// One CSV row per period, plus one per sector of it.
    var rows: Int {
        collaboratives.flatMap(\.periods).map { 1 + ($0.sectors?.count ?? 0) }.reduce(0, +)
    }
}
