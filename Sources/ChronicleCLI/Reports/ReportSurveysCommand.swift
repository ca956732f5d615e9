import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct ReportSurveysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "surveys",
        abstract: "Member survey per collaborative and wave: invited, responded, response rate, change between waves.",
        discussion: """
            Examples:
              chronicle report surveys
              chronicle report surveys --collaborative oldham --as-of 2023-08-31
              chronicle report surveys --known-at 2024-03-01 --csv

            One row per wave a collaborative closed (SurveyWaveClosed): members
            invited, members who responded, the response rate (responded ÷ invited;
            – when nobody was invited) and the change from the wave before it (the
            rate in percentage points, responded and invited as counts). Waves are
            ordered by the day they closed, then by name. --as-of D is valid time:
            waves that closed on or before D; --known-at K is transaction time:
            closings recorded by K (a retracted closing is left out, its correction
            counts). With more than one collaborative, the waves are also added up
            by name over the collaboratives that closed them.
            """)

    @OptionGroup var options: ReportOptions

    func run() throws {
        let view = try options.loadView()
        let results = try options.collaboratives(in: view).map { collaborative in
            SurveyReport.compute(view: view, collaborative: collaborative)
        }
        let totals = results.count > 1 ? SurveyReport.total(of: results) : []
        switch options.format {
        case .json: printJSON(json(results, totals: totals, view: view))
        case .csv: writeToStandardOutput(csv(results, totals: totals, view: view))
        case .table: printLine(table(results, totals: totals, view: view))
        }
    }

    private func table(_ results: [SurveyResult], totals: [SurveyWaveTotal], view: HistoryView) -> String {
        var sections = [view.provenanceLines]
        for result in results {
            var lines = ["", "\(result.collaborative): member survey"]
            lines.append(
                result.waves.isEmpty ? "(no survey wave closed by \(view.asOf))" : Self.wavesTable(result.waves, []))
            sections.append(lines.joined(separator: "\n"))
        }
        if !totals.isEmpty {
            sections.append(
                [
                    "", "all collaboratives, by wave:",
                    Self.wavesTable(totals.map(\.figures), totals.map(\.collaboratives)),
                ]
                .joined(separator: "\n"))
        }
        return sections.joined(separator: "\n")
    }

    /// The waves' rows; `collaboratives` (when not empty) adds how many collaboratives closed each wave.
    private static func wavesTable(_ waves: [SurveyWaveFigures], _ collaboratives: [Int]) -> String {
        let counted = !collaboratives.isEmpty
        var table = Table(
            ["WAVE", "CLOSED"] + (counted ? ["COLLABORATIVES"] : [])
                + ["INVITED", "RESPONDED", "RATE", "CHANGE", "SINCE"],
            rightAligned: Set(2...(counted ? 6 : 5)))
        for (index, wave) in waves.enumerated() {
            table.add(
                [wave.wave, wave.closed.description] + (counted ? [String(collaboratives[index])] : [])
                    + [
                        String(wave.invited), String(wave.responded), ReportCells.percent(wave.responseRate),
                        wave.previous.map { ReportCells.points($0.responseRatePercentagePoints) } ?? "",
                        wave.previous.map {
                            "\($0.wave) (\(signed($0.responded)) responded, \(signed($0.invited)) invited)"
                        }
                            ?? "",
                    ])
        }
        return table.render()
    }

    private static func signed(_ value: Int) -> String { value > 0 ? "+\(value)" : String(value) }

    private static func waveJSON(_ wave: SurveyWaveFigures) -> [String: JSONValue] {
        [
            "wave": .string(wave.wave), "closed": .string(wave.closed.description),
            "invited": .integer(Int64(wave.invited)), "responded": .integer(Int64(wave.responded)),
            "responseRate": ReportCells.number(wave.responseRate),
            "change": wave.previous.map { change in
                .object([
                    "fromWave": .string(change.wave), "invited": .integer(Int64(change.invited)),
                    "responded": .integer(Int64(change.responded)),
                    "responseRatePercentagePoints": ReportCells.number(change.responseRatePercentagePoints),
                ])
            } ?? .null,
        ]
    }

    private func json(_ results: [SurveyResult], totals: [SurveyWaveTotal], view: HistoryView) -> JSONValue {
        var document = view.provenanceJSON
        document["report"] = .string("surveys")
        document["collaboratives"] = .array(
            results.map { result in
                .object([
                    "collaborative": .string(result.collaborative.rawValue),
                    "waves": .array(result.waves.map { .object(Self.waveJSON($0)) }),
                ])
            })
        document["allCollaboratives"] = .array(
            totals.map { total in
                .object(
                    Self.waveJSON(total.figures).merging([
                        "collaboratives": .integer(Int64(total.collaboratives))
                    ]) { $1 })
            })
        return .object(document)
    }

    private func csv(_ results: [SurveyResult], totals: [SurveyWaveTotal], view: HistoryView) -> String {
        let provenance = view.provenanceCSV
        var writer = CSVWriter(
            headers: provenance.headers + [
                "scope", "collaborative", "collaboratives", "wave", "closed", "invited", "responded", "response_rate",
                "previous_wave", "change_invited", "change_responded", "change_rate_pp",
            ])
        func add(_ scope: String, _ collaborative: String, _ count: Int, _ wave: SurveyWaveFigures) {
            writer.addRow(
                provenance.values + [
                    scope, collaborative, String(count), wave.wave, wave.closed.description, String(wave.invited),
                    String(wave.responded), ReportCells.csvNumber(wave.responseRate), wave.previous?.wave ?? "",
                    wave.previous.map { String($0.invited) } ?? "", wave.previous.map { String($0.responded) } ?? "",
                    ReportCells.csvNumber(wave.previous?.responseRatePercentagePoints),
                ])
        }
        for result in results {
            for wave in result.waves { add("collaborative", result.collaborative.rawValue, 1, wave) }
        }
        for total in totals { add("all", "", total.collaboratives, total.figures) }
        return writer.text
    }
}
