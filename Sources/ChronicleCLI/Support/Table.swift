/// A table for people: columns aligned with spaces, a header row, no borders.
///
/// On a terminal (see ``Terminal``) the header row is bold and the cells chosen by ``highlight(column:_:)``
/// are coloured; the styling is added after the padding, so the columns stay aligned, and piped output is
/// plain text.
struct Table {
    var headers: [String]
    var rows: [[String]] = []
    /// Columns aligned right (numbers).
    var rightAligned: Set<Int> = []
    /// For some columns, the style of a cell given its text (`nil`: plain).
    private var highlights: [Int: (String) -> TextStyle?] = [:]

    init(_ headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// Colours the cells of `column` for which `style` returns a style (flags such as VACANT or STALLED).
    mutating func highlight(column: Int, _ style: @escaping (String) -> TextStyle?) {
        highlights[column] = style
    }

    /// The rendered lines; trailing spaces trimmed. Control characters in a cell are shown escaped
    /// (``Swift/String/escapingControlCharacters``): stored history may hold them, and printed raw they
    /// would restyle the terminal or split the row.
    func render() -> String {
        let headers = headers.map(\.escapingControlCharacters)
        let rows = rows.map { $0.map(\.escapingControlCharacters) }
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String], isHeader: Bool) -> String {
            var parts: [String] = []
            for (index, cell) in cells.enumerated() {
                let width = index < widths.count ? widths[index] : cell.count
                let padding = String(repeating: " ", count: max(0, width - cell.count))
                var shown = cell
                if isHeader {
                    shown = Terminal.style(cell, .bold)
                } else if let style = highlights[index]?(cell) {
                    shown = Terminal.style(cell, style)
                }
                parts.append(rightAligned.contains(index) ? padding + shown : shown + padding)
            }
            // Trailing padding is dropped; only the spaces at the end are looked at.
            var text = parts.joined(separator: "  ")
            while text.utf8.last == UInt8(ascii: " ") { text.removeLast() }
            return text
        }
        return ([line(headers, isHeader: true)] + rows.map { line($0, isHeader: false) }).joined(separator: "\n")
    }
}
