import Foundation

/// Writes RFC 4180 CSV: CRLF line ends; fields with a comma, quote, CR or LF are quoted, quotes doubled.
///
/// A text field that a spreadsheet would take for a formula (it starts with `=`, `+`, `-`, `@`, a tab or
/// a carriage return: a name such as `=HYPERLINK(…)`) is neutralised as OWASP recommends for CSV
/// injection, by a leading `'`; a plain number (`-3`, `+1.5`) is left as it is, so it stays a number.
struct CSVWriter {
    private(set) var text = ""

    init(headers: [String]) {
        addRow(headers)
    }

    mutating func addRow(_ fields: [String]) {
        text += fields.map(Self.escape).joined(separator: ",") + "\r\n"
    }

    static func escape(_ field: String) -> String {
        let field = neutralised(field)
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `field` with a `'` in front when a spreadsheet would run it as a formula.
    static func neutralised(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, formulaStarts.contains(first), !isPlainNumber(field) else {
            return field
        }
        return "'" + field
    }

    /// The characters with which a spreadsheet cell starts a formula (OWASP, "CSV Injection").
    private static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// Whether `field` is a signed decimal number (`-3`, `+0.25`): a value, not a formula.
    private static func isPlainNumber(_ field: String) -> Bool {
        var digits = field.utf8.dropFirst()
        if field.utf8.first != UInt8(ascii: "-"), field.utf8.first != UInt8(ascii: "+") { digits = field.utf8[...] }
        let parts = digits.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { (0x30...0x39).contains($0) } }
    }
}
