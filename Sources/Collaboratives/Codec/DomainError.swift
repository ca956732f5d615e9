/// An event that cannot be read: bad JSON, an unknown type or field, a value out of range.
///
/// Errors name the offending field with a path such as `data.attendees[2]` and
/// print on one line: `data.colour: unknown field`. Match on ``kind`` to react
/// to a class of error; show ``description`` to people.
public struct DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The class of problem.
    public enum Kind: String, Sendable, CaseIterable {
        /// The bytes are not valid JSON.
        case invalidJSON = "invalid-json"
        /// The `type` is not in the catalog.
        case unknownType = "unknown-type"
        /// No reader exists for this `schemaVersion` of the type.
        case unsupportedSchemaVersion = "unsupported-schema-version"
        /// A JSON object was expected (`data` itself, for instance).
        case notAnObject = "not-an-object"
        /// The object has a field the type does not define.
        case unknownField = "unknown-field"
        /// A required field is absent.
        case missingField = "missing-field"
        /// A field has the wrong JSON type (a number where a string belongs, `null`).
        case wrongType = "wrong-type"
        /// A value is outside a closed enumeration.
        case valueNotAllowed = "value-not-allowed"
        /// A slug is not lower-case `[a-z0-9][a-z0-9-]*` of at most 64 characters.
        case invalidSlug = "invalid-slug"
        /// A date or timestamp is malformed or does not exist.
        case invalidDate = "invalid-date"
        /// An event id is not a UUID.
        case invalidIdentifier = "invalid-identifier"
        /// A count is negative.
        case negativeCount = "negative-count"
        /// A list holds the same value twice.
        case duplicateInList = "duplicate-in-list"
        /// A list that must hold at least one value is empty.
        case emptyList = "empty-list"
        /// A `subgroup-lead` role names no sub-group.
        case missingSubgroup = "missing-subgroup"
        /// An upcaster failed to transform an old version.
        case upcastFailed = "upcast-failed"
        /// Entered text holds a control character or is blank (see ``TextCheck``).
        case invalidText = "invalid-text"
    }

    /// The class of problem.
    public let kind: Kind
    /// The path of the offending field (`type`, `data.sector`, `data.attendees[1]`), if any.
    public let field: String?
    /// What is wrong, in one line, without the field path.
    public let message: String

    /// Creates an error; newlines in `message` are replaced so the error stays on one line.
    public init(_ kind: Kind, field: String? = nil, message: String) {
        self.kind = kind
        self.field = field
        self.message = String(message.map { $0.isNewline ? " " : $0 })
    }

    /// `field: message`, or just the message when no field is involved; always one line.
    public var description: String {
        guard let field else { return message }
        return "\(field): \(message)"
    }
}
