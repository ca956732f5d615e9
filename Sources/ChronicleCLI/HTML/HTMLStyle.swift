import Collaboratives

/// The report's colours, fill patterns and style sheet.
///
/// Colours are the Okabe–Ito palette (distinguishable with the common colour-vision deficiencies), and
/// nothing is marked by colour alone: lines have their own marker shapes and dashes, bars and cells
/// their own fill patterns, and every mark that matters carries a text label.
enum HTMLStyle {
    // The Okabe–Ito colours.
    static let black = "#000000"
    static let orange = "#E69F00"
    static let skyBlue = "#56B4E9"
    static let bluishGreen = "#009E73"
    static let yellow = "#F0E442"
    static let blue = "#0072B2"
    static let vermillion = "#D55E00"
    static let reddishPurple = "#CC79A7"
    /// For axes, grid lines and "not applicable".
    static let grey = "#767676"
    static let lightGrey = "#DDDDDD"

    /// One colour, marker and dash per series (a collaborative's line), cycling.
    static let seriesColours = [blue, vermillion, bluishGreen, reddishPurple, orange, skyBlue, black]
    static let seriesDashes = ["", "6 3", "2 3", "8 3 2 3"]

    /// The colour of the `index`-th series.
    static func seriesColour(_ index: Int) -> String { seriesColours[index % seriesColours.count] }

    /// The dash array of the `index`-th series (solid, dashed, dotted, dash-dot).
    static func seriesDash(_ index: Int) -> String { seriesDashes[index % seriesDashes.count] }

    /// A marker centred on (x, y) whose shape identifies the `index`-th series: circle, square,
    /// triangle, diamond.
    static func marker(_ index: Int, x: Double, y: Double, colour: String, tooltip: String) -> String {
        let cx = HTMLText.coordinate(x)
        let cy = HTMLText.coordinate(y)
        let tip = "<title>\(HTMLText.escape(tooltip))</title>"
        let paint = "fill=\"\(colour)\" stroke=\"#FFFFFF\" stroke-width=\"1\""
        switch index % 4 {
        case 1:
            return "<rect x=\"\(HTMLText.coordinate(x - 4))\" y=\"\(HTMLText.coordinate(y - 4))\" width=\"8\" "
                + "height=\"8\" \(paint)>\(tip)</rect>"
        case 2:
            let points = [(x, y - 5), (x + 5, y + 4), (x - 5, y + 4)]
            return "<polygon points=\"\(pointList(points))\" \(paint)>\(tip)</polygon>"
        case 3:
            let points = [(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)]
            return "<polygon points=\"\(pointList(points))\" \(paint)>\(tip)</polygon>"
        default:
            return "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"4.5\" \(paint)>\(tip)</circle>"
        }
    }

    /// `x,y x,y …` for a polyline or polygon.
    static func pointList(_ points: [(Double, Double)]) -> String {
        points.map { "\(HTMLText.coordinate($0.0)),\(HTMLText.coordinate($0.1))" }.joined(separator: " ")
    }

    /// The fill of a sub-group status, and whether its bar is hatched (paused, stalled, closed).
    static func status(_ status: SubGroupStatus) -> (fill: String, text: String) {
        switch status {
        case .planned: return (skyBlue, black)
        case .inProgress: return (blue, "#FFFFFF")
        case .delivered: return (bluishGreen, "#FFFFFF")
        case .embedded: return (black, "#FFFFFF")
        case .extended: return (reddishPurple, black)
        case .paused: return ("url(#pattern-paused)", black)
        case .stalled: return ("url(#pattern-stalled)", black)
        case .closed: return (lightGrey, black)
        }
    }

    /// The fill patterns, defined once in a hidden SVG at the top of the page and referenced by id
    /// from every chart.
    static let patternDefinitions = """
        <svg class="definitions" width="0" height="0" aria-hidden="true" focusable="false">
        <defs>
        \(hatch("pattern-joined", background: "#FFFFFF", stroke: bluishGreen, width: 3))
        \(hatch("pattern-self", background: "#FBE3B0", stroke: orange, width: 2.5))
        \(hatch("pattern-paused", background: "#FFFFFF", stroke: orange, width: 2.5))
        \(hatch("pattern-stalled", background: "#FFFFFF", stroke: vermillion, width: 2.5))
        \(hatch("pattern-none", background: "#FFFFFF", stroke: "#AAAAAA", width: 1.5))
        <pattern id="pattern-left" width="6" height="6" patternUnits="userSpaceOnUse">\
        <rect width="6" height="6" fill="#F6D5C0"/><circle cx="3" cy="3" r="1.6" fill="\(vermillion)"/></pattern>
        <pattern id="pattern-gap" width="8" height="8" patternUnits="userSpaceOnUse">\
        <rect width="8" height="8" fill="#FFFFFF"/>\
        <path d="M0,0 L8,8 M8,0 L0,8" stroke="\(vermillion)" stroke-width="1.5"/></pattern>
        </defs>
        </svg>
        """

    private static func hatch(_ id: String, background: String, stroke: String, width: Double) -> String {
        "<pattern id=\"\(id)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
            + "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"\(background)\"/>"
            + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"\(stroke)\" "
            + "stroke-width=\"\(HTMLText.coordinate(width))\"/></pattern>"
    }

    /// The style sheet: readable on screen and on paper (print keeps the fills, avoids breaking a
    /// chart across pages and shows the address of nothing, since the page links nowhere).
    static let css = """
        :root { color-scheme: light; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
          margin: 0 auto; max-width: 1000px; padding: 1.5rem; color: #111111; background: #FFFFFF; line-height: 1.45; }
        h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
        h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #111111; padding-bottom: .2rem; }
        h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
        .provenance { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0 1rem; }
        .provenance dt { font-weight: 600; }
        .provenance dd { margin: 0; overflow-wrap: anywhere; }
        code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; }
        nav ol { columns: 2; margin: .3rem 0; }
        figure.chart { margin: 1rem 0 1.5rem; break-inside: avoid; page-break-inside: avoid; }
        figure.chart svg { display: block; width: 100%; height: auto; max-width: 960px; }
        figcaption { font-size: .9rem; color: #333333; margin-top: .3rem; }
        svg text { font-family: inherit; }
        .definitions { position: absolute; width: 0; height: 0; overflow: hidden; }
        .no-data { border: 1px dashed #767676; padding: .6rem .8rem; color: #333333; background: #F7F7F7; }
        details.data { margin-top: .4rem; }
        details.data summary { cursor: pointer; font-size: .9rem; }
        table { border-collapse: collapse; margin: .4rem 0; font-size: .85rem; }
        caption { text-align: left; font-weight: 600; padding-bottom: .2rem; }
        th, td { border: 1px solid #BBBBBB; padding: .15rem .4rem; text-align: left; vertical-align: top; }
        thead th { background: #EEEEEE; }
        .definition { font-size: .92rem; color: #333333; }
        footer { margin-top: 2rem; font-size: .85rem; color: #333333; border-top: 1px solid #BBBBBB; padding-top: .5rem; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10.5pt; }
          nav { display: none; }
          h2 { break-after: avoid; page-break-after: avoid; }
          figure.chart svg { max-width: 100%; }
          details.data summary { display: none; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """
}
