/// A JSON value, as read from an event's `data` and handed to upcasters.
///
/// Numbers without a fraction or exponent that fit in 64 bits are `.integer`;
/// every other number is `.number`. Objects keep no key order: their canonical
/// text sorts the keys (see ``canonicalBytes``).
public enum JSONValue: Equatable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A whole number that fits in `Int64`.
    case integer(Int64)
    /// Any other number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; keys are unique.
    case object([String: JSONValue])

    /// Parses UTF-8 JSON text strictly (RFC 8259): one value, no trailing commas,
    /// no duplicate keys, no invalid UTF-8, nesting at most 64 levels deep.
    ///
    /// - Parameter field: the path named in errors (`data` by default).
    /// - Throws: ``DomainError`` of kind `.invalidJSON` giving the byte offset.
    public init(parsing bytes: [UInt8], field: String = "data") throws(DomainError) {
        var parser = JSONParser(bytes: bytes, field: field)
        self = try parser.parseDocument()
    }

    /// The name of this value's JSON type, for error messages (`a string`, `null`).
    public var typeDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer: "a whole number"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
