import Collaboratives

/// Attendance per workshop over time: one line per collaborative (its own colour, dash and marker
/// shape), and each period's mean rate as a thick bar across the period, labelled with its value.
enum AttendanceChart {
    static let id = "chart-attendance"
    static let title = "Workshop attendance over time"

    static func render(_ data: HTMLReportData) -> String {
        let series = data.collaboratives.filter { !$0.attendance.workshops.isEmpty }
        let starts =
            data.collaboratives.flatMap { $0.attendance.periods.map(\.period.start) }
            + series.flatMap { $0.attendance.workshops.map(\.day) }
        guard !series.isEmpty, let first = starts.min() else {
            return ChartFigure.noData(
                id: id, title: title, note: "No workshop was held for these collaboratives by \(data.provenance.asOf).")
        }
        let width = ChartFigure.standardWidth
        var legend = ChartLegend()
        for (index, collaborative) in data.collaboratives.enumerated() {
            let colour = HTMLStyle.seriesColour(index)
            legend.add(
                swatch: "<line x1=\"0\" y1=\"7\" x2=\"14\" y2=\"7\" stroke=\"\(colour)\" stroke-width=\"2\" "
                    + "stroke-dasharray=\"\(HTMLStyle.seriesDash(index))\"/>"
                    + HTMLStyle.marker(index, x: 7, y: 7, colour: colour, tooltip: collaborative.name),
                label: collaborative.name)
        }
        legend.add(
            swatch: "<rect x=\"0\" y=\"5\" width=\"14\" height=\"5\" fill=\"#767676\" opacity=\"0.45\"/>",
            label: "mean rate of the period")
        let (legendSVG, legendHeight) = legend.render(x: 60, y: 8, maxWidth: width - 80)
        let top = 16 + legendHeight
        let bottom = top + 280
        let scale = TimeScale(first: first, end: data.provenance.asOf.adding(days: 1), left: 60, right: width - 20)
        func y(_ rate: Double) -> Double { bottom - (bottom - top) * rate }

        var body = [legendSVG, scale.axis(top: top, bottom: bottom)]
        body += ChartAxis.rateGrid(width: width, y: y)
        body.append(ChartAxis.label("attendance rate", top: top, bottom: bottom))
        for (index, collaborative) in data.collaboratives.enumerated() {
            body.append(lines(collaborative, index: index, scale: scale, y: y))
        }
        body.append(meanLabels(data, scale: scale, y: y))
        return ChartFigure(
            id: id, title: title, summary: summary(data), width: width, height: bottom + 28,
            body: body.joined(separator: "\n"),
            caption: "Each mark is a workshop: attendees who were active members of the collaborative that day ÷ "
                + "members active that day. Bars across each period show its mean rate (unweighted over its "
                + "workshops). Periods: \(data.provenance.periodScheme).",
            tables: tables(data)
        ).html
    }

    /// One collaborative's period means, line and markers.
    private static func lines(
        _ collaborative: HTMLReportData.Collaborative, index: Int, scale: TimeScale, y: (Double) -> Double
    ) -> String {
        let colour = HTMLStyle.seriesColour(index)
        var parts = ["<g class=\"series\">"]
        for period in collaborative.attendance.periods {
            guard let mean = period.figures.meanRate else { continue }
            let left = scale.x(period.period.start)
            let right = scale.x(period.period.end)
            parts.append(
                "<rect x=\"\(HTMLText.coordinate(left))\" y=\"\(HTMLText.coordinate(y(mean) - 2.5))\" "
                    + "width=\"\(HTMLText.coordinate(max(1, right - left)))\" height=\"5\" fill=\"\(colour)\" "
                    + "opacity=\"0.45\"><title>\(HTMLText.escape(collaborative.name)), \(HTMLText.escape(period.period.label)): "
                    + "mean \(HTMLText.percent(mean))</title></rect>")
        }
        let points = collaborative.attendance.workshops.compactMap { workshop in
            workshop.figures.rate.map { (workshop, scale.x(workshop.day), y($0)) }
        }
        if points.count > 1 {
            parts.append(
                "<polyline points=\"\(HTMLStyle.pointList(points.map { ($0.1, $0.2) }))\" fill=\"none\" "
                    + "stroke=\"\(colour)\" stroke-width=\"1.8\" stroke-dasharray=\"\(HTMLStyle.seriesDash(index))\"/>")
        }
        for (workshop, x, y) in points {
            let tip =
                "\(collaborative.name): \(workshop.workshop) on \(workshop.day), "
                + "\(workshop.figures.attendees) of \(workshop.figures.members) (\(HTMLText.percent(workshop.figures.rate)))"
            parts.append(HTMLStyle.marker(index, x: x, y: y, colour: colour, tooltip: tip))
        }
        parts.append("</g>")
        return parts.joined(separator: "\n")
    }

    /// Each period's mean, written at the right end of its bar after the series' marker glyph (so that
    /// the label names its collaborative without colour), moved apart where labels would overlap.
    private static func meanLabels(_ data: HTMLReportData, scale: TimeScale, y: (Double) -> Double) -> String {
        var labels: [(x: Double, y: Double, text: String)] = []
        for (index, collaborative) in data.collaboratives.enumerated() {
            for period in collaborative.attendance.periods {
                guard let mean = period.figures.meanRate else { continue }
                labels.append(
                    (
                        scale.x(period.period.end) - 4, y(mean) - 6,
                        "<tspan fill=\"\(HTMLStyle.seriesColour(index))\">\(glyphs[index % glyphs.count])</tspan> "
                            + HTMLText.percent(mean)
                    ))
            }
        }
        var placed: [(x: Double, y: Double, text: String)] = []
        for label in labels.sorted(by: { ($0.x, $0.y) < ($1.x, $1.y) }) {
            var label = label
            for other in placed where abs(other.x - label.x) < 60 && abs(other.y - label.y) < 12 {
                label.y = other.y + 12
            }
            placed.append(label)
        }
        return placed.map { label in
            "<text x=\"\(HTMLText.coordinate(label.x))\" y=\"\(HTMLText.coordinate(label.y))\" font-size=\"11\" "
                + "text-anchor=\"end\" stroke=\"#FFFFFF\" stroke-width=\"3\" "
                + "paint-order=\"stroke\">\(label.text)</text>"
        }.joined(separator: "\n")
    }

    /// The marker shapes of ``HTMLStyle/marker(_:x:y:colour:tooltip:)`` as characters.
    private static let glyphs = ["●", "■", "▲", "◆"]

    private static func summary(_ data: HTMLReportData) -> String {
        let lines = data.collaboratives.map { collaborative in
            let means = collaborative.attendance.periods.map {
                "\($0.period.label) \(HTMLText.percent($0.figures.meanRate))"
            }
            return "\(collaborative.name): \(HTMLText.count(collaborative.attendance.workshops.count, "workshop")), "
                + "mean rate \(means.joined(separator: ", "))"
                + (collaborative.attendance.changeInPercentagePoints.map { ", change \(HTMLText.points($0))" } ?? "")
        }
        return "Attendance rate of each workshop, one line per collaborative, up to \(data.provenance.asOf). "
            + lines.joined(separator: "; ") + "."
    }

    private static func tables(_ data: HTMLReportData) -> [HTMLTable] {
        var periods = HTMLTable(
            caption: "Mean attendance rate per period",
            headers: ["Collaborative", "Period", "From", "To", "Workshops", "Attendances", "Mean rate"])
        var workshops = HTMLTable(
            caption: "Attendance per workshop",
            headers: ["Collaborative", "Date", "Workshop", "Kind", "Attendees", "Members active", "Rate"])
        for collaborative in data.collaboratives {
            for period in collaborative.attendance.periods {
                periods.add([
                    collaborative.name, period.period.label, period.period.start.description,
                    period.period.lastDay.description + (period.partial ? " (partial)" : ""),
                    String(period.figures.workshops), String(period.figures.attendances),
                    HTMLText.percent(period.figures.meanRate),
                ])
            }
            for workshop in collaborative.attendance.workshops {
                workshops.add([
                    collaborative.name, workshop.day.description, workshop.workshop.rawValue, workshop.kind.rawValue,
                    String(workshop.figures.attendees), String(workshop.figures.members),
                    HTMLText.percent(workshop.figures.rate),
                ])
            }
        }
        return [periods, workshops]
    }
}
