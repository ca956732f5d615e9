import Collaboratives

/// Sub-group progress as a timeline, one per collaborative: a row per sub-group from its formation to
/// D, split into its statuses (each labelled with its name, or a short form, where it fits), with a
/// diamond under the bar for each milestone; a stalled sub-group's row is outlined and marked STALLED.
enum ProgressTimelineChart: CollaborativeChart {
    static let kind = "progress"
    static let title = "Sub-group progress"

    static func render(_ collaborative: HTMLReportData.Collaborative, asOf: Day) -> String {
        let subgroups = collaborative.progress.subgroups
        let title = title(of: collaborative)
        guard let first = subgroups.map(\.formedOn).min() else {
            return ChartFigure.noData(
                id: id(collaborative), title: title, note: "No sub-group was formed by \(asOf).")
        }
        let width = ChartFigure.standardWidth
        let statuses = SubGroupStatus.allCases.filter { status in
            subgroups.contains { $0.status == status || $0.statusChanges.contains { $0.status == status } }
                || (status == .planned)
        }
        var legend = ChartLegend()
        for status in statuses {
            legend.add(
                swatch: ChartLegend.box(fill: HTMLStyle.status(status).fill),
                label: "\(status.rawValue) (\(abbreviation(status)))")
        }
        legend.add(swatch: diamond(x: 7, y: 7, size: 6), label: "milestone")
        let (legendSVG, legendHeight) = legend.render(x: 10, y: 8, maxWidth: width - 20)
        let labelWidth = 240.0
        let top = 16 + legendHeight + 6
        let rowHeight = 36.0
        let bottom = top + rowHeight * Double(subgroups.count)
        let scale = TimeScale(first: first, end: asOf.adding(days: 1), left: labelWidth, right: width - 20)

        var body = [legendSVG, scale.axis(top: top, bottom: bottom)]
        for (row, subgroup) in subgroups.enumerated() {
            body.append(self.row(subgroup, y: top + rowHeight * Double(row), scale: scale, labelWidth: labelWidth))
        }
        return ChartFigure(
            id: id(collaborative), title: title, summary: summary(collaborative, asOf: asOf), width: width,
            height: bottom + 28, body: body.joined(separator: "\n"),
            caption: "Each row runs from the sub-group's formation to D (\(asOf)); its status is that of the latest "
                + "change (planned from formation). STALLED: not delivered, embedded or closed, and no change "
                + "(status or milestone) for at least \(collaborative.progress.stalledAfterDays) days.",
            tables: [table(collaborative)]
        ).html
    }

    /// One sub-group's row: label, status segments, milestones.
    private static func row(_ subgroup: SubGroupProgress, y: Double, scale: TimeScale, labelWidth: Double) -> String {
        let label = HTMLText.truncated(subgroup.title, to: 34) + (subgroup.isStalled ? " (stalled)" : "")
        var parts = [
            "<g class=\"subgroup\"><title>\(HTMLText.escape("\(subgroup.title) (\(subgroup.subgroup))"))</title>",
            "<text x=\"\(HTMLText.coordinate(labelWidth - 8))\" y=\"\(HTMLText.coordinate(y + 16))\" font-size=\"12\" "
                + "text-anchor=\"end\"\(subgroup.isStalled ? " font-weight=\"bold\"" : "")>\(HTMLText.escape(label))</text>",
        ]
        let starts = [(subgroup.formedOn, SubGroupStatus.planned)] + subgroup.statusChanges.map { ($0.day, $0.status) }
        for (index, (start, status)) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1].0 : scale.end
            guard end > start || index + 1 == starts.count else { continue }
            let left = scale.x(start)
            let segmentWidth = max(1.5, scale.x(end) - left)
            let style = HTMLStyle.status(status)
            let isLast = index + 1 == starts.count
            let stalled = isLast && subgroup.isStalled
            parts.append(
                "<rect x=\"\(HTMLText.coordinate(left))\" y=\"\(HTMLText.coordinate(y + 3))\" "
                    + "width=\"\(HTMLText.coordinate(segmentWidth))\" height=\"18\" fill=\"\(style.fill)\" "
                    + "stroke=\"\(stalled ? HTMLStyle.vermillion : "#FFFFFF")\" "
                    + "stroke-width=\"\(stalled ? "2" : "1")\"\(stalled ? " stroke-dasharray=\"4 2\"" : "")>"
                    + "<title>\(status.rawValue) from \(start)</title></rect>")
            let flag = stalled ? " · STALLED \(subgroup.daysSinceLastChange)d" : ""
            let text = [status.rawValue + flag, abbreviation(status) + flag, abbreviation(status)].first {
                Double($0.count) * 6.2 + 8 < segmentWidth
            }
            if let text {
                parts.append(
                    "<text x=\"\(HTMLText.coordinate(left + 4))\" y=\"\(HTMLText.coordinate(y + 16))\" "
                        + "font-size=\"11\" fill=\"\(style.text)\""
                        + "\(stalled ? " font-weight=\"bold\"" : "")>\(text)</text>")
            }
            if stalled && text?.contains("STALLED") != true {
                parts.append(
                    "<text x=\"\(HTMLText.coordinate(left - 4))\" y=\"\(HTMLText.coordinate(y + 16))\" font-size=\"11\" "
                        + "text-anchor=\"end\" font-weight=\"bold\">STALLED</text>")
            }
        }
        for milestone in subgroup.milestones {
            parts.append(
                "<g>" + diamond(x: scale.x(milestone.day), y: y + 28, size: 5)
                    + "<title>\(HTMLText.escape("\(milestone.day): \(milestone.title) (\(milestone.kind.rawValue))"))"
                    + "</title></g>")
        }
        parts.append("</g>")
        return parts.joined(separator: "\n")
    }

    /// A status's short label, for segments too narrow for its name (the legend gives both).
    private static func abbreviation(_ status: SubGroupStatus) -> String {
        switch status {
        case .planned: "plan."
        case .inProgress: "prog."
        case .delivered: "deliv."
        case .embedded: "emb."
        case .extended: "ext."
        case .paused: "paus."
        case .stalled: "stall."
        case .closed: "clos."
        }
    }

    /// A milestone's diamond (yellow, black edge), drawn under the status bar.
    private static func diamond(x: Double, y: Double, size: Double) -> String {
        let points = [(x, y - size), (x + size, y), (x, y + size), (x - size, y)]
        return "<polygon points=\"\(HTMLStyle.pointList(points))\" fill=\"\(HTMLStyle.yellow)\" stroke=\"#000000\" "
            + "stroke-width=\"1.2\"/>"
    }

    private static func summary(_ collaborative: HTMLReportData.Collaborative, asOf: Day) -> String {
        let rows = collaborative.progress.subgroups.map { subgroup in
            "\(subgroup.title): \(subgroup.status.rawValue) since \(subgroup.statusSince), "
                + HTMLText.count(subgroup.milestones.count, "milestone")
                + (subgroup.deliveredOn.map { ", delivered \($0)" } ?? "") + (subgroup.isStalled ? ", stalled" : "")
        }
        return "Status of each sub-group of \(collaborative.name) from its formation to \(asOf), with milestones. "
            + rows.joined(separator: "; ") + "."
    }

    private static func table(_ collaborative: HTMLReportData.Collaborative) -> HTMLTable {
        var table = HTMLTable(
            caption: "\(collaborative.name): sub-group statuses and milestones",
            headers: [
                "Sub-group", "Formed", "Status changes", "Milestones", "Status on D", "Days to delivery", "Stalled",
            ])
        for subgroup in collaborative.progress.subgroups {
            table.add([
                "\(subgroup.title) (\(subgroup.subgroup))", subgroup.formedOn.description,
                subgroup.statusChanges.map { "\($0.day) \($0.status.rawValue)" }.joined(separator: "; "),
                subgroup.milestones.map { "\($0.day) \($0.title)" }.joined(separator: "; "),
                subgroup.status.rawValue, subgroup.daysToDelivery.map(String.init) ?? "–",
                subgroup.isStalled ? "yes, \(subgroup.daysSinceLastChange) days without change" : "no",
            ])
        }
        return table
    }
}
