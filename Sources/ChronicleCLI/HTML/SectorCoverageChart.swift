import Collaboratives

/// Sector coverage as a sector × period grid, one per collaborative: a filled cell with the number of
/// active members where the sector is represented on the period's last day, a cross-hatched cell
/// labelled "lost" where it was present the day before the period and is absent on its last day, and
/// a dash where it is absent. Sectors lost over the whole range are named in their row label.
enum SectorCoverageChart: CollaborativeChart {
    static let kind = "sectors"
    static let title = "Sector coverage"

    static func render(_ collaborative: HTMLReportData.Collaborative) -> String {
        let periods = collaborative.attrition.periods
        let title = title(of: collaborative)
        let sectors = sectorsShown(periods)
        guard let first = periods.first, !sectors.isEmpty else {
            return ChartFigure.noData(
                id: id(collaborative), title: title,
                note: "No sector had an active member in the reporting range up to D.")
        }
        let width = ChartFigure.standardWidth
        var legend = ChartLegend()
        legend.add(swatch: ChartLegend.box(fill: HTMLStyle.skyBlue), label: "represented (active members)")
        legend.add(
            swatch: ChartLegend.box(fill: "url(#pattern-gap)", stroke: HTMLStyle.vermillion),
            label: "lost in the period")
        legend.add(swatch: ChartLegend.box(fill: "#FFFFFF", stroke: "#BBBBBB"), label: "– not represented")
        let (legendSVG, legendHeight) = legend.render(x: 10, y: 8, maxWidth: width - 20)
        let labelWidth = 230.0
        let columns =
            [Column(label: "before \(first.period.start)", coverage: first.coverage.sectorsBefore, lost: [])]
            + periods.map {
                Column(
                    label: $0.period.label + ($0.partial ? "*" : ""), coverage: $0.coverage.sectorsAtEnd,
                    lost: $0.coverage.lost)
            }
        let cellWidth = min(110, (width - labelWidth - 10) / Double(columns.count))
        let rowHeight = 22.0
        let top = 16 + legendHeight + 24
        let lostOverRange = Set(collaborative.attrition.coverage?.lost ?? [])

        var body = [legendSVG]
        for (index, column) in columns.enumerated() {
            let x = labelWidth + cellWidth * (Double(index) + 0.5)
            body.append(
                "<text x=\"\(HTMLText.coordinate(x))\" y=\"\(HTMLText.coordinate(top - 8))\" font-size=\"11\" "
                    + "text-anchor=\"middle\">\(HTMLText.escape(HTMLText.truncated(column.label, to: Int(cellWidth / 6))))"
                    + "</text>")
        }
        for (row, sector) in sectors.enumerated() {
            let y = top + rowHeight * Double(row)
            let lost = lostOverRange.contains(sector)
            body.append(
                "<text x=\"\(HTMLText.coordinate(labelWidth - 8))\" y=\"\(HTMLText.coordinate(y + 15))\" font-size=\"12\" "
                    + "text-anchor=\"end\"\(lost ? " font-weight=\"bold\"" : "")>"
                    + "\(sector.rawValue)\(lost ? " ✕ lost by the end" : "")</text>")
            for (index, column) in columns.enumerated() {
                let x = labelWidth + cellWidth * Double(index)
                let members = column.coverage.first { $0.sector == sector }?.members
                body.append(
                    cell(
                        x: x, y: y, width: cellWidth, height: rowHeight, members: members,
                        lost: column.lost.contains(sector), tooltip: "\(sector.rawValue), \(column.label)"))
            }
        }
        return ChartFigure(
            id: id(collaborative), title: title, summary: summary(collaborative, sectors: sectors), width: width,
            height: top + rowHeight * Double(sectors.count) + 12, body: body.joined(separator: "\n"),
            caption: "A sector is represented when at least one active member belongs to it on the period's last "
                + "day (the first column: the day before the range). Lost: present the day before the period, "
                + "absent on its last day.",
            tables: [table(collaborative, sectors: sectors, columns: columns)]
        ).html
    }

    /// A column of the grid: the day before the range, or a period's last day.
    private struct Column {
        let label: String
        let coverage: [SectorPresence]
        let lost: [Sector]
    }

    private static func cell(
        x: Double, y: Double, width: Double, height: Double, members: Int?, lost: Bool, tooltip: String
    ) -> String {
        let fill = members != nil ? HTMLStyle.skyBlue : (lost ? "url(#pattern-gap)" : "#FFFFFF")
        let text = members.map(String.init) ?? (lost ? "lost" : "–")
        let state = members.map { "\($0) active" } ?? (lost ? "lost in the period" : "not represented")
        return "<g><title>\(HTMLText.escape(tooltip)): \(state)</title>"
            + "<rect x=\"\(HTMLText.coordinate(x + 1))\" y=\"\(HTMLText.coordinate(y + 1))\" "
            + "width=\"\(HTMLText.coordinate(width - 2))\" height=\"\(HTMLText.coordinate(height - 2))\" fill=\"\(fill)\" "
            + "stroke=\"\(lost ? HTMLStyle.vermillion : "#BBBBBB")\" stroke-width=\"\(lost ? "1.5" : "0.8")\"/>"
            + "<text x=\"\(HTMLText.coordinate(x + width / 2))\" y=\"\(HTMLText.coordinate(y + 15))\" font-size=\"11.5\" "
            + "text-anchor=\"middle\"\(lost ? " font-weight=\"bold\" stroke=\"#FFFFFF\" stroke-width=\"3\" paint-order=\"stroke\"" : "")>"
            + "\(text)</text></g>"
    }

    /// The sectors represented on any day the grid shows, in catalog order.
    private static func sectorsShown(_ periods: [AttritionPeriod]) -> [Sector] {
        var present = Set<Sector>()
        for period in periods {
            present.formUnion(period.coverage.sectorsBefore.map(\.sector))
            present.formUnion(period.coverage.sectorsAtEnd.map(\.sector))
        }
        return Sector.allCases.filter(present.contains)
    }

    private static func summary(_ collaborative: HTMLReportData.Collaborative, sectors: [Sector]) -> String {
        let lostByPeriod = collaborative.attrition.periods.filter { !$0.coverage.lost.isEmpty }.map { period in
            "\(period.period.label): \(period.coverage.lost.map(\.rawValue).joined(separator: ", "))"
        }
        let lost = collaborative.attrition.coverage?.lost.map(\.rawValue) ?? []
        return "Sectors with an active member of \(collaborative.name) at the end of each period "
            + "(\(HTMLText.count(sectors.count, "sector")) shown). "
            + (lostByPeriod.isEmpty
                ? "No sector was lost in any period. " : "Lost: \(lostByPeriod.joined(separator: "; ")). ")
            + (lost.isEmpty ? "" : "Present before the range and absent at its end: \(lost.joined(separator: ", ")).")
    }

    private static func table(
        _ collaborative: HTMLReportData.Collaborative, sectors: [Sector],
        columns: [Column]
    ) -> HTMLTable {
        var table = HTMLTable(
            caption: "\(collaborative.name): active members per sector", headers: ["Sector"] + columns.map(\.label))
        for sector in sectors {
            table.add(
                [sector.rawValue]
                    + columns.map { column in
                        column.coverage.first { $0.sector == sector }.map { String($0.members) }
                            ?? (column.lost.contains(sector) ? "lost" : "–")
                    })
        }
        return table
    }
}
