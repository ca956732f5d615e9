import Foundation

/// The rule for text a person enters (names, titles, organisations, reasons, notes): no control
/// characters and not blank.
///
/// Control characters printed on a terminal recolour or retitle it and split table rows; bidirectional
/// overrides make a name read as another. Input is refused when it holds one; stored history that
/// already does is still read, and is escaped wherever it is shown.
public enum TextCheck {
    /// Whether `scalar` may not appear in entered text: C0 and C1 controls, DEL, the line and paragraph
    /// separators, and the bidirectional embeddings, overrides and isolates.
    public static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// What is wrong with `text` as entered text, in a few words, or `nil` when nothing is.
    public static func problem(in text: String) -> String? {
        if let refused = text.unicodeScalars.first(where: isRefused) {
            return "contains a control character (\(codePoint(refused)))"
        }
        if !text.isEmpty, text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            return "must not be blank"
        }
        return nil
    }

    /// `U+001B`.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Refuses the first text field of `event` that breaks the rule, naming it (`data.name`).
    static func check(_ event: DomainEvent) throws(DomainError) {
        var checker = TextFieldChecker()
        event.payload.write(to: &checker)
        if let error = checker.error { throw error }
    }
}

/// Visits the fields of a payload and keeps the first text field that ``TextCheck`` refuses.
private struct TextFieldChecker: PayloadFieldWriting {
    var error: DomainError?

    mutating func set(_ key: String, _ text: String?) {
        guard error == nil, let text, let problem = TextCheck.problem(in: text) else { return }
        error = DomainError(.invalidText, field: "data.\(key)", message: problem)
    }

    mutating func set(_ key: String, _ text: PersonalText?) {
        set(key, text?.plainText)
    }

    mutating func set(_ key: String, _ slug: Slug?) {}
    mutating func set<Value: StoredEnumeration>(_ key: String, _ value: Value?) {}
    mutating func set(_ key: String, _ day: Day) {}
    mutating func set(_ key: String, _ identifier: UUID) {}
    mutating func set(_ key: String, _ count: Int?) {}
    mutating func set(_ key: String, _ slugs: [Slug]) {}
}
