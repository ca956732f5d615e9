import Foundation

/// What an event type's `init(reading:)` asks of a payload: one call per field, in the order the type
/// lists them.
///
/// Two readers stand behind it: ``FieldReader`` reads a JSON `data` object by field name, checking
/// every value as input must be checked; ``BinaryPayloadReader`` reads the stored binary layout
/// (``BinaryPayload``) field after field, in the same order as ``PayloadFieldWriting`` wrote them. Each
/// type therefore states its fields once, for both encodings.
protocol PayloadFieldReading {
    /// The path of field `key` in error messages (`data.subgroup`).
    func fieldPath(_ key: String) -> String
    mutating func slug(_ key: String) throws(DomainError) -> Slug
    mutating func optionalSlug(_ key: String) throws(DomainError) -> Slug?
    mutating func day(_ key: String) throws(DomainError) -> Day
    mutating func identifier(_ key: String) throws(DomainError) -> UUID
    mutating func value<Value: StoredEnumeration>(
        _ key: String, as type: Value.Type
    ) throws(DomainError) -> Value
    mutating func optionalValue<Value: StoredEnumeration>(
        _ key: String, as type: Value.Type
    ) throws(DomainError) -> Value?
    mutating func count(_ key: String) throws(DomainError) -> Int
    mutating func optionalCount(_ key: String) throws(DomainError) -> Int?
    /// A list of distinct slugs; `nonEmpty` refuses `[]`.
    mutating func slugList(_ key: String, nonEmpty: Bool) throws(DomainError) -> [Slug]
    /// The members who attended a workshop or coaching session: a list of distinct slugs, possibly empty.
    mutating func attendees(_ key: String) throws(DomainError) -> [Slug]
    /// Free text of 1 to `maximum` characters (Unicode scalars).
    mutating func text(_ key: String, maximum: Int) throws(DomainError) -> String
    mutating func optionalText(_ key: String, maximum: Int) throws(DomainError) -> String?
    /// Personal free text: plain, or sealed as the store keeps it.
    mutating func optionalPersonalText(_ key: String, maximum: Int) throws(DomainError) -> PersonalText?
    /// Personal free text that stores before binary layout 2 kept as plain text (a member's organisation).
    mutating func optionalPersonalTextOnceInClear(_ key: String, maximum: Int) throws(DomainError) -> PersonalText?
}

extension PayloadFieldReading {
    /// Only a stored payload's reader may leave the list out (see ``EventDecoder``); JSON always gives it.
    mutating func attendees(_ key: String) throws(DomainError) -> [Slug] {
        try slugList(key, nonEmpty: false)
    }

    /// In JSON a plain string and a sealed object are told apart by shape, old payloads or new.
    mutating func optionalPersonalTextOnceInClear(_ key: String, maximum: Int) throws(DomainError) -> PersonalText? {
        try optionalPersonalText(key, maximum: maximum)
    }
}

/// What an event type's `write(to:)` gives a payload: one call per field, in the order the type lists
/// them, `nil` for an absent optional field. ``FieldWriter`` builds the canonical JSON object;
/// ``BinaryPayloadWriter`` the stored binary layout.
protocol PayloadFieldWriting {
    mutating func set(_ key: String, _ text: String?)
    mutating func set(_ key: String, _ slug: Slug?)
    mutating func set<Value: StoredEnumeration>(_ key: String, _ value: Value?)
    mutating func set(_ key: String, _ day: Day)
    mutating func set(_ key: String, _ identifier: UUID)
    mutating func set(_ key: String, _ count: Int?)
    mutating func set(_ key: String, _ slugs: [Slug])
    mutating func set(_ key: String, _ text: PersonalText?)
    /// Personal free text that stores before binary layout 2 kept as plain text (a member's organisation).
    mutating func setOnceInClear(_ key: String, _ text: PersonalText?)
}

extension PayloadFieldWriting {
    /// Written as any personal text, except in the binary layout (see ``BinaryPayloadWriter``).
    mutating func setOnceInClear(_ key: String, _ text: PersonalText?) { set(key, text) }
}

extension FieldReader: PayloadFieldReading {}
extension FieldWriter: PayloadFieldWriting {}
