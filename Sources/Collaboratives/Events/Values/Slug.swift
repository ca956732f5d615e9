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

    /// ``isValid(utf8:)`` of bytes in place (a stored payload's), eight at a time: the check of each byte in turn
    /// took about 120 instructions for a slug of ten bytes, and a rebuild checks over half a million of them
    /// per 100k events (every attendee's, kept or not).
    static func isValid(utf8 bytes: UnsafeRawBufferPointer) -> Bool {
        guard let first = bytes.first, bytes.count <= maximumLength, first != UInt8(ascii: "-") else { return false }
        var offset = 0
        while bytes.count - offset >= 8 {
            guard isSlugWord(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) else { return false }
            offset += 8
        }
        guard offset < bytes.count else { return true }
        var tail: UInt64 = 0x6161_6161_6161_6161  // "aaaaaaaa": the places past the last byte pass
        withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset...])) }
        return isSlugWord(tail)
    }

    /// Whether each of the eight bytes of `word` is `a`–`z`, `0`–`9` or `-`. Once no byte has its top bit
    /// set, adding a constant below 0x81 to every byte carries into no other byte, so each byte's top bit
    /// then tells one comparison: `b + 0x1f` has it when `b ≥ "a"`, `b + 0x05` when `b > "z"`, and so on.
    private static func isSlugWord(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high = ones &* 0x80
        guard word & high == 0 else { return false }
        let letter = (word &+ ones &* 0x1f) & ~(word &+ ones &* 0x05)  // ≥ 0x61 and ≤ 0x7a
        let digit = (word &+ ones &* 0x50) & ~(word &+ ones &* 0x46)  // ≥ 0x30 and ≤ 0x39
        let apart = word ^ (ones &* 0x2d)  // 0 where the byte is "-"
        let dash = ~(((apart & ~high) &+ ones &* 0x7f) | apart)
        return (letter | digit | dash) & high == high
    }

    /// The slug's text.
    public var description: String { rawValue }

    /// Orders slugs by their text.
    public static func < (lhs: Slug, rhs: Slug) -> Bool { lhs.rawValue < rhs.rawValue }
}
