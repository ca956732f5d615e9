internal import Foundation

/// Writes the present view's length-prefixed binary encoding: integers big-endian, strings as u32 length
/// and UTF-8.
struct BinaryWriter {
    private(set) var buffer: [UInt8] = []

    mutating func u8(_ value: UInt8) { buffer.append(value) }

    mutating func u32(_ value: Int) { integer(UInt32(clamping: value), width: 4) }

    mutating func u64(_ value: UInt64) { integer(value, width: 8) }

    mutating func i64(_ value: Int64) { integer(UInt64(bitPattern: value), width: 8) }

    mutating func i32(_ value: Int32) { integer(UInt32(bitPattern: value), width: 4) }

    mutating func bytes(_ value: [UInt8]) { buffer.append(contentsOf: value) }

    mutating func uuid(_ value: UUID) { withUnsafeBytes(of: value.uuid) { buffer.append(contentsOf: $0) } }

    mutating func string(_ value: String) {
        u32(value.utf8.count)
        buffer.append(contentsOf: value.utf8)
    }

    /// A u32 count, then each mark: its position (i32 day, i64 sort key, u64 seq) and its value.
    mutating func marks<Value>(_ marks: TimelineMarks<Value>, _ value: (inout BinaryWriter, Value) -> Void) {
        u32(marks.marks.count)
        for mark in marks.marks {
            i32(mark.position.day.daysSinceEpoch)
            i64(mark.position.sortKey)
            u64(mark.position.seq)
            value(&self, mark.value)
        }
    }

    private mutating func integer<T: FixedWidthInteger>(_ value: T, width: Int) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0.suffix(width)) }
    }
}

/// Reads what ``BinaryWriter`` wrote, checking every length against the bytes left.
struct BinaryReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func u8() throws(PresentViewDecodingError) -> UInt8 { try bytes(1)[0] }

    mutating func u64() throws(PresentViewDecodingError) -> UInt64 { try integer(width: 8) }

    mutating func i64() throws(PresentViewDecodingError) -> Int64 { Int64(bitPattern: try integer(width: 8)) }

    mutating func i32() throws(PresentViewDecodingError) -> Int32 {
        Int32(bitPattern: UInt32(truncatingIfNeeded: try integer(width: 4)))
    }

    /// A u32 count of items, each at least one byte long, so a corrupt count cannot make a huge loop.
    mutating func count() throws(PresentViewDecodingError) -> Int {
        let value = Int(try integer(width: 4))
        guard value <= bytes.count - offset else { throw truncated("a count of \(value)") }
        return value
    }

    mutating func bytes(_ length: Int) throws(PresentViewDecodingError) -> [UInt8] {
        guard length >= 0, length <= bytes.count - offset else { throw truncated("\(length) bytes") }
        defer { offset += length }
        return Array(bytes[offset..<offset + length])
    }

    mutating func uuid() throws(PresentViewDecodingError) -> UUID {
        let raw = try bytes(16)
        var value = UUID().uuid
        withUnsafeMutableBytes(of: &value) { buffer in
            for index in 0..<16 { buffer[index] = raw[index] }
        }
        return UUID(uuid: value)
    }

    mutating func string() throws(PresentViewDecodingError) -> String {
        let raw = try bytes(try count())
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw PresentViewDecodingError(description: "invalid UTF-8 at byte \(offset - raw.count)")
        }
        return text
    }

    mutating func slug() throws(PresentViewDecodingError) -> Slug {
        let text = try string()
        guard let slug = Slug(text) else { throw PresentViewDecodingError(description: "invalid slug \(text)") }
        return slug
    }

    /// A slug, or `nil` for the empty string.
    mutating func optionalSlug() throws(PresentViewDecodingError) -> Slug? {
        let text = try string()
        guard !text.isEmpty else { return nil }
        guard let slug = Slug(text) else { throw PresentViewDecodingError(description: "invalid slug \(text)") }
        return slug
    }

    /// A catalog value by its raw text.
    mutating func value<Value: RawRepresentable<String>>() throws(PresentViewDecodingError) -> Value {
        guard let value = try optionalValue() as Value? else {
            throw PresentViewDecodingError(description: "empty \(Value.self) at byte \(offset)")
        }
        return value
    }

    /// A catalog value by its raw text, or `nil` for the empty string.
    mutating func optionalValue<Value: RawRepresentable<String>>() throws(PresentViewDecodingError) -> Value? {
        let text = try string()
        guard !text.isEmpty else { return nil }
        guard let value = Value(rawValue: text) else {
            throw PresentViewDecodingError(description: "unknown \(Value.self) \(text)")
        }
        return value
    }

    /// Marks written by ``BinaryWriter/marks(_:_:)``, checked to be in timeline order.
    mutating func marks<Value>(_ value: (inout BinaryReader) throws -> Value) throws -> TimelineMarks<Value> {
        var marks: [TimelineMarks<Value>.Mark] = []
        for _ in 0..<(try count()) {
            let position = TimelinePosition(
                day: Day(daysSinceEpoch: try i32()), sortKey: try i64(), seq: try u64())
            if let previous = marks.last, !(previous.position < position) {
                throw PresentViewDecodingError(description: "marks out of order at seq \(position.seq)")
            }
            marks.append(.init(position: position, value: try value(&self)))
        }
        return TimelineMarks(sorted: marks)
    }

    private mutating func integer(width: Int) throws(PresentViewDecodingError) -> UInt64 {
        try bytes(width).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    private func truncated(_ what: String) -> PresentViewDecodingError {
        PresentViewDecodingError(description: "truncated: \(what) wanted at byte \(offset) of \(bytes.count)")
    }
}
