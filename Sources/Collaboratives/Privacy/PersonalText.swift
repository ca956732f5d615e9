internal import Foundation

/// A free-text field that is personal data: a member's name, or a note or reason about them.
///
/// What a caller records is `.plain`; what the store holds is `.sealed` (AES-GCM under the member's key, see
/// ``PersonalDataSeal``), and a stored event decodes to `.sealed` so that rebuilding and the rules never
/// decrypt anything. Reports open sealed text with a ``PersonalDataKeys`` ring at display time.
///
/// In a payload a sealed value is the object `{"sealed":"<base64 of nonce ‖ ciphertext ‖ tag>"}`, which no
/// input line may carry (``Draft/init(line:defaultRecordedBy:upcasters:)`` refuses it).
public enum PersonalText: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// Readable text, as recorded.
    case plain(String)
    /// Text sealed under the member's key: 12-byte nonce ‖ ciphertext ‖ 16-byte tag.
    case sealed([UInt8])

    /// Plain text from a literal (for tests and examples).
    public init(stringLiteral value: String) { self = .plain(value) }

    /// The text when it is plain, else `nil` (sealed text needs a key: see ``PersonalDataKeys``).
    public var plainText: String? {
        if case .plain(let text) = self { return text }
        return nil
    }

    /// Whether the text is sealed.
    public var isSealed: Bool {
        if case .sealed = self { return true }
        return false
    }

    /// The plain text, or `(sealed)`: never the ciphertext.
    public var description: String { plainText ?? "(sealed)" }

    /// The value as it appears in a payload.
    var jsonValue: JSONValue {
        switch self {
        case .plain(let text): .string(text)
        case .sealed(let bytes): .object([Self.sealedKey: .string(Data(bytes).base64EncodedString())])
        }
    }

    /// The member name of a sealed value's object.
    static let sealedKey = "sealed"
}

extension FieldReader {
    /// Personal free text (see ``text(_:maximum:)``), plain, or sealed as stored.
    func optionalPersonalText(_ key: String, maximum: Int) throws(DomainError) -> PersonalText? {
        guard contains(key) else { return nil }
        if let bytes = try sealedBytes(key) { return .sealed(bytes) }
        return .plain(try text(key, maximum: maximum))
    }

    /// The bytes of a stored `{"sealed": base64}` value, or `nil` when the field is not an object.
    private func sealedBytes(_ key: String) throws(DomainError) -> [UInt8]? {
        guard case .object(let members)? = rawValue(key) else { return nil }
        guard members.count == 1, case .string(let base64)? = members[PersonalText.sealedKey],
            let bytes = Data(base64Encoded: base64), bytes.count >= PersonalDataSeal.overhead
        else {
            throw DomainError(.wrongType, field: fieldPath(key), message: "expected a string, found an object")
        }
        return Array(bytes)
    }
}

extension FieldWriter {
    mutating func set(_ key: String, _ text: PersonalText?) {
        if let text { set(key, json: text.jsonValue) }
    }
}
