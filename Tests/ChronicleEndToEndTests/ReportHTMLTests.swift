import Foundation
import Testing

/// Issue 7, item 1: `chronicle report html --out FILE` on real stores, through the binary.
@Suite struct ReportHTMLTests {
    /// The output of `report html --json` (`Schemas/output/report-html.v1`).
    struct Written: Decodable {
        let file: String
        let bytes: Int
        let asOf: String
        let knownAt: String
        let lastSeq: Int
        let lastHash: String
        let by: String
        let collaboratives: [String]
        let charts: [String]
    }

    static let localities = ["east-sussex", "oldham", "worcestershire"]
    static let kinds = ["membership", "sectors", "progress", "succession", "coaching"]

    /// A sandbox holding the demo history.
    static func demo() async throws -> Sandbox {
        let sandbox = try Sandbox()
        try await sandbox.succeed(["demo"])
        return sandbox
    }

    @Test func theDemoReportIsOnePageWithEveryChartAndItsProvenance() async throws {
        let sandbox = try await Self.demo()
        let head = try await sandbox.head()
        let path = sandbox.root.appendingPathComponent("report.html").path
        // The demo's events were recorded up to 2024-09-16: a later clock sees them all (K defaults to now).
        let later = "2025-01-01T00:00:00Z"
        let result = try await sandbox.succeed(["report", "html", "--out", path, "--as-of", "2024-08-31"], now: later)
        #expect(
            result.stdout.split(separator: "\n").count == 1 && result.stdout.contains("wrote \(path) ("), "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
        let page = try String(contentsOfFile: path, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        var ids = ["chart-attendance"]
        for kind in Self.kinds { ids += Self.localities.map { "chart-\(kind)-\($0)" } }
        ids.append("chart-surveys")
        for id in ids {
            #expect(page.contains("<svg id=\"\(id)\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\""), "\(id)")
        }
        // The survey chart labels each bar in words: oldham's waves were 10 of 16, 9 of 12 and 8 of 13.
        #expect(page.contains(">10/16</text>") && page.contains(">8/13</text>"))
        #expect(
            page.contains("Oldham Collaborative: 2022 10 of 16 (62.5%), 2023 9 of 12 (75.0%), 2024 8 of 13 (61.5%)"))
        #expect(page.contains("<dd>2024-08-31</dd>"))
        #expect(page.contains("<dd>\(later)</dd>"), "K defaults to the clock")
        #expect(page.contains("<dd>seq \(head.seq)</dd>") && page.contains(head.hash))
        #expect(!page.contains("<script") && !page.contains("https://"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: sandbox.root.path).filter {
            $0.contains(".partial-")
        }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    @Test func jsonNamesTheFileTheViewAndTheChartsDrawn() async throws {
        let sandbox = try await Self.demo()
        let path = sandbox.root.appendingPathComponent("interim.html").path
        let result = try await sandbox.succeed([
            "report", "html", "--out", path, "--as-of", "2022-08-31", "--known-at", "2022-09-30", "--by", "term",
            "--json",
        ])
        try await validateJSON(result.stdout, schema: "output/report-html.v1")
        let written = try JSONDecoder().decode(Written.self, from: result.stdoutData)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(written.file == path && written.bytes == size)
        #expect(written.asOf == "2022-08-31" && written.knownAt == "2022-09-30T23:59:59.999999Z")
        #expect(written.by == "term" && written.collaboratives == Self.localities)
        #expect(written.charts.first == "chart-attendance" && written.charts.count == 17, "\(written.charts)")
        #expect(written.charts.last == "chart-surveys", "the demo's 2022 waves closed and were recorded by (D, K)")
        let page = try String(contentsOfFile: path, encoding: .utf8)
        #expect(page.contains("<dd>seq \(written.lastSeq)</dd>") && page.contains(written.lastHash))
        #expect(page.contains("2021 autumn") && !page.contains(">Year 1"), "periods follow --by term")
    }

    @Test func theSameStoreDAndKGiveTheSameBytesWhateverTheClock() async throws {
        let sandbox = try await Self.demo()
        var pages: [Data] = []
        for (index, now) in ["2024-09-01T12:00:00Z", "2025-03-01T08:30:00Z"].enumerated() {
            let path = sandbox.root.appendingPathComponent("same-\(index).html").path
            try await sandbox.succeed(
                ["report", "html", "--out", path, "--as-of", "2024-08-31", "--known-at", "2024-09-01T12:00:00Z"],
                now: now)
            pages.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        #expect(pages[0] == pages[1])
    }

    @Test func oneCollaborativeDrawsOnlyItsCharts() async throws {
        let sandbox = try await Self.demo()
        let path = sandbox.root.appendingPathComponent("oldham.html").path
        let result = try await sandbox.succeed(["report", "html", "--out", path, "--collaborative", "oldham", "--json"])
        let written = try JSONDecoder().decode(Written.self, from: result.stdoutData)
        #expect(written.charts == ["chart-attendance"] + Self.kinds.map { "chart-\($0)-oldham" } + ["chart-surveys"])
        let mistyped = try await sandbox.run(["report", "html", "--out", path, "--collaborative", "oldam"])
        #expect(mistyped.status == 65 && mistyped.stderr.contains("did you mean oldham?"), "\(mistyped)")
    }

    @Test func markupInAMemberNameIsEscapedInThePage() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.record([
            "member-details-changed", "--member", "ol-02", "--name", "<script>alert(1)</script>", "--on", "2022-01-05",
        ])
        let path = sandbox.root.appendingPathComponent("base.html").path
        try await sandbox.succeed(["report", "html", "--out", path])
        let page = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!page.contains("<script"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; (ol-02)"), "the anchor's name, escaped")
    }

    @Test(arguments: [
        "missing-directory/report.html", "a-directory",
    ])
    func anUnwritableOutIsOneLineIOErrorAndLeavesNothing(_ name: String) async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try FileManager.default.createDirectory(
            at: sandbox.root.appendingPathComponent("a-directory"), withIntermediateDirectories: true)
        let path = sandbox.root.appendingPathComponent(name).path
        let result = try await sandbox.run(["report", "html", "--out", path])
        #expect(result.status == 74, "\(result)")
        #expect(result.stderrLines.count == 1 && result.stderr.contains("cannot write \(path)"), "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        let names = try FileManager.default.contentsOfDirectory(atPath: sandbox.root.path)
        #expect(!names.contains { $0.contains(".partial-") }, "\(names)")
    }

    @Test func csvIsAUsageError() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.run(["report", "html", "--out", "x.html", "--csv"])
        #expect(result.status == 64 && result.stderrLines.count == 1, "\(result)")
    }
}
