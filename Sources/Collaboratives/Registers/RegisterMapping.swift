/// How to read an attendance register: which columns hold what, how dates are written, which values mean
/// attended, and the fixed fields of the events it builds. Kept as JSON beside the spreadsheet
/// (`autumn-2023.mapping.json` for `autumn-2023.csv`).
///
/// ```json
/// {
///   "register": "workshop",
///   "dateFormat": "DD/MM/YYYY",
///   "columns": {"date": "Date", "workshop": "Workshop", "memberName": "Name", "attended": "Attended",
///               "title": "Title"},
///   "attended": ["yes", "y", "x", "1", "true"],
///   "absent": ["no", "n", "0", "false", ""],
///   "event": {"collaboratives": ["oldham"], "kind": "collaborative", "mode": "in-person"}
/// }
/// ```
///
/// - `register`: `workshop` (one `WorkshopHeld` per workshop and date) or `coaching` (one
///   `CoachingSessionHeld` per session and date).
/// - `columns`: header names for `date` (required), `member` (member slugs) and/or `memberName` (names,
///   resolved against the members active that day where the event was held; when both are given the
///   slug wins and the name is used where the slug cell is empty), `attended` (when absent, every row
///   counts as attended), and any event field (see ``RegisterField``). Header names match ignoring case
///   and surrounding spaces.
/// - `dateFormat`: see ``RegisterDateFormat``; default `YYYY-MM-DD`.
/// - `attended` / `absent`: the values that mean attended / absent, compared ignoring case and surrounding
///   spaces; defaults `yes, y, x, 1, true` and `no, n, 0, false` plus the empty cell.
/// - `event`: fixed values of event fields: strings, a list of slugs for `collaboratives`, numbers for
///   `guests` and `minutes`. A field is given either here or as a column, not both.
/// - `delimiter`: the CSV field separator, one character; default `,`.
/// - `description`: free text for people, ignored.
public struct RegisterMapping: Equatable, Sendable {
    /// Where an event field's value comes from.
    enum Source: Equatable, Sendable {
        /// The same value for every event.
        case fixed(RegisterValue)
        /// A column, named as in the header.
        case column(String)
    }

    /// The kind of register.
    public let kind: RegisterKind
    /// How dates are written.
    public let dateFormat: RegisterDateFormat
    /// The CSV field separator.
    public let delimiter: Character
    /// The header name of the date column.
    let dateColumn: String
    /// The header name of the member slug column, if any.
    let memberColumn: String?
    /// The header name of the member name column, if any.
    let memberNameColumn: String?
    /// The header name of the attended column; `nil` when every row counts as attended.
    let attendedColumn: String?
    /// Values meaning attended, lower-cased and trimmed.
    let attendedValues: [String]
    /// Values meaning absent, lower-cased and trimmed.
    let absentValues: [String]
    /// The source of each event field the mapping gives.
    let fields: [RegisterField: Source]

    static let defaultAttendedValues = ["yes", "y", "x", "1", "true"]
    static let defaultAbsentValues = ["no", "n", "0", "false", ""]

    /// Reads a mapping from JSON text.
    ///
    /// - Throws: ``DomainError`` naming the field of the mapping at fault (`columns.date: missing required
    ///   field`).
    public init(parsing bytes: [UInt8]) throws(DomainError) {
        let value = try JSONValue(parsing: bytes, field: "mapping")
        let top = try FieldReader(
            value, path: "mapping",
            allowedFields: [
                "register", "dateFormat", "delimiter", "columns", "attended", "absent", "event", "description",
            ])
        let kind = try top.value("register", as: RegisterKind.self)
        _ = try top.optionalString("description")
        self.kind = kind
        self.dateFormat = try Self.dateFormat(top)
        self.delimiter = try Self.delimiter(top)

        let fieldNames = RegisterField.fields(of: kind).map(\.rawValue)
        let columns = try FieldReader(
            Self.member(value, "columns", of: top), path: top.fieldPath("columns"),
            allowedFields: ["date", "member", "memberName", "attended"] + fieldNames)
        self.dateColumn = try Self.columnName(columns, "date")
        self.memberColumn = try columns.contains("member") ? Self.columnName(columns, "member") : nil
        self.memberNameColumn = try columns.contains("memberName") ? Self.columnName(columns, "memberName") : nil
        guard memberColumn != nil || memberNameColumn != nil else {
            throw DomainError(
                .missingField, field: columns.fieldPath("member"),
                message: "give the column of member slugs (member), of member names (memberName), or both")
        }
        self.attendedColumn = try columns.contains("attended") ? Self.columnName(columns, "attended") : nil
        (self.attendedValues, self.absentValues) = try Self.attendance(value, top)

        let eventValue = try Self.member(value, "event", of: top)
        let fixed = try FieldReader(
            eventValue == .null ? .object([:]) : eventValue, path: top.fieldPath("event"), allowedFields: fieldNames)
        var fields: [RegisterField: Source] = [:]
        for field in RegisterField.fields(of: kind) {
            let inColumns = columns.contains(field.rawValue)
            let inEvent = fixed.contains(field.rawValue)
            if inColumns && inEvent {
                throw DomainError(
                    .valueNotAllowed, field: fixed.fieldPath(field.rawValue),
                    message: "is also given as a column (\(columns.fieldPath(field.rawValue))); give one of them")
            }
            if inColumns {
                fields[field] = .column(try Self.columnName(columns, field.rawValue))
            } else if inEvent {
                let raw = try Self.member(eventValue, field.rawValue, of: fixed)
                fields[field] = .fixed(
                    try Self.fixedValue(raw, field, path: fixed.fieldPath(field.rawValue), kind: kind))
            } else if field.isRequired(in: kind) {
                throw DomainError(
                    .missingField, field: fixed.fieldPath(field.rawValue),
                    message: "missing: give a fixed value under event, or a column under columns")
            }
        }
        self.fields = fields
    }

    /// The fields of the event (as named in EVENTS.md) the register gives a value to, by a column or a fixed
    /// value; the attendees always. Only these are set against a stored event: a stored field the register
    /// cannot hold (a title added by hand, a coaching session's minutes) is no difference, and is kept.
    var suppliedEventFields: Set<String> {
        Set(fields.keys.filter { $0 != .session }.map(\.rawValue)).union(["attendees"])
    }

    /// Every header name the mapping reads, in a stable order.
    public var columnNames: [String] {
        var names = [dateColumn]
        names += [memberColumn, memberNameColumn, attendedColumn].compactMap { $0 }
        for field in RegisterField.fields(of: kind) {
            if case .column(let name) = fields[field] { names.append(name) }
        }
        return names
    }

    // MARK: - Reading the JSON

    private static func columnName(_ columns: FieldReader, _ key: String) throws(DomainError) -> String {
        let name = try columns.string(key).trimmingWhiteSpace
        guard !name.isEmpty else {
            throw DomainError(.wrongType, field: columns.fieldPath(key), message: "must name a column")
        }
        return String(name)
    }

    private static func dateFormat(_ top: FieldReader) throws(DomainError) -> RegisterDateFormat {
        guard let pattern = try top.optionalString("dateFormat") else { return .iso }
        do {
            return try RegisterDateFormat(pattern: pattern)
        } catch {
            throw DomainError(error.kind, field: top.fieldPath("dateFormat"), message: error.message)
        }
    }

    private static func delimiter(_ top: FieldReader) throws(DomainError) -> Character {
        guard let text = try top.optionalString("delimiter") else { return "," }
        guard text.count == 1, let character = text.first, character != "\"", !character.isNewline else {
            throw DomainError(
                .valueNotAllowed, field: top.fieldPath("delimiter"),
                message: "\(Quoting.quoted(text)) is not one character other than a quote or a line break")
        }
        return character
    }

    /// The member `key` of an object already read by `reader`; `.null` when absent.
    private static func member(_ object: JSONValue, _ key: String, of reader: FieldReader) throws(DomainError)
        -> JSONValue
    {
        guard case .object(let members) = object, let member = members[key] else {
            if key == "columns" {
                throw DomainError(.missingField, field: reader.fieldPath(key), message: "missing required field")
            }
            return .null
        }
        return member
    }

    private static func attendance(
        _ object: JSONValue, _ top: FieldReader
    ) throws(DomainError) -> (attended: [String], absent: [String]) {
        let attended =
            try values(member(object, "attended", of: top), path: top.fieldPath("attended"))
            ?? defaultAttendedValues
        let absent =
            try values(member(object, "absent", of: top), path: top.fieldPath("absent"))
            ?? defaultAbsentValues
        guard !attended.isEmpty else {
            throw DomainError(.emptyList, field: top.fieldPath("attended"), message: "must list at least one value")
        }
        if let both = attended.first(where: absent.contains) {
            throw DomainError(
                .valueNotAllowed, field: top.fieldPath("absent"),
                message: "\(Quoting.quoted(both)) is listed both as attended and as absent")
        }
        return (attended, absent)
    }

    private static func values(_ value: JSONValue, path: String) throws(DomainError) -> [String]? {
        if value == .null { return nil }
        guard case .array(let items) = value else {
            throw DomainError(.wrongType, field: path, message: "expected an array of strings")
        }
        var values: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                throw DomainError(
                    .wrongType, field: "\(path)[\(index)]",
                    message: "expected a string, found \(item.typeDescription)")
            }
            values.append(normalizedAttendance(text))
        }
        return values
    }

    /// A fixed value: a string, a list of strings (joined, for `collaboratives`) or a whole number.
    private static func fixedValue(
        _ value: JSONValue, _ field: RegisterField, path: String, kind: RegisterKind
    ) throws(DomainError) -> RegisterValue {
        let text: String
        switch value {
        case .string(let string):
            text = string
        case .integer(let number):
            text = String(number)
        case .array(let items) where field == .collaboratives:
            var parts: [String] = []
            for (index, item) in items.enumerated() {
                guard case .string(let string) = item else {
                    throw DomainError(
                        .wrongType, field: "\(path)[\(index)]",
                        message: "expected a string, found \(item.typeDescription)")
                }
                parts.append(string)
            }
            text = parts.joined(separator: ",")
        case let other:
            throw DomainError(.wrongType, field: path, message: "expected a string, found \(other.typeDescription)")
        }
        guard !text.allSatisfy(\.isWhitespace) else {
            throw DomainError(.wrongType, field: path, message: "must not be empty")
        }
        do {
            return try field.value(of: text, in: kind)
        } catch {
            throw DomainError(.valueNotAllowed, field: path, message: error.message)
        }
    }

    /// How attendance values are compared: trimmed and lower-cased.
    static func normalizedAttendance(_ text: String) -> String {
        String(text.trimmingWhiteSpace).lowercased()
    }
}
