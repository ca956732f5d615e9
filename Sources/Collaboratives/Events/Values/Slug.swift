/// A name chosen by the person recording for a collaborative, member, sub-group or workshop.
///
/// Slugs are lower-case `[a-z0-9][a-z0-9-]*`, at most 64 characters (`oldham`,
/// `ol-17`, `transitions-pilot`). A member slug names one person across all
/// collaboratives.
public struct Slug: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The longest slug accepted, in characters.
    public static let maximumLength = 64

    /// The slug's text.
    public let rawValue: String

    /// Creates a slug, or `nil` when `text` is not a valid slug.
    public init?(_ text: String) {
        guard Self.isValid(text) else { return nil }
        self.rawValue = text
    }

    /// Creates a slug without checking it; only for text already known to be valid.
    package init(trusted text: String) {
        self.rawValue = text
    }

    /// Creates a slug or throws a ``DomainError`` of kind `.invalidSlug` naming `field`.
    public init(validating text: String, field: String) throws(DomainError) {
        guard let slug = Slug(text) else {
            throw DomainError(
                .invalidSlug, field: field,
                message: "\(Quoting.quoted(text)) is not a slug (lower-case [a-z0-9][a-z0-9-]*, at most 64 characters)")
        }
        self = slug
    }

    /// Whether `text` is lower-case `[a-z0-9][a-z0-9-]*` of at most 64 characters.
    public static func isValid(_ text: String) -> Bool { isValid(utf8: text.utf8) }

    /// Whether `bytes` are the UTF-8 of a slug (see ``isValid(_:)``).
    static func isValid(utf8 bytes: some Collection<UInt8>) -> Bool {
        guard let first = bytes.first, bytes.count <= maximumLength, first != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
        }
    }

    /// The slug's text.
    public var description: String { rawValue }

    /// Orders slugs by their text.
    public static func < (lhs: Slug, rhs: Slug) -> Bool { lhs.rawValue < rhs.rawValue }
}
