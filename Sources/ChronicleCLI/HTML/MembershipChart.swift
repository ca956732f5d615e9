import Collaboratives

/// Membership stock and flows per period, one chart per collaborative: for each period a group of
/// three bars (members at the start, joined, left), each labelled with its value, and the members at
/// the end written under the group.
enum MembershipChart: CollaborativeChart {
    static let kind = "membership"
    static let title = "Membership per period"

    static func render(_ collaborative: HTMLReportData.Collaborative) -> String {
        let periods = collaborative.attrition.periods
        let title = title(of: collaborative)
        guard periods.contains(where: { $0.figures.atStart + $0.figures.joined + $0.figures.left > 0 }) else {
            return ChartFigure.noData(
                id: id(collaborative), title: title, note: "Nobody was a member in the reporting range up to D.")
        }
        let width = ChartFigure.standardWidth
        let bars: [(label: String, fill: String, stroke: String)] = [
            ("members at the start", HTMLStyle.blue, HTMLStyle.blue),
            ("joined", "url(#pattern-joined)", HTMLStyle.bluishGreen),
            ("left", "url(#pattern-left)", HTMLStyle.vermillion),
        ]
        var legend = ChartLegend()
        for bar in bars { legend.add(swatch: ChartLegend.box(fill: bar.fill, stroke: bar.stroke), label: bar.label) }
        let (legendSVG, legendHeight) = legend.render(x: 60, y: 8, maxWidth: width - 80)
        let top = 22 + legendHeight
        let bottom = top + 200
        let largest =
            periods.map { max($0.figures.atStart, $0.figures.joined, $0.figures.left, $0.figures.atEnd) }
            .max() ?? 0
        let ceiling = Double(max(largest, 1))
        let group = (width - 80) / Double(periods.count)
        let barWidth = min(36, group * 0.8 / 3)
        let rotate = group < 90
        func height(_ value: Int) -> Double { (bottom - top) * Double(value) / ceiling }

        var body = [
            legendSVG,
            "<line x1=\"60\" y1=\"\(HTMLText.coordinate(bottom))\" x2=\"\(HTMLText.coordinate(width - 20))\" "
                + "y2=\"\(HTMLText.coordinate(bottom))\" stroke=\"#767676\"/>",
            ChartAxis.label("members", top: top, bottom: bottom),
        ]
        for (index, period) in periods.enumerated() {
            let centre = 60 + group * (Double(index) + 0.5)
            let values = [period.figures.atStart, period.figures.joined, period.figures.left]
            for (slot, value) in values.enumerated() {
                let x = centre + (Double(slot) - 1.5) * barWidth
                let barHeight = height(value)
                let tip = "\(period.period.label): \(bars[slot].label) \(value)"
                body.append(
                    "<rect x=\"\(HTMLText.coordinate(x))\" y=\"\(HTMLText.coordinate(bottom - barHeight))\" "
                        + "width=\"\(HTMLText.coordinate(barWidth - 2))\" height=\"\(HTMLText.coordinate(barHeight))\" "
                        + "fill=\"\(bars[slot].fill)\" stroke=\"\(bars[slot].stroke)\" stroke-width=\"1\">"
                        + "<title>\(HTMLText.escape(tip))</title></rect>")
                body.append(
                    "<text x=\"\(HTMLText.coordinate(x + barWidth / 2 - 1))\" "
                        + "y=\"\(HTMLText.coordinate(bottom - barHeight - 4))\" font-size=\"11\" "
                        + "text-anchor=\"middle\">\(value)</text>")
            }
            let label =
                HTMLText.escape(period.period.label) + (period.partial ? "*" : "") + " · end \(period.figures.atEnd)"
            let labelY = HTMLText.coordinate(bottom + 16)
            body.append(
                rotate
                    ? "<text x=\"\(HTMLText.coordinate(centre))\" y=\"\(labelY)\" font-size=\"10.5\" text-anchor=\"end\" "
                        + "transform=\"rotate(-40 \(HTMLText.coordinate(centre)) \(labelY))\">\(label)</text>"
                    : "<text x=\"\(HTMLText.coordinate(centre))\" y=\"\(labelY)\" font-size=\"11.5\" "
                        + "text-anchor=\"middle\">\(label)</text>")
        }
        let partialNote =
            periods.contains(where: \.partial)
            ? " * Partial: the period is cut at --from, --to or D; figures for its days shown." : ""
        return ChartFigure(
            id: id(collaborative), title: title, summary: summary(collaborative), width: width,
            height: bottom + (rotate ? 90 : 30), body: body.joined(separator: "\n"),
            caption: "For a period [s, e): at the start = members active on s − 1; joined and left = joins and "
                + "leaves dated in the period; at the end = start + joined − left." + partialNote,
            tables: [table(collaborative)]
        ).html
    }

    private static func summary(_ collaborative: HTMLReportData.Collaborative) -> String {
        let periods = collaborative.attrition.periods.map { period in
            let figures = period.figures
            return "\(period.period.label): start \(figures.atStart), joined \(figures.joined), left \(figures.left), "
                + "end \(figures.atEnd)"
        }
        return "Members of \(collaborative.name) at the start of each period, joined and left during it. "
            + periods.joined(separator: "; ") + "."
    }

    private static func table(_ collaborative: HTMLReportData.Collaborative) -> HTMLTable {
        var table = HTMLTable(
            caption: "\(collaborative.name): membership per period",
            headers: ["Period", "From", "To", "At start", "Joined", "Left", "At end", "Attrition", "Retention"])
        for period in collaborative.attrition.periods {
            let figures = period.figures
            table.add([
                period.period.label, period.period.start.description,
                period.period.lastDay.description + (period.partial ? " (partial)" : ""), String(figures.atStart),
                String(figures.joined), String(figures.left), String(figures.atEnd),
                HTMLText.percent(figures.attritionRate), HTMLText.percent(figures.retentionRate),
            ])
        }
        return table
    }
}
