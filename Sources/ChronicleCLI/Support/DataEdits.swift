import Collaboratives

/// The edits `chronicle correct` applies to a copy of an event's data.
struct DataEdits {
    let set: [String]
    let unset: [String]
    let add: [String]
    let remove: [String]

    /// The list fields by the name of their flag (`attendee` for `attendees`), as `record` names them.
    static let listNames = Dictionary(uniqueKeysWithValues: FlagNames.listFlags.map { ($0.value, $0.key) })

    func apply(to data: JSONValue) throws -> JSONValue {
        guard case .object(var fields) = data else { throw CLIError.invalidData("the event's data is not an object") }
        for pair in set {
            let (key, value) = try split(pair, "--set")
            if case .integer = fields[key] ?? .null, let number = Int64(value) {
                fields[key] = .integer(number)
            } else if ["guests", "minutes", "invited", "responded"].contains(key), let number = Int64(value) {
                fields[key] = .integer(number)
            } else {
                fields[key] = .string(value)
            }
        }
        for name in unset { fields[Self.fieldName(name)] = nil }
        for pair in add {
            let (key, value) = try split(pair, "--add", list: true)
            guard case .array(var items) = fields[key] ?? .array([]) else {
                throw CLIError.usage("--add: \(key) is not a list")
            }
            items.append(.string(value))
            fields[key] = .array(items)
        }
        for pair in remove {
            let (key, value) = try split(pair, "--remove", list: true)
            guard case .array(let items) = fields[key] ?? .array([]) else {
                throw CLIError.usage("--remove: \(key) is not a list")
            }
            guard items.contains(.string(value)) else { throw CLIError.usage("--remove: \(value) is not in \(key)") }
            fields[key] = .array(items.filter { $0 != .string(value) })
        }
        return .object(fields)
    }

    private func split(_ pair: String, _ flag: String, list: Bool = false) throws -> (String, String) {
        guard let equals = pair.firstIndex(of: "=") else {
            throw CLIError.usage("\(flag): expected field=value, got \(pair.debugDescription)")
        }
        var key = Self.fieldName(String(pair[..<equals]))
        if list { key = Self.listNames[key] ?? key }
        return (key, String(pair[pair.index(after: equals)...]))
    }

    /// `anchor-organisation` → `anchorOrganisation`.
    static func fieldName(_ text: String) -> String {
        var result = ""
        var upperNext = false
        for character in text {
            if character == "-" {
                upperNext = true
            } else {
                result += upperNext ? character.uppercased() : String(character)
                upperNext = false
            }
        }
        return result
    }
}
