import Collaboratives
import Foundation

/// Escaping and number formatting for the HTML report: every string that comes from the data (names,
/// titles, slugs) goes through ``escape(_:)`` before it reaches the page.
enum HTMLText {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references, safe both as element
    /// content and inside a double- or single-quoted attribute (of HTML and of inline SVG).
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}":
                // Control characters are parse errors in HTML; they carry nothing a reader needs.
                escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A coordinate or length for SVG: at most one decimal, no trailing `.0`, never `-0`, and the
    /// same text for the same value on every machine (no locale).
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (value * 10).rounded(.toNearestOrAwayFromZero)
        if tenths == 0 { return "0" }
        let whole = Int(tenths) / 10
        let fraction = abs(Int(tenths) % 10)
        if fraction == 0 { return String(whole) }
        return (tenths < 0 && whole == 0 ? "-0" : String(whole)) + "." + String(fraction)
    }

    /// A rate in percent with one decimal (`56.3%`), or `–` for no rate, as the text reports write it.
    static func percent(_ rate: Double?) -> String { ReportCells.percent(rate) }

    /// A change in percentage points with its sign (`-12.4 pp`), or `–`.
    static func points(_ change: Double?) -> String { ReportCells.points(change) }

    /// `text` cut to `limit` characters with an ellipsis, for labels drawn in a fixed width (the full
    /// text stays in the data table and the element's tooltip).
    static func truncated(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(1, limit - 1))) + "…"
    }

    /// `1 workshop`, `2 workshops`.
    static func count(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(value) " + (value == 1 ? singular : (plural ?? singular + "s"))
    }
}

/// A table of text cells rendered as an HTML `<table>` with a caption and column headers; the text
/// alternative of a chart, kept in a `<details>` element under it.
struct HTMLTable {
    /// What the table shows.
    let caption: String
    /// The column headers.
    let headers: [String]
    /// The rows; the first cell of each is a row header.
    private(set) var rows: [[String]] = []

    init(caption: String, headers: [String]) {
        self.caption = caption
        self.headers = headers
    }

    /// Adds a row of plain text cells.
    mutating func add(_ cells: [String]) { rows.append(cells) }

    /// The escaped HTML.
    var html: String {
        var lines = ["<table>", "<caption>\(HTMLText.escape(caption))</caption>", "<thead><tr>"]
        lines.append(headers.map { "<th scope=\"col\">\(HTMLText.escape($0))</th>" }.joined())
        lines.append("</tr></thead>")
        lines.append("<tbody>")
        for row in rows {
            let cells = row.enumerated().map { index, cell in
                index == 0
                    ? "<th scope=\"row\">\(HTMLText.escape(cell))</th>" : "<td>\(HTMLText.escape(cell))</td>"
            }
            lines.append("<tr>" + cells.joined() + "</tr>")
        }
        lines.append("</tbody>")
        lines.append("</table>")
        return lines.joined(separator: "\n")
    }

    /// The table inside a closed `<details>` whose summary names it.
    var disclosed: String {
        "<details class=\"data\">\n<summary>Data table: \(HTMLText.escape(caption))</summary>\n\(html)\n</details>"
    }
}
