import Collaboratives

/// Reads the flags of `chronicle record` into the event's typed fields, with each refusal naming the
/// field as `import` would (`data.attendees[1]`): ``FlagNames`` turns that into the flag (`--attendee`), for
/// these errors and for those of ``Collaboratives/DomainEvent/checkedAsInput()`` alike.
enum FlagValue {
    /// The path of the event's `data` field `key` in errors (`data.member`).
    static func path(_ key: String) -> String { "data.\(key)" }

    static func slug(_ text: String, _ key: String) throws(DomainError) -> Slug {
        try Slug(validating: text, field: path(key))
    }

    static func optionalSlug(_ text: String?, _ key: String) throws(DomainError) -> Slug? {
        guard let text else { return nil }
        return try slug(text, key)
    }

    /// A list flag's values (`--attendee`, repeated), each named by its position.
    static func slugs(_ texts: [String], _ key: String) throws(DomainError) -> [Slug] {
        var slugs: [Slug] = []
        for (position, text) in texts.enumerated() {
            slugs.append(try Slug(validating: text, field: "\(path(key))[\(position)]"))
        }
        return slugs
    }

    static func day(_ text: String, _ key: String) throws(DomainError) -> Day {
        try Day(validating: text, field: path(key))
    }
}

/// Translates the codec's field paths (`data.attendees[1]`) into the flags that set them (`--attendee`).
enum FlagNames {
    /// The list fields, whose flag is named for one value and repeated (`--attendee a --attendee b`).
    static let listFlags = ["attendees": "attendee", "collaboratives": "collaborative"]

    /// The flag that sets the event's `data` field `key` (`--anchor-organisation` for `anchorOrganisation`).
    static func flag(for key: String) -> String { "--" + kebab(listFlags[key] ?? key) }

    /// `error`'s description with its field path, when it is one of `data`, turned into the flag.
    static func describe(_ error: DomainError) -> String {
        guard let field = error.field, field.hasPrefix("data.") else { return error.description }
        var name = String(field.dropFirst(5))
        var suffix = ""
        if let bracket = name.firstIndex(of: "[") {
            suffix = " (value \(name[bracket...]))"
            name = String(name[..<bracket])
        }
        return "\(flag(for: name))\(suffix): \(error.message)"
    }

    static func kebab(_ camel: String) -> String {
        var result = ""
        for character in camel {
            if character.isUppercase {
                result += "-" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}
