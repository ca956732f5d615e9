import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct ReportHTMLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "html",
        abstract: "Write one self-contained HTML page of charts for an evaluation write-up.",
        discussion: """
            Examples:
              chronicle report html --out report.html
              chronicle report html --out oldham.html --collaborative oldham
              chronicle report html --out y1.html --as-of 2022-08-31 --known-at 2022-09-30
              chronicle report html --out terms.html --by term --json

            The page holds seven charts: workshop attendance over time (a line per
            collaborative, with each period's mean rate), membership per period
            (at start, joined, left), sector coverage (sector × period, lost
            sectors marked), sub-group progress (statuses and milestones over
            time), succession (a lane per role slot, gaps and self-appointed
            holders marked), coaching uptake (per sub-group and term) and survey
            response rates (per wave, a bar per collaborative). Its header states
            D, K, the last seq and its hash, and the version. The figures are
            those of report attendance, attrition, progress, coaching, surveys and
            audit succession at the same (D, K); periods follow --by (coaching is
            always by term). No script, no network: inline SVG and CSS, each
            chart with a title, a description and its data as a table, readable in
            print and in a colour-blind-safe palette. The file is written to a
            temporary name and renamed when complete (a device or FIFO is written
            to as it is, never replaced; - is stdout); stdout names it (--json:
            one JSON object).
            """)

    @OptionGroup var options: ReportOptions
    @OptionGroup var periodOptions: PeriodOptions

    @Option(
        name: .long, help: ArgumentHelp("The HTML file to write, or - for stdout.", valueName: "file"),
        completion: .file())
    var out: String

    func validate() throws {
        if options.csv { throw ValidationError("--csv is not an output of report html (it writes --out FILE)") }
        if out.isEmpty { throw ValidationError("--out must name a file") }
        if out == "-" && options.json {
            throw ValidationError("--json cannot share standard output with the page (--out -)")
        }
    }

    func run() throws {
        let view = try options.loadView()
        let scheme = try periodOptions.scheme
        var terms = periodOptions
        terms.by = PeriodScheme.term.rawValue
        let data = try HTMLReportData.compute(
            view: view, collaboratives: try options.collaboratives(in: view), version: chronicleVersion,
            periodScheme: scheme.rawValue, periods: { try periodOptions.periods(for: $0, in: view) },
            terms: { try terms.periods(for: $0, in: view) })
        let page = HTMLReport.render(data)
        let bytes = Array(page.utf8)
        try Self.write(bytes, to: out)
        if out == "-" {
            printDiagnostic(
                "wrote the page to standard output (\(bytes.count) bytes; as of \(view.asOf), known at \(view.knownAt), "
                    + "seq \(view.lastSeq))")
        } else if options.json {
            printJSON(json(data, bytes: bytes.count, charts: HTMLReport.chartIDs(in: page), view: view))
        } else {
            printLine(
                "wrote \(out) (\(bytes.count) bytes; as of \(view.asOf), known at \(view.knownAt), seq \(view.lastSeq))"
            )
        }
    }

    /// Writes `bytes` to `path` (see ``OutputFile``: a regular or new file by a rename, so that a failure
    /// never leaves a partial page behind; a device or FIFO as it is; `-` to stdout); any failure is one I/O
    /// error naming the path and the system's reason.
    static func write(_ bytes: [UInt8], to path: String) throws {
        var output = try OutputFile(path, mode: 0o644)
        do {
            try output.write(bytes)
            try output.commit()
        } catch {
            output.abandon()
            throw error
        }
    }

    private func json(_ data: HTMLReportData, bytes: Int, charts: [String], view: HistoryView) -> JSONValue {
        var document = view.provenanceJSON
        document["report"] = .string("html")
        document["file"] = .string(out)
        document["bytes"] = .integer(Int64(bytes))
        document["by"] = .string(data.provenance.periodScheme)
        document["version"] = .string(data.provenance.version)
        document["collaboratives"] = .array(data.collaboratives.map { .string($0.slug.rawValue) })
        document["charts"] = .array(charts.map { .string($0) })
        return .object(document)
    }
}
