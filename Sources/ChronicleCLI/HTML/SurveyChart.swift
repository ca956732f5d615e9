import Collaboratives

/// Survey response rates: for each wave (in the order the waves closed) a group of bars, one per
/// collaborative (its own colour and marker glyph), each labelled with its rate and "responded of
/// invited", so that no figure is told by colour alone.
enum SurveyChart {
    static let id = "chart-surveys"
    static let title = "Survey response rates by wave"

    static func render(_ data: HTMLReportData) -> String {
        let waves = SurveyReport.total(of: data.collaboratives.map(\.surveys)).map(\.figures.wave)
        guard !waves.isEmpty else {
            return ChartFigure.noData(
                id: id, title: title, note: "No survey wave was closed by \(data.provenance.asOf).")
        }
        let width = ChartFigure.standardWidth
        var legend = ChartLegend()
        for (index, collaborative) in data.collaboratives.enumerated() {
            legend.add(swatch: ChartLegend.box(fill: HTMLStyle.seriesColour(index)), label: collaborative.name)
        }
        let (legendSVG, legendHeight) = legend.render(x: 60, y: 8, maxWidth: width - 80)
        let top = 30 + legendHeight
        let bottom = top + 240
        func y(_ rate: Double) -> Double { bottom - (bottom - top) * rate }
        let group = (width - 80) / Double(waves.count)
        let series = max(data.collaboratives.count, 1)
        let barWidth = min(48, group * 0.8 / Double(series))

        var body = [legendSVG]
        body += ChartAxis.rateGrid(width: width, y: y)
        body.append(ChartAxis.label("response rate", top: top, bottom: bottom))
        for (slot, wave) in waves.enumerated() {
            let centre = 60 + group * (Double(slot) + 0.5)
            body.append(
                "<text x=\"\(HTMLText.coordinate(centre))\" y=\"\(HTMLText.coordinate(bottom + 16))\" font-size=\"12\" "
                    + "text-anchor=\"middle\">\(HTMLText.escape(wave))</text>")
            for (index, collaborative) in data.collaboratives.enumerated() {
                guard let figures = collaborative.surveys.waves.first(where: { $0.wave == wave }) else { continue }
                let x = centre + (Double(index) - Double(series) / 2) * barWidth
                let rate = figures.responseRate ?? 0
                let tip =
                    "\(collaborative.name), wave \(wave): \(figures.responded) of \(figures.invited) responded "
                    + "(\(HTMLText.percent(figures.responseRate)))"
                body.append(
                    "<rect x=\"\(HTMLText.coordinate(x))\" y=\"\(HTMLText.coordinate(y(rate)))\" "
                        + "width=\"\(HTMLText.coordinate(max(1, barWidth - 2)))\" "
                        + "height=\"\(HTMLText.coordinate(bottom - y(rate)))\" fill=\"\(HTMLStyle.seriesColour(index))\" "
                        + "stroke=\"#333333\" stroke-width=\"0.8\"><title>\(HTMLText.escape(tip))</title></rect>")
                let middle = HTMLText.coordinate(x + barWidth / 2 - 1)
                body.append(
                    "<text x=\"\(middle)\" y=\"\(HTMLText.coordinate(y(rate) - 16))\" font-size=\"11\" "
                        + "text-anchor=\"middle\">\(HTMLText.escape(HTMLText.percent(figures.responseRate)))</text>"
                        + "<text x=\"\(middle)\" y=\"\(HTMLText.coordinate(y(rate) - 4))\" font-size=\"10\" "
                        + "text-anchor=\"middle\">\(figures.responded)/\(figures.invited)</text>")
            }
        }
        return ChartFigure(
            id: id, title: title, summary: summary(data, waves: waves), width: width, height: bottom + 28,
            body: body.joined(separator: "\n"),
            caption: "Each bar is one collaborative's wave: members who responded ÷ members invited, labelled "
                + "with the rate and responded/invited. Waves are in the order they closed, up to D.",
            tables: [table(data)]
        ).html
    }

    private static func summary(_ data: HTMLReportData, waves: [String]) -> String {
        let lines = data.collaboratives.map { collaborative in
            let rates = collaborative.surveys.waves.map {
                "\($0.wave) \($0.responded) of \($0.invited) (\(HTMLText.percent($0.responseRate)))"
            }
            return "\(collaborative.name): " + (rates.isEmpty ? "no wave" : rates.joined(separator: ", "))
        }
        return "Response rate of each survey wave (\(waves.joined(separator: ", "))), one bar per collaborative, "
            + "up to \(data.provenance.asOf). " + lines.joined(separator: "; ") + "."
    }

    private static func table(_ data: HTMLReportData) -> HTMLTable {
        var table = HTMLTable(
            caption: "Survey response per collaborative and wave",
            headers: ["Collaborative", "Wave", "Closed", "Invited", "Responded", "Response rate", "Change"])
        for collaborative in data.collaboratives {
            for wave in collaborative.surveys.waves {
                table.add([
                    collaborative.name, wave.wave, wave.closed.description, String(wave.invited),
                    String(wave.responded), HTMLText.percent(wave.responseRate),
                    wave.previous.map { "\(HTMLText.points($0.responseRatePercentagePoints)) since \($0.wave)" } ?? "",
                ])
            }
        }
        return table
    }
}
