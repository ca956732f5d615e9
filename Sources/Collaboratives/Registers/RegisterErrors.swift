/// Every bad row of a register, one error per row, in line order: a register is imported whole or not at
/// all, so a person fixes the spreadsheet once rather than once per error.
///
/// Each error names the line and the columns at fault:
///
/// ```text
/// line 7: column "Attended" (D): "maybe" means neither attended (yes, y, x) nor absent (no, n, empty)
/// ```
public struct RegisterErrors: Error, Equatable, Sendable, CustomStringConvertible {
    /// How many errors are kept; the rest are only counted.
    public static let limit = 50

    /// The first ``limit`` errors, in line order (the header's errors first).
    public let errors: [InputError]
    /// How many rows (and the header) were at fault in all.
    public let total: Int

    /// Keeps the first ``limit`` of `errors` after sorting them by line.
    public init(_ errors: [InputError]) {
        let sorted = errors.enumerated().sorted { left, right in
            (left.element.line ?? 0, left.offset) < (right.element.line ?? 0, right.offset)
        }
        self.errors = sorted.prefix(Self.limit).map(\.element)
        self.total = errors.count
    }

    /// How many errors were counted but not kept.
    public var omitted: Int { total - errors.count }

    /// The errors on one line, separated by `; ` (the CLI prints them one per line instead).
    public var description: String {
        var text = errors.map(\.description).joined(separator: "; ")
        if omitted > 0 { text += "; and \(omitted) more" }
        return text
    }
}
