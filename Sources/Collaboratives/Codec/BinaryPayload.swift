import Foundation

/// The stored form of an event's payload: a compact binary layout, read straight into the domain structs.
///
/// JSON is the interchange format (input, export); the store keeps this, because a rebuild reads every
/// stored payload and a JSON parse plus a field dictionary per event costs several times the scan itself.
/// A payload is the layout byte ``layout`` (1) followed by the type's fields in the order its
/// `write(to:)` and `init(reading:)` list them (``PayloadFieldWriting``):
///
/// | field kind | bytes |
/// |---|---|
/// | slug | u8 length (1…64; 0 = absent) ‖ ASCII |
/// | text | varint (UTF-8 length + 1; 0 = absent) ‖ UTF-8 |
/// | enumeration value | u8 (position in ``StoredEnumeration/storedOrder`` + 1; 0 = absent) |
/// | count | varint (count + 1; 0 = absent) |
/// | day | i32 big-endian, days since 1970-01-01 |
/// | event id | 16 bytes |
/// | list of slugs | varint count ‖ slugs |
/// | personal text | u8 0 absent, 1 plain ‖ varint length ‖ UTF-8, 2 sealed ‖ varint length ‖ bytes |
///
/// Layout 2 is layout 1 except that a member's organisation (`MemberJoined`, `MemberDetailsChanged`) is
/// personal text, sealed like the name; layout 1 stored it as text, in clear. Layout 2 is written only for
/// a payload that has an organisation (without one, both layouts give the same fields), so every payload
/// stored before it keeps its bytes, its hash and its meaning.
///
/// Varints are unsigned LEB128. The first byte tells a binary payload from a JSON one (`{`), which stores
/// written before this layout hold and which stay readable as they are (their hashes cover them).
/// Only the latest schema version is stored this way; a payload given in an older version is kept as the
/// JSON it was given in, to be upcast when read.
enum BinaryPayload {
    /// The layout byte that starts every binary payload without an organisation.
    static let layout: UInt8 = 1
    /// The layout byte of a payload whose organisation is personal text (sealed when stored).
    static let personalOrganisationLayout: UInt8 = 2

    /// Whether `payload` is in this layout (rather than the JSON of earlier stores).
    static func isBinary(_ payload: [UInt8]) -> Bool {
        payload.first == layout || payload.first == personalOrganisationLayout
    }

    /// ``isBinary(_:)`` of a payload read in place.
    static func isBinary(_ payload: UnsafeRawBufferPointer) -> Bool {
        payload.first == layout || payload.first == personalOrganisationLayout
    }

    /// Whether `payload` may hold an organisation in clear, as stores before layout 2 wrote it (layout 1).
    static func mayHoldOrganisationInClear(_ payload: [UInt8]) -> Bool {
        payload.first == layout
    }
}

/// Writes the binary layout of ``BinaryPayload``.
struct BinaryPayloadWriter: PayloadFieldWriting {
    private(set) var bytes: [UInt8]
    /// Whether an organisation in clear is written as layout 1 text, as stores before layout 2 hold it
    /// (only to reproduce such a payload, whose hash covers those bytes).
    private let organisationInClear: Bool

    init(capacity: Int = 96, organisationInClear: Bool = false) {
        self.organisationInClear = organisationInClear
        bytes = []
        bytes.reserveCapacity(capacity)
        bytes.append(BinaryPayload.layout)
    }

    mutating func set(_ key: String, _ text: String?) {
        guard let text else { return varint(0) }
        varint(UInt64(text.utf8.count) + 1)
        bytes.append(contentsOf: text.utf8)
    }

    mutating func set(_ key: String, _ slug: Slug?) {
        guard let slug else { return bytes.append(0) }
        let utf8 = slug.rawValue.utf8
        bytes.append(UInt8(truncatingIfNeeded: utf8.count))
        bytes.append(contentsOf: utf8)
    }

    mutating func set<Value: StoredEnumeration>(_ key: String, _ value: Value?) {
        guard let value else { return bytes.append(0) }
        // Every case is listed (a test holds `storedOrder` to `allCases`); absent would change the value.
        guard let position = Value.storedOrder.firstIndex(of: value) else {
            preconditionFailure("\(Value.self).storedOrder does not list \(value.rawValue)")
        }
        bytes.append(UInt8(truncatingIfNeeded: position + 1))
    }

    mutating func set(_ key: String, _ day: Day) {
        withUnsafeBytes(of: day.daysSinceEpoch.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func set(_ key: String, _ identifier: UUID) {
        withUnsafeBytes(of: identifier.uuid) { bytes.append(contentsOf: $0) }
    }

    mutating func set(_ key: String, _ count: Int?) {
        guard let count else { return varint(0) }
        // Counts are checked non-negative when read; storing another value would change it silently.
        precondition(count >= 0, "a count is never negative")
        varint(UInt64(count) + 1)
    }

    mutating func set(_ key: String, _ slugs: [Slug]) {
        varint(UInt64(slugs.count))
        for slug in slugs { set(key, slug) }
    }

    mutating func set(_ key: String, _ text: PersonalText?) {
        switch text {
        case nil: bytes.append(0)
        case .plain(let plain)?:
            bytes.append(1)
            varint(UInt64(plain.utf8.count))
            bytes.append(contentsOf: plain.utf8)
        case .sealed(let sealed)?:
            bytes.append(2)
            varint(UInt64(sealed.count))
            bytes.append(contentsOf: sealed)
        }
    }

    mutating func setOnceInClear(_ key: String, _ text: PersonalText?) {
        if organisationInClear, case .plain(let plain)? = text { return set(key, plain) }
        // Absent is the byte 0 in both layouts; only a value needs layout 2.
        if text != nil { bytes[0] = BinaryPayload.personalOrganisationLayout }
        set(key, text)
    }

    private mutating func varint(_ value: UInt64) { LEB128.append(value, to: &bytes) }
}

/// Reads the binary layout of ``BinaryPayload`` from a buffer that outlives it.
///
/// Every read is length-checked, text must be UTF-8, slugs must be slugs, enumeration codes and days in
/// range, numbers in their shortest form, lists without repeats, and the payload must end where its last
/// field does; any failure is a ``DomainError`` naming the field. What decodes is therefore an event the
/// JSON reader would accept too.
struct BinaryPayloadReader: PayloadFieldReading {
    private let buffer: UnsafeRawBufferPointer
    private var offset = 1
    /// Whether ``attendees(_:)`` makes the list, or only checks it as stored (see ``EventDecoder``).
    var keepsAttendees = true

    /// A reader after the layout byte; `nil` when `buffer` does not start with one.
    init?(_ buffer: UnsafeRawBufferPointer) {
        guard let first = buffer.first,
            first == BinaryPayload.layout || first == BinaryPayload.personalOrganisationLayout
        else { return nil }
        self.buffer = buffer
    }

    /// Throws unless every byte was read.
    func finish() throws(DomainError) {
        guard offset == buffer.count else {
            throw DomainError(
                .wrongType, field: "data",
                message: "stored payload has \(buffer.count - offset) bytes after its last field")
        }
    }

    func fieldPath(_ key: String) -> String { Quoting.append(key: key, to: "data") }

    private func corrupt(_ key: String, _ reason: String) -> DomainError {
        DomainError(.wrongType, field: fieldPath(key), message: "stored payload: \(reason)")
    }

    private mutating func byte(_ key: String) throws(DomainError) -> UInt8 {
        guard offset < buffer.count else { throw corrupt(key, "ends early") }
        defer { offset += 1 }
        return buffer[offset]
    }

    private mutating func varint(_ key: String) throws(DomainError) -> UInt64 {
        var decoder = LEB128.Decoder()
        while true {
            switch decoder.take(try byte(key)) {
            case .more: continue
            case .done(let value, let shortest):
                // One encoding per number: a last byte of 0 after the first would be padding.
                guard shortest else { throw corrupt(key, "number not in its shortest form") }
                return value
            case .overflow: throw corrupt(key, "number out of range")
            }
        }
    }

    private mutating func slice(_ key: String, _ count: UInt64) throws(DomainError) -> UnsafeRawBufferPointer {
        guard count <= UInt64(buffer.count - offset) else { throw corrupt(key, "ends early") }
        let start = offset
        offset += Int(count)
        return UnsafeRawBufferPointer(rebasing: buffer[start..<offset])
    }

    private mutating func utf8(_ key: String, _ count: UInt64) throws(DomainError) -> String {
        let bytes = try slice(key, count)
        // ASCII is valid UTF-8 as it stands, and checking for it costs less than validating.
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw corrupt(key, "text is not UTF-8") }
        return text
    }

    private mutating func slugBody(_ key: String, length: UInt8) throws(DomainError) -> Slug {
        Slug(trusted: String(decoding: try slugBytes(key, length: length), as: UTF8.self))
    }

    /// The next `length` bytes, checked to be a slug's.
    private mutating func slugBytes(_ key: String, length: UInt8) throws(DomainError) -> UnsafeRawBufferPointer {
        guard length <= Slug.maximumLength else { throw corrupt(key, "slug of \(length) bytes") }
        let bytes = try slice(key, UInt64(length))
        guard Slug.isValid(utf8: bytes) else { throw corrupt(key, "not a slug") }
        return bytes
    }

    mutating func optionalSlug(_ key: String) throws(DomainError) -> Slug? {
        let length = try byte(key)
        return length == 0 ? nil : try slugBody(key, length: length)
    }

    mutating func slug(_ key: String) throws(DomainError) -> Slug {
        guard let slug = try optionalSlug(key) else { throw corrupt(key, "required field is absent") }
        return slug
    }

    mutating func day(_ key: String) throws(DomainError) -> Day {
        let bytes = try slice(key, 4)
        let days = Int32(
            bitPattern: UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3]))
        // The days a YYYY-MM-DD date can name: 0000-01-01 … 9999-12-31.
        guard (-719_528...2_932_896).contains(days) else { throw corrupt(key, "day \(days) out of range") }
        return Day(daysSinceEpoch: days)
    }

    mutating func identifier(_ key: String) throws(DomainError) -> UUID {
        let b = try slice(key, 16)
        return UUID(
            uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
        )
    }

    mutating func optionalValue<Value: StoredEnumeration>(
        _ key: String, as type: Value.Type
    ) throws(DomainError) -> Value? {
        let code = Int(try byte(key))
        guard code != 0 else { return nil }
        let order = Value.storedOrder
        guard code <= order.count else { throw corrupt(key, "value code \(code) is not defined") }
        return order[code - 1]
    }

    mutating func value<Value: StoredEnumeration>(
        _ key: String, as type: Value.Type
    ) throws(DomainError) -> Value {
        guard let value = try optionalValue(key, as: type) else { throw corrupt(key, "required field is absent") }
        return value
    }

    mutating func optionalCount(_ key: String) throws(DomainError) -> Int? {
        let stored = try varint(key)
        guard stored != 0 else { return nil }
        guard let count = Int(exactly: stored - 1) else { throw corrupt(key, "count out of range") }
        return count
    }

    mutating func count(_ key: String) throws(DomainError) -> Int {
        guard let count = try optionalCount(key) else { throw corrupt(key, "required field is absent") }
        return count
    }

    mutating func slugList(_ key: String, nonEmpty: Bool) throws(DomainError) -> [Slug] {
        try slugList(key, nonEmpty: nonEmpty, keeping: true)
    }

    mutating func attendees(_ key: String) throws(DomainError) -> [Slug] {
        try slugList(key, nonEmpty: false, keeping: keepsAttendees)
    }

    /// A list of distinct slugs, checked whole; `keeping: false` gives `[]` instead of the list.
    private mutating func slugList(_ key: String, nonEmpty: Bool, keeping: Bool) throws(DomainError) -> [Slug] {
        let count = try varint(key)
        // Each slug takes at least two bytes, so a count beyond that is damage, not a reason to allocate.
        guard count <= UInt64(buffer.count - offset) / 2 else { throw corrupt(key, "list of \(count) slugs") }
        if nonEmpty, count == 0 { throw corrupt(key, "empty list") }
        var slugs: [Slug] = []
        if keeping { slugs.reserveCapacity(Int(count)) }
        let first = offset
        // A bit per slug read, chosen by its length and last two bytes: a slug whose bit is still clear repeats
        // none of those before, so only the few whose bit is set are compared with them.
        var seen: UInt64 = 0
        for _ in 0..<count {
            let start = offset
            let length = try byte(key)
            guard length != 0 else { throw corrupt(key, "empty slug in a list") }
            let bytes = try slugBytes(key, length: length)
            let bit = Self.listBit(bytes)
            // Registers are tens of names long: a scan of those before costs less than a set. It compares the
            // stored bytes: comparing `String`s (Swift's general comparison for most) cost far more.
            guard seen & bit == 0 || !listsEarlier(start, from: first) else {
                throw corrupt(key, "\(String(decoding: bytes, as: UTF8.self)) is listed twice")
            }
            seen |= bit
            if keeping { slugs.append(Slug(trusted: String(decoding: bytes, as: UTF8.self))) }
        }
        return slugs
    }

    /// The bit standing for a (non-empty) slug in a list's mask of those read: chosen by its length and its
    /// last two bytes, where the slugs of one list differ.
    private static func listBit(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let last = UInt64(bytes[bytes.count - 1])
        let before = UInt64(bytes[max(bytes.count - 2, 0)])
        return 1 << ((last &* 7 &+ before &* 3 &+ UInt64(bytes.count)) & 63)
    }

    /// Whether the length-prefixed slug stored at `start` repeats one of those stored from `first` up to it
    /// (already read, so in bounds).
    private func listsEarlier(_ start: Int, from first: Int) -> Bool {
        guard let base = buffer.baseAddress else { return false }
        let length = Int(buffer[start])
        // The slugs of one list mostly share a prefix (`oldham-m17`, `oldham-m23`): their last bytes differ.
        let last = buffer[start + length]
        var earlier = first
        while earlier < start {
            let earlierLength = Int(buffer[earlier])
            if earlierLength == length, buffer[earlier + length] == last,
                memcmp(base + earlier + 1, base + start + 1, length) == 0
            {
                return true
            }
            earlier += 1 + earlierLength
        }
        return false
    }

    mutating func optionalText(_ key: String, maximum: Int) throws(DomainError) -> String? {
        let stored = try varint(key)
        guard stored != 0 else { return nil }
        guard stored > 1 else { throw corrupt(key, "empty text") }
        let text = try utf8(key, stored - 1)
        // At most `maximum` bytes is at most `maximum` characters; only longer text needs counting.
        if stored - 1 > UInt64(maximum), text.unicodeScalars.count > maximum {
            throw corrupt(key, "text longer than \(maximum) characters")
        }
        return text
    }

    mutating func text(_ key: String, maximum: Int) throws(DomainError) -> String {
        guard let text = try optionalText(key, maximum: maximum) else { throw corrupt(key, "required field is absent") }
        return text
    }

    mutating func optionalPersonalText(_ key: String, maximum: Int) throws(DomainError) -> PersonalText? {
        switch try byte(key) {
        case 0: return nil
        case 1:
            let length = try varint(key)
            let text = try utf8(key, length)
            guard !text.isEmpty else { throw corrupt(key, "empty text") }
            if length > UInt64(maximum), text.unicodeScalars.count > maximum {
                throw corrupt(key, "text longer than \(maximum) characters")
            }
            return .plain(text)
        case 2:
            let sealed = try slice(key, try varint(key))
            guard sealed.count >= PersonalDataSeal.overhead else { throw corrupt(key, "sealed text too short") }
            return .sealed(Array(sealed))
        case let kind:
            throw corrupt(key, "personal text kind \(kind) is not defined")
        }
    }

    mutating func optionalPersonalTextOnceInClear(_ key: String, maximum: Int) throws(DomainError) -> PersonalText? {
        guard buffer[0] == BinaryPayload.personalOrganisationLayout else {
            return try optionalText(key, maximum: maximum).map(PersonalText.plain)
        }
        // Layout 2 is written only for a value: one encoding per payload.
        guard let text = try optionalPersonalText(key, maximum: maximum) else {
            throw corrupt(key, "layout 2 without a value")
        }
        return text
    }
}

/// An enumeration stored as a one-byte code: its position in ``storedOrder`` plus one.
///
/// `storedOrder` is written out case by case rather than taken from `allCases`, so that the codes of
/// stored payloads cannot move: a new case goes at the end, and a test requires every case to be listed
/// exactly once. (A stored list is also read without building `allCases` for every value decoded.)
protocol StoredEnumeration: RawRepresentable<String>, CaseIterable, Equatable, Sendable {
    /// Every case, in code order.
    static var storedOrder: [Self] { get }
}
