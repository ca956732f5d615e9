/// How a register writes its dates: a pattern such as `DD/MM/YYYY`, `YYYY-MM-DD` or `D MMM YYYY`.
///
/// Pattern letters: `YYYY` a four-digit year; `MM` or `M` a month number (one or two digits either way);
/// `DD` or `D` a day of the month (one or two digits either way, as spreadsheets drop leading zeros);
/// `MMM` or `MMMM` an English month name, full or abbreviated to three letters (`Sept` too), in any case.
/// Any other character must appear as written, except that a space matches one or more spaces. Two-digit
/// years are not accepted: their century would be a guess.
///
/// ```swift
/// let format = try RegisterDateFormat(pattern: "D MMM YYYY")
/// format.day(from: "12 Oct 2023")   // 2023-10-12
/// ```
public struct RegisterDateFormat: Equatable, Sendable, CustomStringConvertible {
    /// One piece of a pattern.
    enum Token: Equatable, Sendable {
        case year
        case monthNumber
        case monthName
        case dayOfMonth
        case literal(Character)
    }

    /// The pattern as written.
    public let pattern: String
    let tokens: [Token]

    /// The ISO format, `YYYY-MM-DD`.
    public static let iso = RegisterDateFormat(trustedPattern: "YYYY-MM-DD")

    /// Reads a pattern.
    ///
    /// - Throws: ``DomainError`` of kind `.valueNotAllowed` naming the field `dateFormat` when the pattern
    ///   is not made of `YYYY`, `M`/`MM`, `MMM`/`MMMM`, `D`/`DD` and separators, each of year, month and day
    ///   exactly once.
    public init(pattern: String) throws(DomainError) {
        guard let tokens = Self.tokens(of: pattern) else {
            throw DomainError(
                .valueNotAllowed, field: "dateFormat",
                message: "\(Quoting.quoted(pattern)) is not a date format: use YYYY, MM or M, MMM, DD or D and "
                    + "separators, each of year, month and day once (e.g. DD/MM/YYYY, YYYY-MM-DD, D MMM YYYY)")
        }
        self.pattern = pattern
        self.tokens = tokens
    }

    private init(trustedPattern: String) {
        self.pattern = trustedPattern
        self.tokens = Self.tokens(of: trustedPattern) ?? []
    }

    /// The pattern.
    public var description: String { pattern }

    /// The day a cell holds, or `nil` when it does not match the pattern or names a date that does not
    /// exist (31/02/2023). White space around the cell is ignored.
    public func day(from text: String) -> Day? {
        var characters = Substring(text.trimmingWhiteSpace)
        var year: Int?
        var month: Int?
        var dayOfMonth: Int?
        for token in tokens {
            switch token {
            case .year:
                guard let value = Self.digits(&characters, minimum: 4, maximum: 4) else { return nil }
                year = value
            case .monthNumber:
                guard let value = Self.digits(&characters, minimum: 1, maximum: 2) else { return nil }
                month = value
            case .dayOfMonth:
                guard let value = Self.digits(&characters, minimum: 1, maximum: 2) else { return nil }
                dayOfMonth = value
            case .monthName:
                guard let value = Self.monthName(&characters) else { return nil }
                month = value
            case .literal(let expected):
                guard characters.first == expected else { return nil }
                characters.removeFirst()
                if expected == " " {
                    while characters.first == " " { characters.removeFirst() }
                }
            }
        }
        guard characters.isEmpty, let year, let month, let dayOfMonth else { return nil }
        return Day(year: year, month: month, day: dayOfMonth)
    }

    // MARK: - Parsing the pattern

    private static func tokens(of pattern: String) -> [Token]? {
        var tokens: [Token] = []
        var characters = Substring(pattern)
        while let first = characters.first {
            let run = characters.prefix { $0 == first }
            characters = characters.dropFirst(run.count)
            switch (first, run.count) {
            case ("Y", 4): tokens.append(.year)
            case ("M", 1), ("M", 2): tokens.append(.monthNumber)
            case ("M", 3), ("M", 4): tokens.append(.monthName)
            case ("D", 1), ("D", 2): tokens.append(.dayOfMonth)
            case ("Y", _), ("M", _), ("D", _): return nil
            default:
                guard !first.isLetter, !first.isNumber else { return nil }
                tokens += run.map(Token.literal)
            }
        }
        let year = tokens.filter { $0 == .year }.count
        let month = tokens.filter { $0 == .monthNumber || $0 == .monthName }.count
        let day = tokens.filter { $0 == .dayOfMonth }.count
        guard year == 1, month == 1, day == 1 else { return nil }
        // Two numbers side by side (`DDMMYYYY`) cannot be told apart when their lengths vary.
        for (left, right) in zip(tokens, tokens.dropFirst()) where left.isNumber && right.isNumber {
            return nil
        }
        return tokens
    }

    // MARK: - Reading a cell

    private static func digits(_ characters: inout Substring, minimum: Int, maximum: Int) -> Int? {
        let run = characters.prefix { $0.isASCII && $0.isNumber }
        guard run.count >= minimum, run.count <= maximum, let value = Int(run) else { return nil }
        characters = characters.dropFirst(run.count)
        return value
    }

    private static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    private static func monthName(_ characters: inout Substring) -> Int? {
        let word = characters.prefix { $0.isLetter }.lowercased()
        let index =
            monthNames.firstIndex(of: word)
            ?? monthNames.firstIndex { word.count == 3 && $0.hasPrefix(word) }
            ?? (word == "sept" ? 8 : nil)
        guard let index else { return nil }
        characters = characters.dropFirst(word.count)
        return index + 1
    }
}

extension RegisterDateFormat.Token {
    fileprivate var isNumber: Bool {
        switch self {
        case .year, .monthNumber, .dayOfMonth: true
        case .monthName, .literal: false
        }
    }
}

extension StringProtocol {
    /// The text without white space (including newlines) at either end.
    var trimmingWhiteSpace: Substring {
        let text = self[...]
        guard let start = text.firstIndex(where: { !$0.isWhitespace }),
            let end = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return Substring(text[start...end])
    }
}
