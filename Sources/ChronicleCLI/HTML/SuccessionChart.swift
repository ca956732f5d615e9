import Collaboratives

/// Succession as swimlanes, one chart per collaborative: a lane per role slot (more when holders
/// overlap), a bar per tenure labelled with its holder, hatched and labelled "self-appointed" or
/// outlined and labelled "interim"; gaps between holders and a slot vacant on D are cross-hatched
/// and labelled with their length.
enum SuccessionChart: CollaborativeChart {
    static let kind = "succession"
    static let title = "Succession of roles"

    static func render(_ collaborative: HTMLReportData.Collaborative, asOf: Day) -> String {
        let chains = collaborative.succession.chains
        let title = title(of: collaborative)
        guard let first = chains.flatMap({ $0.tenures.map(\.start) }).min() else {
            return ChartFigure.noData(id: id(collaborative), title: title, note: "No role had a holder by \(asOf).")
        }
        let width = ChartFigure.standardWidth
        var legend = ChartLegend()
        legend.add(swatch: ChartLegend.box(fill: HTMLStyle.blue), label: "formal")
        legend.add(
            swatch: "<rect x=\"0\" y=\"0\" width=\"14\" height=\"14\" fill=\"\(HTMLStyle.skyBlue)\" stroke=\"#000000\" "
                + "stroke-dasharray=\"3 2\"/>", label: "interim")
        legend.add(
            swatch: ChartLegend.box(fill: "url(#pattern-self)", stroke: HTMLStyle.orange), label: "self-appointed")
        legend.add(
            swatch: ChartLegend.box(fill: "url(#pattern-gap)", stroke: HTMLStyle.vermillion), label: "gap / vacant")
        let (legendSVG, legendHeight) = legend.render(x: 10, y: 8, maxWidth: width - 20)
        let labelWidth = 200.0
        let top = 16 + legendHeight + 6
        let scale = TimeScale(first: first, end: asOf.adding(days: 1), left: labelWidth, right: width - 20)
        var body = [legendSVG]
        var lanes: [String] = []
        var y = top
        for chain in chains {
            let (svg, height) = lane(chain, collaborative: collaborative, y: y, scale: scale, labelWidth: labelWidth)
            lanes.append(svg)
            y += height
        }
        body.append(scale.axis(top: top, bottom: y))
        body += lanes
        return ChartFigure(
            id: id(collaborative), title: title, summary: summary(collaborative, asOf: asOf), width: width,
            height: y + 28, body: body.joined(separator: "\n"),
            caption: "Each bar is a tenure [assigned, ended). Between consecutive holders, a gap is the days the "
                + "slot stood empty; gaps over \(collaborative.succession.longGapDays) days are marked \"long\".",
            tables: [table(collaborative)]
        ).html
    }

    /// One slot's lanes; returns the SVG and the height used.
    private static func lane(
        _ chain: SuccessionChain, collaborative: HTMLReportData.Collaborative, y: Double, scale: TimeScale,
        labelWidth: Double
    ) -> (String, Double) {
        var laneEnds: [Day] = []
        var placed: [(SuccessionTenure, Int)] = []
        for tenure in chain.tenures {
            let end = tenure.end ?? scale.end
            if let free = laneEnds.firstIndex(where: { $0 <= tenure.start }) {
                laneEnds[free] = end
                placed.append((tenure, free))
            } else {
                laneEnds.append(end)
                placed.append((tenure, laneEnds.count - 1))
            }
        }
        let laneHeight = 24.0
        let height = Double(max(1, laneEnds.count)) * laneHeight + 10
        var parts = [
            "<g class=\"slot\">",
            "<line x1=\"10\" y1=\"\(HTMLText.coordinate(y + height - 1))\" x2=\"\(HTMLText.coordinate(scale.right))\" "
                + "y2=\"\(HTMLText.coordinate(y + height - 1))\" stroke=\"#E4E4E4\"/>",
            "<text x=\"\(HTMLText.coordinate(labelWidth - 8))\" y=\"\(HTMLText.coordinate(y + 17))\" font-size=\"12\" "
                + "text-anchor=\"end\">\(chain.slot.role.rawValue)</text>",
        ]
        if let subgroup = chain.slot.subgroup {
            parts.append(
                "<text x=\"\(HTMLText.coordinate(labelWidth - 8))\" y=\"\(HTMLText.coordinate(y + 30))\" "
                    + "font-size=\"10.5\" text-anchor=\"end\">of \(HTMLText.truncated(subgroup.rawValue, to: 28))</text>"
            )
        }
        for handover in chain.handovers where handover.kind == .vacancy {
            guard let from = handover.previousEnd else { continue }
            let label = "gap \(handover.gapDays ?? 0)d" + (handover.isLongGap ? " (long)" : "")
            parts.append(gap(from: from, to: handover.nextStart, y: y, height: height - 6, label: label, scale: scale))
        }
        if chain.isVacant, let since = chain.vacantSince {
            parts.append(gap(from: since, to: scale.end, y: y, height: height - 6, label: "vacant", scale: scale))
        }
        for (tenure, laneIndex) in placed {
            parts.append(
                bar(tenure, collaborative: collaborative, y: y + 4 + laneHeight * Double(laneIndex), scale: scale))
        }
        parts.append("</g>")
        return (parts.joined(separator: "\n"), height)
    }

    private static func gap(from: Day, to: Day, y: Double, height: Double, label: String, scale: TimeScale) -> String {
        let left = scale.x(from)
        let width = max(6, scale.x(to) - left)
        let textX = left + width / 2
        return "<g class=\"gap\"><title>\(label): \(from) to \(to)</title>"
            + "<rect x=\"\(HTMLText.coordinate(left))\" y=\"\(HTMLText.coordinate(y + 2))\" "
            + "width=\"\(HTMLText.coordinate(width))\" height=\"\(HTMLText.coordinate(height))\" fill=\"url(#pattern-gap)\" "
            + "stroke=\"\(HTMLStyle.vermillion)\" stroke-width=\"1.5\"/>"
            + "<text x=\"\(HTMLText.coordinate(textX))\" y=\"\(HTMLText.coordinate(y + 2 + height / 2 + 4))\" "
            + "font-size=\"11\" font-weight=\"bold\" text-anchor=\"middle\" stroke=\"#FFFFFF\" stroke-width=\"3\" "
            + "paint-order=\"stroke\">\(label)</text></g>"
    }

    private static func bar(
        _ tenure: SuccessionTenure, collaborative: HTMLReportData.Collaborative, y: Double, scale: TimeScale
    ) -> String {
        let left = scale.x(tenure.start)
        let width = max(2, scale.x(tenure.end ?? scale.end) - left)
        let holder = collaborative.holderLabel(tenure.member)
        let (fill, stroke, dash, textColour): (String, String, String, String)
        // The appointment leads the label, so that it survives when a short tenure cuts the label.
        let prefix: String
        switch tenure.appointment {
        case .formal: (fill, stroke, dash, textColour, prefix) = (HTMLStyle.blue, "#FFFFFF", "", "#FFFFFF", "")
        case .interim:
            (fill, stroke, dash, textColour, prefix) = (HTMLStyle.skyBlue, "#000000", "3 2", "#000000", "interim: ")
        case .selfAppointed:
            (fill, stroke, dash, textColour, prefix) = (
                "url(#pattern-self)", HTMLStyle.orange, "", "#000000", "self-appointed: "
            )
        }
        let period = "\(tenure.start) to \(tenure.end?.description ?? "D, still held")"
        let tip =
            "\(holder), \(tenure.appointment.rawValue), \(period)" + (tenure.endedByLeaving ? ", ended by leaving" : "")
        let capacity = Int((width - 8) / 6.2)
        let text = capacity >= 3 ? HTMLText.truncated(prefix + holder, to: capacity) : ""
        return "<g class=\"tenure\"><title>\(HTMLText.escape(tip))</title>"
            + "<rect x=\"\(HTMLText.coordinate(left))\" y=\"\(HTMLText.coordinate(y))\" width=\"\(HTMLText.coordinate(width))\" "
            + "height=\"20\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.2\""
            + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + "/>"
            + "<text x=\"\(HTMLText.coordinate(left + 4))\" y=\"\(HTMLText.coordinate(y + 14))\" font-size=\"11\" "
            + "fill=\"\(textColour)\"\(tenure.appointment == .selfAppointed ? " font-weight=\"bold\"" : "")>"
            + "\(HTMLText.escape(text))</text></g>"
    }

    private static func summary(_ collaborative: HTMLReportData.Collaborative, asOf: Day) -> String {
        let chains = collaborative.succession.chains.map { chain in
            let holders = chain.tenures.map { tenure in
                collaborative.holderLabel(tenure.member)
                    + (tenure.appointment == .formal ? "" : " (\(tenure.appointment.rawValue))")
            }
            let gaps = chain.handovers.filter { $0.kind == .vacancy }.map { "gap of \($0.gapDays ?? 0) days" }
            return "\(chain.slot.description): \(holders.joined(separator: ", then "))"
                + (gaps.isEmpty ? "" : "; " + gaps.joined(separator: ", "))
                + (chain.isVacant ? "; vacant on \(asOf)" : "")
        }
        return "Holders of each role slot of \(collaborative.name) up to \(asOf). " + chains.joined(separator: ". ")
            + "."
    }

    private static func table(_ collaborative: HTMLReportData.Collaborative) -> HTMLTable {
        var table = HTMLTable(
            caption: "\(collaborative.name): role holders",
            headers: ["Role", "Holder", "Appointed", "From", "Until", "Gap before (days)", "Notes"])
        for chain in collaborative.succession.chains {
            for (index, tenure) in chain.tenures.enumerated() {
                let handover = index > 0 ? chain.handovers[index - 1] : nil
                var notes: [String] = []
                if tenure.endedByLeaving { notes.append("ended by leaving") }
                if handover?.isLongGap == true { notes.append("long gap") }
                if index == chain.tenures.count - 1 && chain.isVacant { notes.append("vacant on D") }
                table.add([
                    chain.slot.description, collaborative.holderLabel(tenure.member), tenure.appointment.rawValue,
                    tenure.start.description, tenure.end?.description ?? "–",
                    handover.flatMap { $0.gapDays.map(String.init) } ?? "–", notes.joined(separator: ", "),
                ])
            }
        }
        return table
    }
}
