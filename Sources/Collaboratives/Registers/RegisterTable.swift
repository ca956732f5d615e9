/// An attendance register as read from a spreadsheet: a header row and data rows, each with the line of
/// the file it starts on.
///
/// The table is what a CSV reader hands over; it knows nothing of the file format. Line numbers are the
/// file's (1-based), so that an error can point at the line a person sees in an editor; a row whose quoted
/// cell spans several lines is numbered by its first line.
///
/// ```swift
/// let table = RegisterTable(
///     header: ["Date", "Workshop", "Member", "Attended"], headerLine: 1,
///     rows: [RegisterRow(line: 2, cells: ["12/10/2023", "ol-ws-07", "ol-17", "yes"])])
/// ```
public struct RegisterTable: Equatable, Sendable {
    /// The column names, as written in the header row.
    public let header: [String]
    /// The line the header row starts on.
    public let headerLine: Int
    /// The data rows, in file order (blank rows may be included: they are skipped).
    public let rows: [RegisterRow]

    /// Creates a table.
    public init(header: [String], headerLine: Int = 1, rows: [RegisterRow]) {
        self.header = header
        self.headerLine = headerLine
        self.rows = rows
    }
}

/// One data row of a register.
public struct RegisterRow: Equatable, Sendable {
    /// The line of the file the row starts on (1-based).
    public let line: Int
    /// The cells, in column order; a row may be shorter than the header (missing cells read as empty).
    public let cells: [String]

    /// Creates a row.
    public init(line: Int, cells: [String]) {
        self.line = line
        self.cells = cells
    }

    /// Whether every cell is empty or white space.
    var isBlank: Bool {
        cells.allSatisfy { $0.allSatisfy(\.isWhitespace) }
    }
}
