import Foundation

/// Reads the fields of one JSON object strictly, naming the field path in every error.
///
/// Construction refuses a non-object and any key outside `allowedFields`; each
/// accessor then checks presence, JSON type and value for one field.
struct FieldReader {
    /// The path of the object (`data`).
    let path: String
    private let members: [String: JSONValue]

    /// Reads `value` as an object whose keys are all among `allowedFields`.
    init(_ value: JSONValue, path: String, allowedFields: [String]) throws(DomainError) {
        guard case .object(let members) = value else {
            throw DomainError(.notAnObject, field: path, message: "expected an object, found \(value.typeDescription)")
        }
        // A handful of fields: a linear look-up per key beats building a set for every event decoded.
        if members.keys.contains(where: { !allowedFields.contains($0) }),
            let first = members.keys.filter({ !allowedFields.contains($0) }).sorted().first
        {
            throw DomainError(
                .unknownField, field: Quoting.append(key: first, to: path),
                message: "unknown field (allowed: \(allowedFields.sorted().joined(separator: ", ")))")
        }
        self.path = path
        self.members = members
    }

    func fieldPath(_ key: String) -> String { Quoting.append(key: key, to: path) }

    private func required(_ key: String) throws(DomainError) -> JSONValue {
        guard let value = members[key] else {
            throw DomainError(.missingField, field: fieldPath(key), message: "missing required field")
        }
        return value
    }

    private func wrongType(_ key: String, expected: String, found value: JSONValue) -> DomainError {
        DomainError(.wrongType, field: fieldPath(key), message: "expected \(expected), found \(value.typeDescription)")
    }

    /// Whether the object has `key` at all.
    func contains(_ key: String) -> Bool { members[key] != nil }

    /// The field's JSON value as given, or `nil` when absent.
    func rawValue(_ key: String) -> JSONValue? { members[key] }

    func string(_ key: String) throws(DomainError) -> String {
        let value = try required(key)
        guard case .string(let text) = value else { throw wrongType(key, expected: "a string", found: value) }
        return text
    }

    func optionalString(_ key: String) throws(DomainError) -> String? {
        contains(key) ? try string(key) : nil
    }

    /// Free text of at most `maximum` characters (Unicode scalars, as JSON Schema counts them), never empty.
    func text(_ key: String, maximum: Int) throws(DomainError) -> String {
        let value = try string(key)
        let length = value.unicodeScalars.count
        guard length >= 1 else {
            throw DomainError(.wrongType, field: fieldPath(key), message: "must not be empty")
        }
        guard length <= maximum else {
            throw DomainError(
                .wrongType, field: fieldPath(key), message: "is \(length) characters long (at most \(maximum))")
        }
        return value
    }

    /// Optional free text (see ``text(_:maximum:)``).
    func optionalText(_ key: String, maximum: Int) throws(DomainError) -> String? {
        contains(key) ? try text(key, maximum: maximum) : nil
    }

    /// Names, titles, organisations: at most 200 characters.
    static let shortTextLimit = 200
    /// Aims, notes, reasons: at most 2000 characters.
    static let longTextLimit = 2000

    func slug(_ key: String) throws(DomainError) -> Slug {
        try Slug(validating: try string(key), field: fieldPath(key))
    }

    func optionalSlug(_ key: String) throws(DomainError) -> Slug? {
        contains(key) ? try slug(key) : nil
    }

    func day(_ key: String) throws(DomainError) -> Day {
        try Day(validating: try string(key), field: fieldPath(key))
    }

    func identifier(_ key: String) throws(DomainError) -> UUID {
        let text = try string(key)
        guard let identifier = UUID(canonicalText: text) else {
            throw DomainError(
                .invalidIdentifier, field: fieldPath(key), message: "\(Quoting.quoted(text)) is not a UUID")
        }
        return identifier
    }

    func value<Value: RawRepresentable<String> & CaseIterable>(
        _ key: String, as type: Value.Type
    ) throws(DomainError) -> Value {
        try closedValue(try string(key), as: type, field: fieldPath(key))
    }

    func optionalValue<Value: RawRepresentable<String> & CaseIterable>(
        _ key: String, as type: Value.Type
    ) throws(DomainError) -> Value? {
        contains(key) ? try value(key, as: type) : nil
    }

    func count(_ key: String) throws(DomainError) -> Int {
        let value = try required(key)
        guard case .integer(let number) = value, let count = Int(exactly: number) else {
            throw wrongType(key, expected: "a whole number", found: value)
        }
        guard count >= 0 else {
            throw DomainError(.negativeCount, field: fieldPath(key), message: "count \(count) is negative")
        }
        return count
    }

    func optionalCount(_ key: String) throws(DomainError) -> Int? {
        contains(key) ? try count(key) : nil
    }

    /// A list of distinct slugs; `nonEmpty` refuses `[]`.
    func slugList(_ key: String, nonEmpty: Bool) throws(DomainError) -> [Slug] {
        let value = try required(key)
        guard case .array(let elements) = value else { throw wrongType(key, expected: "an array", found: value) }
        if nonEmpty, elements.isEmpty {
            throw DomainError(.emptyList, field: fieldPath(key), message: "must list at least one value")
        }
        var slugs: [Slug] = []
        slugs.reserveCapacity(elements.count)
        // A repeat is found by a scan of the slugs so far in a short list (a set costs more to build), by a
        // set in a long one.
        let isLong = elements.count > 16
        var seen = Set<Slug>(minimumCapacity: isLong ? elements.count : 0)
        // The path of an element is built only for an error: decoding a register of thirty attendees
        // would otherwise format thirty paths per event.
        func elementPath(_ position: Int) -> String { "\(fieldPath(key))[\(position)]" }
        for (position, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                throw DomainError(
                    .wrongType, field: elementPath(position),
                    message: "expected a string, found \(element.typeDescription)")
            }
            // Valid text needs no path; invalid text gets the validating initialiser's error, with its path.
            let slug: Slug
            if let valid = Slug(text) {
                slug = valid
            } else {
                slug = try Slug(validating: text, field: elementPath(position))
            }
            guard isLong ? seen.insert(slug).inserted : !slugs.contains(slug) else {
                throw DomainError(.duplicateInList, field: elementPath(position), message: "\(slug) is listed twice")
            }
            slugs.append(slug)
        }
        return slugs
    }
}

/// Builds the canonical `data` object of an event, leaving out absent optional fields.
struct FieldWriter {
    private(set) var members: [String: JSONValue] = [:]

    var object: JSONValue { .object(members) }

    mutating func set(_ key: String, _ text: String?) {
        if let text { members[key] = .string(text) }
    }

    mutating func set(_ key: String, json value: JSONValue) {
        members[key] = value
    }

    mutating func set(_ key: String, _ slug: Slug?) {
        set(key, slug?.rawValue)
    }

    mutating func set<Value: RawRepresentable<String>>(_ key: String, _ value: Value?) {
        set(key, value?.rawValue)
    }

    mutating func set(_ key: String, _ day: Day) {
        set(key, day.description)
    }

    mutating func set(_ key: String, _ identifier: UUID) {
        set(key, identifier.uuidString.lowercased())
    }

    mutating func set(_ key: String, _ count: Int?) {
        if let count { members[key] = .integer(Int64(count)) }
    }

    mutating func set(_ key: String, _ slugs: [Slug]) {
        members[key] = .array(slugs.map { .string($0.rawValue) })
    }
}
