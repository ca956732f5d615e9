/// A strict recursive-descent JSON parser over UTF-8 bytes.
///
/// The parsing itself is done by ``JSONBufferParser`` over the array's storage, so that reading a byte
/// costs no bounds check beyond the one the parser makes itself.
struct JSONParser {
    /// The deepest nesting accepted, so hostile input cannot exhaust the stack.
    static let maximumDepth = 64

    private let bytes: [UInt8]
    private let field: String

    init(bytes: [UInt8], field: String) {
        self.bytes = bytes
        self.field = field
    }

    /// Parses exactly one value surrounded by optional whitespace.
    mutating func parseDocument() throws(DomainError) -> JSONValue {
        let field = field
        return try bytes.withUnsafeBufferPointer { (buffer) throws(DomainError) -> JSONValue in
            var parser = JSONBufferParser(bytes: buffer, field: field)
            return try parser.parseDocument()
        }
    }
}

/// The parser proper, reading a buffer that outlives it (see ``JSONParser/parseDocument()``).
///
/// Every read of `bytes[index]` is preceded by a check that `index < bytes.count`: that check is the
/// only thing between a malformed document and reading past the buffer. Strings and numbers are in
/// `JSONBufferParser+Strings.swift` and `JSONBufferParser+Numbers.swift`.
struct JSONBufferParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let field: String
    /// The offset of the next byte to read; error messages report it.
    var index = 0
    private var depth = 0
    /// Reused for the bytes of strings with escapes, so they cost no allocation each.
    var escapedBytes: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, field: String) {
        self.bytes = bytes
        self.field = field
    }

    /// Parses exactly one value surrounded by optional whitespace.
    mutating func parseDocument() throws(DomainError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw failure("unexpected text after the JSON value") }
        return value
    }

    func failure(_ reason: String) -> DomainError {
        DomainError(.invalidJSON, field: field, message: "invalid JSON at byte \(index): \(reason)")
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ literal: String, value: JSONValue) throws(DomainError) -> JSONValue {
        for byte in literal.utf8 {
            guard current == byte else { throw failure("expected \(literal)") }
            index += 1
        }
        return value
    }

    private mutating func parseValue() throws(DomainError) -> JSONValue {
        guard let byte = current else { throw failure("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try expect("true", value: .bool(true))
        case UInt8(ascii: "f"): return try expect("false", value: .bool(false))
        case UInt8(ascii: "n"): return try expect("null", value: .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("unexpected character")
        }
    }

    private mutating func enterContainer() throws(DomainError) {
        depth += 1
        guard depth <= JSONParser.maximumDepth else {
            throw failure("nested deeper than \(JSONParser.maximumDepth) levels")
        }
        index += 1
        skipWhitespace()
    }

    private mutating func parseObject() throws(DomainError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        if current == UInt8(ascii: "}") {
            index += 1
            return .object([:])
        }
        // Event payloads have a handful of fields: room for them up front saves the rehashing of growth.
        var members = [String: JSONValue](minimumCapacity: 8)
        while true {
            guard current == UInt8(ascii: "\"") else { throw failure("expected a string key") }
            let keyStart = index
            let key = try parseString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw failure("expected ':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            // The dictionary decides what a duplicate is (String equality is canonical equivalence).
            guard members.updateValue(value, forKey: key) == nil else {
                index = keyStart
                throw failure("duplicate key \(Quoting.quoted(key))")
            }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default:
                throw failure("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(DomainError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default:
                throw failure("expected ',' or ']'")
            }
        }
    }
}
