/// The columns a mapping names, found in a register's header.
struct RegisterColumns: Sendable {
    /// A column of the register: its header name and position.
    struct Column: Equatable, Sendable {
        /// The name as written in the header.
        let name: String
        /// The 0-based position.
        let index: Int

        /// `column "Attended" (D)`: the header name and the spreadsheet's column letter.
        var label: String { "column \(Quoting.quoted(name)) (\(Self.letter(of: index)))" }

        /// The cell of `row` in this column, trimmed; empty when the row is shorter.
        func cell(_ row: RegisterRow) -> String {
            index < row.cells.count ? String(row.cells[index].trimmingWhiteSpace) : ""
        }

        /// `A` … `Z`, `AA` …, as spreadsheets name columns.
        static func letter(of index: Int) -> String {
            var number = index + 1
            var letters: [Character] = []
            while number > 0 {
                let remainder = (number - 1) % 26
                letters.insert(Character(Unicode.Scalar(UInt8(65 + remainder))), at: 0)
                number = (number - 1) / 26
            }
            return String(letters)
        }
    }

    let date: Column
    let member: Column?
    let memberName: Column?
    let attended: Column?
    let fields: [RegisterField: Column]

    /// Finds every column of `mapping` in `table`'s header (ignoring case and surrounding spaces).
    ///
    /// - Throws: ``RegisterErrors`` with one error on the header line naming every column that is missing
    ///   or named twice.
    init(mapping: RegisterMapping, table: RegisterTable) throws(RegisterErrors) {
        let normalized = table.header.map { String($0.trimmingWhiteSpace).lowercased() }
        var problems: [String] = []
        func find(_ name: String, key: String) -> Column? {
            let positions = normalized.indices.filter { normalized[$0] == name.lowercased() }
            switch positions.count {
            case 1:
                return Column(name: String(table.header[positions[0]].trimmingWhiteSpace), index: positions[0])
            case 0:
                problems.append("column \(Quoting.quoted(name)) (columns.\(key) in the mapping) is not in the header")
            default:
                let letters = positions.map(Column.letter(of:)).joined(separator: ", ")
                problems.append("column \(Quoting.quoted(name)) (columns.\(key)) is in the header twice (\(letters))")
            }
            return nil
        }
        let date = find(mapping.dateColumn, key: "date")
        let member = mapping.memberColumn.flatMap { find($0, key: "member") }
        let memberName = mapping.memberNameColumn.flatMap { find($0, key: "memberName") }
        let attended = mapping.attendedColumn.flatMap { find($0, key: "attended") }
        var fields: [RegisterField: Column] = [:]
        for field in RegisterField.fields(of: mapping.kind) {
            guard case .column(let name) = mapping.fields[field] else { continue }
            fields[field] = find(name, key: field.rawValue)
        }
        guard problems.isEmpty, let date else {
            let found = table.header.map { Quoting.quoted(String($0.trimmingWhiteSpace)) }.joined(separator: ", ")
            throw RegisterErrors([
                InputError(
                    line: table.headerLine,
                    message: problems.joined(separator: "; ") + " (the header has \(found))")
            ])
        }
        self.date = date
        self.member = member
        self.memberName = memberName
        self.attended = attended
        self.fields = fields
    }
}
