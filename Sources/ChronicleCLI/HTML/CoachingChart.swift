import Collaboratives

/// Coaching uptake per sub-group per term, one grid per collaborative: each cell shows the sessions
/// and the distinct attendees (shaded darker for more sessions); a hatched "none" cell is a term in
/// which an existing sub-group had no session.
enum CoachingChart: CollaborativeChart {
    static let kind = "coaching"
    static let title = "Coaching uptake per sub-group and term"

    /// What a cell shows.
    private enum Cell {
        case figures(CoachingFigures)
        case noSession
        case notApplicable
    }

    static func render(_ collaborative: HTMLReportData.Collaborative) -> String {
        let periods = collaborative.coaching.periods
        let title = title(of: collaborative)
        let rows = self.rows(collaborative)
        guard !periods.isEmpty, periods.contains(where: { $0.total.sessions > 0 || !$0.subgroups.isEmpty }) else {
            return ChartFigure.noData(
                id: id(collaborative), title: title, note: "No coaching session and no sub-group in the range up to D.")
        }
        let width = ChartFigure.standardWidth
        var legend = ChartLegend()
        legend.add(
            swatch: ChartLegend.box(fill: shade(0.3)), label: "sessions · distinct attendees (darker = more sessions)")
        legend.add(swatch: ChartLegend.box(fill: "url(#pattern-none)", stroke: "#767676"), label: "none: no session")
        legend.add(swatch: ChartLegend.box(fill: "#FFFFFF", stroke: "#BBBBBB"), label: "– sub-group not active")
        let (legendSVG, legendHeight) = legend.render(x: 10, y: 8, maxWidth: width - 20)
        let labelWidth = 240.0
        let cellWidth = min(110, (width - labelWidth - 10) / Double(periods.count))
        let rowHeight = 24.0
        let top = 16 + legendHeight + 24
        let most = Double(max(1, periods.map(\.total.sessions).max() ?? 1))
        var body = [legendSVG]
        for (index, period) in periods.enumerated() {
            body.append(
                "<text x=\"\(HTMLText.coordinate(labelWidth + cellWidth * (Double(index) + 0.5)))\" "
                    + "y=\"\(HTMLText.coordinate(top - 8))\" font-size=\"11\" text-anchor=\"middle\">"
                    + "\(HTMLText.escape(period.period.label + (period.partial ? "*" : "")))</text>")
        }
        for (rowIndex, row) in rows.enumerated() {
            let y = top + rowHeight * Double(rowIndex)
            body.append(
                "<text x=\"\(HTMLText.coordinate(labelWidth - 8))\" y=\"\(HTMLText.coordinate(y + 16))\" font-size=\"12\" "
                    + "text-anchor=\"end\"\(row.subgroup == nil ? " font-weight=\"bold\"" : "")>"
                    + "\(HTMLText.escape(HTMLText.truncated(row.label, to: 36)))</text>")
            for (index, period) in periods.enumerated() {
                let x = labelWidth + cellWidth * Double(index)
                body.append(
                    draw(
                        row.cell(period), x: x, y: y, width: cellWidth, height: rowHeight, most: most,
                        tooltip: "\(row.label), \(period.period.label)"))
            }
        }
        return ChartFigure(
            id: id(collaborative), title: title, summary: summary(collaborative, rows: rows), width: width,
            height: top + rowHeight * Double(rows.count) + 12, body: body.joined(separator: "\n"),
            caption: "Sessions held (including those nobody attended) and distinct members attending, per term. A "
                + "sub-group counts in a term when formed by its last day and not closed throughout it.",
            tables: [table(collaborative, rows: rows)]
        ).html
    }

    /// A row of the grid: a sub-group, the sessions with no sub-group, or the collaborative's total.
    private struct Row {
        let label: String
        let subgroup: Slug?
        let cell: (CoachingPeriod) -> Cell
    }

    private static func rows(_ collaborative: HTMLReportData.Collaborative) -> [Row] {
        let periods = collaborative.coaching.periods
        let titles = Dictionary(
            collaborative.progress.subgroups.map { ($0.subgroup, $0.title) }, uniquingKeysWith: { first, _ in first })
        let subgroups = Set(periods.flatMap { $0.subgroups.map(\.subgroup) }).sorted()
        var rows = subgroups.map { subgroup in
            Row(label: titles[subgroup] ?? subgroup.rawValue, subgroup: subgroup) { period in
                if period.subgroupsWithoutSession.contains(subgroup) { return .noSession }
                guard let figures = period.subgroups.first(where: { $0.subgroup == subgroup })?.figures else {
                    return .notApplicable
                }
                return figures.sessions == 0 ? .noSession : .figures(figures)
            }
        }
        if periods.contains(where: { $0.withoutSubgroup.sessions > 0 }) {
            rows.append(
                Row(label: "(no sub-group)", subgroup: nil) { period in
                    period.withoutSubgroup.sessions > 0 ? .figures(period.withoutSubgroup) : .noSession
                })
        }
        rows.append(
            Row(label: "all sessions", subgroup: nil) { period in
                period.total.sessions > 0 ? .figures(period.total) : .noSession
            })
        return rows
    }

    private static func draw(
        _ cell: Cell, x: Double, y: Double, width: Double, height: Double, most: Double, tooltip: String
    ) -> String {
        let (fill, text, textColour, state): (String, String, String, String)
        switch cell {
        case .figures(let figures):
            let intensity = min(1, Double(figures.sessions) / most)
            fill = shade(intensity)
            text = "\(figures.sessions) · \(figures.distinctAttendees)"
            textColour = intensity > 0.55 ? "#FFFFFF" : "#000000"
            state =
                "\(HTMLText.count(figures.sessions, "session")) (\(figures.sessionsUnattended) nobody attended), "
                + "\(HTMLText.count(figures.distinctAttendees, "distinct attendee")), \(figures.minutes) minutes"
        case .noSession: (fill, text, textColour, state) = ("url(#pattern-none)", "none", "#000000", "no session")
        case .notApplicable: (fill, text, textColour, state) = ("#FFFFFF", "–", "#767676", "sub-group not active")
        }
        let halo = textColour == "#000000" ? " stroke=\"#FFFFFF\" stroke-width=\"3\" paint-order=\"stroke\"" : ""
        return "<g><title>\(HTMLText.escape(tooltip)): \(state)</title>"
            + "<rect x=\"\(HTMLText.coordinate(x + 1))\" y=\"\(HTMLText.coordinate(y + 1))\" "
            + "width=\"\(HTMLText.coordinate(width - 2))\" height=\"\(HTMLText.coordinate(height - 2))\" fill=\"\(fill)\" "
            + "stroke=\"#BBBBBB\" stroke-width=\"0.8\"/>"
            + "<text x=\"\(HTMLText.coordinate(x + width / 2))\" y=\"\(HTMLText.coordinate(y + 16))\" font-size=\"11.5\" "
            + "text-anchor=\"middle\" fill=\"\(textColour)\"\(halo)>\(text)</text></g>"
    }

    /// A blue from light (few sessions) to the palette's blue (the most in the chart).
    static func shade(_ intensity: Double) -> String {
        let light = (r: 0xDE, g: 0xEE, b: 0xF8)
        let dark = (r: 0x00, g: 0x72, b: 0xB2)
        func mix(_ from: Int, _ to: Int) -> Int { Int((Double(from) + Double(to - from) * intensity).rounded()) }
        let components = [mix(light.r, dark.r), mix(light.g, dark.g), mix(light.b, dark.b)]
        return "#"
            + components.map { value in
                let hex = String(value, radix: 16, uppercase: true)
                return hex.count < 2 ? "0" + hex : hex
            }.joined()
    }

    private static func summary(_ collaborative: HTMLReportData.Collaborative, rows: [Row]) -> String {
        let periods = collaborative.coaching.periods.map { period in
            let without = period.subgroupsWithoutSession.map(\.rawValue)
            return "\(period.period.label): \(HTMLText.count(period.total.sessions, "session")), "
                + HTMLText.count(period.total.distinctAttendees, "distinct attendee")
                + (without.isEmpty ? "" : ", no session for \(without.joined(separator: ", "))")
        }
        return "Coaching sessions of \(collaborative.name) per term and sub-group "
            + "(\(HTMLText.count(rows.count, "row")), the last the total). " + periods.joined(separator: "; ") + "."
    }

    private static func table(_ collaborative: HTMLReportData.Collaborative, rows: [Row]) -> HTMLTable {
        let periods = collaborative.coaching.periods
        var table = HTMLTable(
            caption: "\(collaborative.name): coaching sessions · distinct attendees per term",
            headers: ["Sub-group"] + periods.map { $0.period.label + ($0.partial ? " (partial)" : "") })
        for row in rows {
            table.add(
                [row.label]
                    + periods.map { period in
                        switch row.cell(period) {
                        case .figures(let figures): "\(figures.sessions) · \(figures.distinctAttendees)"
                        case .noSession: "none"
                        case .notApplicable: "–"
                        }
                    })
        }
        return table
    }
}
