import Foundation
import Testing

/// `chronicle report surveys` (issue 17 item 3) through the binary: the evaluation's 30 of 44, 25 of 33
/// and 24 of 36, at any (D, K), as a table, JSON (validated against its schema) and CSV.
@Suite struct SurveyReportTests {
    /// A clock after every event of these tests.
    static let later = "2024-09-10T12:00:00Z"

    /// The output of `report surveys --json` that the tests read.
    struct Report: Decodable {
        struct Change: Decodable {
            let fromWave: String
            let invited: Int
            let responded: Int
            let responseRatePercentagePoints: Double?
        }
        struct Wave: Decodable {
            let wave: String
            let closed: String
            let invited: Int
            let responded: Int
            let responseRate: Double?
            let change: Change?
            let collaboratives: Int?
        }
        struct Collaborative: Decodable {
            let collaborative: String
            let waves: [Wave]
        }
        let asOf: String
        let collaboratives: [Collaborative]
        let allCollaboratives: [Wave]
    }

    /// The base history (recorded on 2024-09-01) with oldham's three waves and one of rochdale, recorded on
    /// 2024-09-02 except oldham's 2023 wave, recorded last, on 2024-09-03.
    private func sandbox() async throws -> Sandbox {
        let sandbox = try await Sandbox.withBaseHistory()
        let waves = [
            ("oldham", "2022", "44", "30", "2022-07-08", "2024-09-02T10:00:00Z"),
            ("oldham", "2024", "36", "24", "2024-07-05", "2024-09-02T11:00:00Z"),
            ("rochdale", "2023", "10", "5", "2023-07-10", "2024-09-02T12:00:00Z"),
            ("oldham", "2023", "33", "25", "2023-07-07", "2024-09-03T10:00:00Z"),
        ]
        for (collaborative, wave, invited, responded, day, recorded) in waves {
            try await sandbox.record(
                [
                    "survey-wave-closed", "--collaborative", collaborative, "--wave", wave, "--invited", invited,
                    "--responded", responded, "--on", day,
                ], now: recorded)
        }
        return sandbox
    }

    private func report(_ sandbox: Sandbox, _ arguments: [String]) async throws -> Report {
        let result = try await sandbox.succeed(["report", "surveys", "--json"] + arguments, now: Self.later)
        try await validateJSON(result.stdout, schema: "output/report-surveys.v1")
        return try JSONDecoder().decode(Report.self, from: result.stdoutData)
    }

    @Test func eachWaveShowsInvitedRespondedTheRateAndTheChangeFromTheWaveBefore() async throws {
        let sandbox = try await sandbox()
        let report = try await report(sandbox, ["--collaborative", "oldham", "--as-of", "2024-08-31"])
        let waves = try #require(report.collaboratives.first { $0.collaborative == "oldham" }?.waves)
        #expect(waves.map(\.wave) == ["2022", "2023", "2024"])
        #expect(waves.map(\.invited) == [44, 33, 36] && waves.map(\.responded) == [30, 25, 24])
        #expect(waves.map(\.closed) == ["2022-07-08", "2023-07-07", "2024-07-05"])
        // 30/44 rounded to six decimals (README, Definitions: Numbers).
        #expect(waves[0].responseRate == 0.681818)
        #expect(waves[0].change == nil)
        #expect(waves[1].change?.fromWave == "2022" && waves[1].change?.responded == -5)
        #expect(waves[2].change?.responseRatePercentagePoints == -9.090909)
        #expect(report.allCollaboratives.isEmpty, "one collaborative has no totals")

        let table = try await sandbox.succeed(
            ["report", "surveys", "--collaborative", "oldham", "--as-of", "2024-08-31"], now: Self.later)
        let rows = table.stdout.split(separator: "\n").map(String.init)
        #expect(
            rows.contains { $0.hasPrefix("2022") && $0.contains("44") && $0.contains("30") && $0.contains("68.2%") })
        #expect(rows.contains { $0.hasPrefix("2023") && $0.contains("75.8%") && $0.contains("+7.6 pp") })
        #expect(rows.contains { $0.hasPrefix("2024") && $0.contains("66.7%") && $0.contains("-9.1 pp") })
    }

    @Test func asOfIsTheDayTheWaveClosedAndKnownAtTheDayItWasRecorded() async throws {
        let sandbox = try await sandbox()
        let before = try await report(sandbox, ["--collaborative", "oldham", "--as-of", "2023-07-06"])
        #expect(before.collaboratives.first?.waves.map(\.wave) == ["2022"])
        // Known at the end of 2024-09-02, the 2023 wave had closed but was not yet recorded.
        let unknown = try await report(
            sandbox, ["--collaborative", "oldham", "--as-of", "2024-08-31", "--known-at", "2024-09-02"])
        let waves = try #require(unknown.collaboratives.first?.waves)
        #expect(waves.map(\.wave) == ["2022", "2024"])
        #expect(waves.last?.change?.fromWave == "2022")
        let known = try await report(
            sandbox, ["--collaborative", "oldham", "--as-of", "2024-08-31", "--known-at", "2024-09-03"])
        #expect(known.collaboratives.first?.waves.map(\.wave) == ["2022", "2023", "2024"])
    }

    @Test func aRetractedWaveIsLeftOutAndItsCorrectionCounts() async throws {
        let sandbox = try await sandbox()
        let wrong = try await sandbox.record(
            [
                "survey-wave-closed", "--collaborative", "rochdale", "--wave", "2024", "--invited", "12",
                "--responded", "2", "--on", "2024-07-05",
            ], now: "2024-09-04T10:00:00Z")
        try await sandbox.correct(
            wrong.appended[0].id, ["--reason", "misread", "--set", "responded=9"], now: "2024-09-04T11:00:00Z")
        let report = try await report(sandbox, ["--collaborative", "rochdale", "--as-of", "2024-08-31"])
        let waves = try #require(report.collaboratives.first?.waves)
        #expect(waves.map(\.wave) == ["2023", "2024"])
        #expect(waves.map(\.responded) == [5, 9])
    }

    @Test func everyCollaborativeIsListedAndWavesAreAddedUpByName() async throws {
        let sandbox = try await sandbox()
        let report = try await report(sandbox, ["--as-of", "2024-08-31"])
        #expect(report.collaboratives.map(\.collaborative) == ["oldham", "rochdale"])
        #expect(report.allCollaboratives.map(\.wave) == ["2022", "2023", "2024"])
        #expect(report.allCollaboratives.map(\.invited) == [44, 43, 36])
        #expect(report.allCollaboratives.map(\.responded) == [30, 30, 24])
        #expect(report.allCollaboratives.map(\.collaboratives) == [1, 2, 1])

        let csv = try await sandbox.succeed(["report", "surveys", "--as-of", "2024-08-31", "--csv"], now: Self.later)
        let lines = csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first?.contains("wave,closed,invited,responded,response_rate") == true, "\(csv.stdout)")
        #expect(lines.count == 1 + 4 + 3, "\(csv.stdout)")
        #expect(lines.contains { $0.contains(",collaborative,rochdale,1,2023,2023-07-10,10,5,0.5,") })
    }

    @Test func theDemoHistoryGivesTheEvaluationsFigures() async throws {
        let sandbox = try Sandbox()
        try await sandbox.succeed(["demo"])
        let report = try await report(sandbox, ["--as-of", "2024-08-31"])
        #expect(report.collaboratives.map(\.collaborative) == ["east-sussex", "oldham", "worcestershire"])
        #expect(report.allCollaboratives.map(\.wave) == ["2022", "2023", "2024"])
        #expect(report.allCollaboratives.map(\.responded) == [30, 25, 24])
        #expect(report.allCollaboratives.map(\.invited) == [44, 33, 36])
    }

    @Test func aMistypedCollaborativeIsRefusedWithASuggestion() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.run(["report", "surveys", "--collaborative", "oldam"])
        #expect(result.status == 65 && result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.contains("--collaborative: no collaborative oldam; did you mean oldham?"), "\(result)")
    }
}
