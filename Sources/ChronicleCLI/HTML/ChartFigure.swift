import Collaboratives

/// One chart of the report: an inline SVG with `role="img"`, a `<title>` and a `<desc>` it is labelled
/// by, a caption, and its figures as a table in a `<details>` element (the text alternative).
struct ChartFigure {
    /// The SVG's id, `chart-<kind>` or `chart-<kind>-<collaborative>` (slugs are safe in ids).
    let id: String
    /// The chart's title (plain text; escaped when rendered).
    let title: String
    /// What the chart shows, in words: its `<desc>` (plain text).
    let summary: String
    /// The SVG's width and height in user units.
    let width: Double
    let height: Double
    /// The SVG's content, already escaped.
    let body: String
    /// A caption under the chart (plain text), e.g. how to read its marks.
    let caption: String
    /// The figures drawn, as tables.
    let tables: [HTMLTable]

    /// The chart's width in every figure: the page's content width, scaled down on narrow screens.
    static let standardWidth: Double = 960

    /// The `<figure>` element.
    var html: String {
        let titleID = "\(id)-title"
        let descID = "\(id)-desc"
        return """
            <figure class="chart">
            <svg id="\(id)" role="img" aria-labelledby="\(titleID) \(descID)" \
            viewBox="0 0 \(HTMLText.coordinate(width)) \(HTMLText.coordinate(height))" \
            width="\(HTMLText.coordinate(width))" height="\(HTMLText.coordinate(height))" \
            xmlns="http://www.w3.org/2000/svg">
            <title id="\(titleID)">\(HTMLText.escape(title))</title>
            <desc id="\(descID)">\(HTMLText.escape(summary))</desc>
            <rect x="0" y="0" width="\(HTMLText.coordinate(width))" height="\(HTMLText.coordinate(height))" \
            fill="#FFFFFF"/>
            \(body)
            </svg>
            <figcaption>\(HTMLText.escape(caption))</figcaption>
            \(tables.map(\.disclosed).joined(separator: "\n"))
            </figure>
            """
    }

    /// The note shown instead of a chart when there is nothing to draw (never an empty or broken SVG).
    static func noData(id: String, title: String, note: String) -> String {
        """
        <figure class="chart" id="\(id)-none">
        <p class="no-data"><strong>\(HTMLText.escape(title))</strong>: no data. \(HTMLText.escape(note))</p>
        </figure>
        """
    }
}

/// A chart drawn once per collaborative, whose SVG id is `chart-<kind>-<collaborative>`.
protocol CollaborativeChart {
    /// The kind, in the chart's id (`membership`).
    static var kind: String { get }
    /// What the chart shows, written after the collaborative's name.
    static var title: String { get }
}

extension CollaborativeChart {
    /// The SVG's id (slugs are safe in ids).
    static func id(_ collaborative: HTMLReportData.Collaborative) -> String { "chart-\(kind)-\(collaborative.slug)" }

    /// `Oldham Collaborative: sector coverage`.
    static func title(of collaborative: HTMLReportData.Collaborative) -> String {
        "\(collaborative.name): \(title.prefix(1).lowercased() + title.dropFirst())"
    }
}

/// A row of legend entries drawn at the top of a chart: each a swatch (SVG drawn at the origin, 14×14)
/// and a label.
struct ChartLegend {
    private var entries: [(swatch: String, label: String)] = []

    /// Adds an entry; `swatch` is SVG content drawn in a 14×14 box at the origin.
    mutating func add(swatch: String, label: String) { entries.append((swatch, label)) }

    /// A filled square swatch.
    static func box(fill: String, stroke: String = "#333333") -> String {
        "<rect x=\"0\" y=\"0\" width=\"14\" height=\"14\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"0.8\"/>"
    }

    /// The legend's SVG at (x, y), wrapping to a new row when it would pass `maxWidth`; returns the
    /// SVG and the height it takes.
    func render(x: Double, y: Double, maxWidth: Double) -> (svg: String, height: Double) {
        var parts = ["<g class=\"legend\">"]
        var cursor = x
        var row = 0.0
        for entry in entries {
            let width = 22 + Double(entry.label.count) * 6.6 + 18
            if cursor > x && cursor + width > x + maxWidth {
                cursor = x
                row += 20
            }
            parts.append(
                "<g transform=\"translate(\(HTMLText.coordinate(cursor)),\(HTMLText.coordinate(y + row)))\">"
                    + entry.swatch
                    + "<text x=\"20\" y=\"11.5\" font-size=\"12\">\(HTMLText.escape(entry.label))</text></g>"
            )
            cursor += width
        }
        parts.append("</g>")
        return (parts.joined(separator: "\n"), entries.isEmpty ? 0 : row + 20)
    }
}

/// Maps days to x coordinates over [first, end) and draws the time axis.
struct TimeScale {
    /// The first day shown.
    let first: Day
    /// The day after the last day shown.
    let end: Day
    /// The x of `first` and of `end`.
    let left: Double
    let right: Double

    init(first: Day, end: Day, left: Double, right: Double) {
        self.first = first
        self.end = end > first ? end : first.adding(days: 1)
        self.left = left
        self.right = right
    }

    /// The x coordinate of the start of `day` (clamped to the range).
    func x(_ day: Day) -> Double {
        let span = Double(end.daysSinceEpoch - first.daysSinceEpoch)
        let offset = Double(min(max(day, first), end).daysSinceEpoch - first.daysSinceEpoch)
        return left + (right - left) * offset / span
    }

    /// The ticks: 1 January (labelled with the year) and, for ranges up to six years, 1 September
    /// (the start of the English academic year).
    var ticks: [(day: Day, label: String, major: Bool)] {
        let (firstYear, _, _) = first.components
        let (lastYear, _, _) = end.components
        let withSeptember = lastYear - firstYear <= 6
        var ticks: [(Day, String, Bool)] = []
        for year in firstYear...max(firstYear, lastYear) {
            if let january = Day(year: year, month: 1, day: 1), january >= first, january < end {
                ticks.append((january, "Jan \(year)", true))
            }
            if withSeptember, let september = Day(year: year, month: 9, day: 1), september >= first, september < end {
                ticks.append((september, "Sep \(year)", false))
            }
        }
        return ticks
    }

    /// Vertical grid lines from `top` to `bottom`, and tick labels under `bottom`.
    func axis(top: Double, bottom: Double) -> String {
        var parts = [
            "<line x1=\"\(HTMLText.coordinate(left))\" y1=\"\(HTMLText.coordinate(bottom))\" "
                + "x2=\"\(HTMLText.coordinate(right))\" y2=\"\(HTMLText.coordinate(bottom))\" stroke=\"#767676\"/>"
        ]
        for tick in ticks {
            let x = HTMLText.coordinate(self.x(tick.day))
            parts.append(
                "<line x1=\"\(x)\" y1=\"\(HTMLText.coordinate(top))\" x2=\"\(x)\" y2=\"\(HTMLText.coordinate(bottom))\" "
                    + "stroke=\"\(tick.major ? "#BBBBBB" : "#E4E4E4")\"/>")
            parts.append(
                "<text x=\"\(x)\" y=\"\(HTMLText.coordinate(bottom + 15))\" font-size=\"11\" text-anchor=\"middle\">"
                    + "\(tick.label)</text>")
        }
        return parts.joined(separator: "\n")
    }
}

/// The vertical axis of a chart: its label turned along the axis, and, for a rate, the grid at 0, 25, 50, 75
/// and 100%. One definition, so that every chart's axis looks the same.
enum ChartAxis {
    /// The axis label, centred between `top` and `bottom` and turned a quarter to the left.
    static func label(_ text: String, top: Double, bottom: Double) -> String {
        "<text x=\"14\" y=\"\(HTMLText.coordinate((top + bottom) / 2))\" font-size=\"12\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 14 \(HTMLText.coordinate((top + bottom) / 2)))\">\(HTMLText.escape(text))</text>"
    }

    /// The grid lines of a rate axis, each labelled in percent; `y` places a rate between 0 and 1.
    static func rateGrid(width: Double, y: (Double) -> Double) -> [String] {
        stride(from: 0.0, through: 1.0, by: 0.25).map { step in
            let level = HTMLText.coordinate(y(step))
            return "<line x1=\"60\" y1=\"\(level)\" x2=\"\(HTMLText.coordinate(width - 20))\" y2=\"\(level)\" "
                + "stroke=\"#E4E4E4\"/><text x=\"54\" y=\"\(HTMLText.coordinate(y(step) + 4))\" "
                + "font-size=\"11\" text-anchor=\"end\">\(Int(step * 100))%</text>"
        }
    }
}
