import Foundation

/// Writes RFC 4180 CSV: CRLF line ends; fields with a comma, quote, CR or LF are quoted, quotes doubled.
struct CSVWriter {
    private(set) var text = ""

    init(headers: [String]) {
        addRow(headers)
    }

    mutating func addRow(_ fields: [String]) {
        text += fields.map(Self.escape).joined(separator: ",") + "\r\n"
    }

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
