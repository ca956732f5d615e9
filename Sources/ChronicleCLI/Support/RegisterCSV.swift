import Collaboratives
import Foundation
import SwiftCSV

/// Reads a spreadsheet's CSV export (RFC 4180: quoted fields may hold the separator, quotes doubled and
/// line breaks) into a ``RegisterTable``, with SwiftCSV.
///
/// SwiftCSV gives rows, not positions, so each row's line is counted here: a row spans one line plus one
/// per line break inside its quoted cells (SwiftCSV, like Swift, takes CR LF as one line break).
enum RegisterCSV {
    /// The table in `text` (a leading byte-order mark is ignored).
    ///
    /// - Throws: ``InputError`` naming the line where the CSV stops being readable (a stray quote).
    static func table(from text: String, delimiter: Character) throws -> RegisterTable {
        let csvDelimiter: CSVDelimiter =
            switch delimiter {
            case ",": .comma
            case ";": .semicolon
            case "\t": .tab
            default: .character(delimiter)
            }
        var line = 1
        let csv: EnumeratedCSV
        do {
            // rowLimit 0: only the header is read here; the rows are read below, so that a bad one is located.
            csv = try EnumeratedCSV(string: text, delimiter: csvDelimiter, loadColumns: false, rowLimit: 0)
        } catch {
            throw InputError(line: line, message: "not readable as CSV: \(describe(error))")
        }
        let header = csv.header
        line += lineBreaks(in: header)
        let headerLine = 1
        var rows: [RegisterRow] = []
        do {
            try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { cells in
                rows.append(RegisterRow(line: line + 1, cells: cells))
                line += 1 + lineBreaks(in: cells)
            }
        } catch {
            throw InputError(line: line + 1, message: "not readable as CSV: \(describe(error))")
        }
        // SwiftCSV drops the empty last cell of a file that ends with the separator and no line break
        // ("…,ol-17,,"): put it back, or the row would be refused as shorter than the header.
        if text.last == delimiter, let last = rows.popLast() {
            rows.append(RegisterRow(line: last.line, cells: last.cells + [""]))
        }
        return RegisterTable(header: header, headerLine: headerLine, rows: rows)
    }

    private static func lineBreaks(in cells: [String]) -> Int {
        cells.reduce(0) { count, cell in count + cell.filter(\.isNewline).count }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case CSVParseError.quotation(let message):
            "a quote out of place (\(message)); a cell holding quotes must be quoted, its quotes doubled"
        case CSVParseError.generic(let message):
            message
        default:
            String(describing: error)
        }
    }
}
