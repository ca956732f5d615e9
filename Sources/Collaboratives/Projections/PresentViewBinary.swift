internal import Foundation

/// Writes the present view's binary encoding: fixed-width integers big-endian, counts, symbol indices and
/// seqs as unsigned LEB128 varints, signed values zig-zagged, free text as u32 length and UTF-8.
struct BinaryWriter {
    private(set) var buffer: [UInt8] = []

    /// Makes room for `count` bytes at once: a large state is then written without copying the buffer at
    /// every doubling (pages reserved but never written are not resident).
    mutating func reserve(_ count: Int) { buffer.reserveCapacity(count) }

    mutating func u8(_ value: UInt8) { buffer.append(value) }

    mutating func u32(_ value: Int) { integer(UInt32(clamping: value), width: 4) }

    mutating func u64(_ value: UInt64) { integer(value, width: 8) }

    mutating func bytes(_ value: [UInt8]) { buffer.append(contentsOf: value) }

    mutating func uuid(_ value: UUID) { withUnsafeBytes(of: value.uuid) { buffer.append(contentsOf: $0) } }

    /// u32 length, then the UTF-8 bytes.
    mutating func string(_ value: String) {
        u32(value.utf8.count)
        buffer.append(contentsOf: value.utf8)
    }

    /// Unsigned LEB128: seven bits a byte, low bits first, the high bit set on every byte but the last.
    mutating func varint(_ value: UInt64) { LEB128.append(value, to: &buffer) }

    /// A count (or an index) as a varint.
    mutating func count(_ value: Int) { varint(UInt64(clamping: value)) }

    /// A signed value zig-zagged (0, -1, 1, -2 … → 0, 1, 2, 3 …), so that small magnitudes take few bytes.
    mutating func signed(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    /// A count, then each mark: its position (seq, day, and the sort key's offset from that day's UTC
    /// midnight, zero for an event dated by its day) and its value.
    mutating func marks<Value>(_ marks: TimelineMarks<Value>, _ value: (inout BinaryWriter, Value) -> Void) {
        count(marks.marks.count)
        for mark in marks.marks {
            varint(mark.position.seq)
            signed(Int64(mark.position.day.daysSinceEpoch))
            signed(mark.position.sortKey &- Self.midnight(of: mark.position.day))
            value(&self, mark.value)
        }
    }

    /// A day's UTC midnight in microseconds, as ``OccurredAt/sortKey`` gives it for an event dated by that
    /// day (wrapping, so that any stored value round-trips).
    static func midnight(of day: Day) -> Int64 { Int64(day.daysSinceEpoch) &* OccurredAt.microsecondsPerDay }

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

    mutating func u8() throws(PresentViewDecodingError) -> UInt8 {
        guard offset < bytes.count else { throw truncated("1 byte") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u64() throws(PresentViewDecodingError) -> UInt64 { try integer(width: 8) }

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

    /// u32 length, then that many bytes of valid UTF-8.
    mutating func string() throws(PresentViewDecodingError) -> String {
        let length = Int(try integer(width: 4))
        guard length <= bytes.count - offset else { throw truncated("\(length) bytes") }
        let start = offset
        offset += length
        guard let text = String(validating: bytes[start..<offset], as: UTF8.self) else {
            throw PresentViewDecodingError(description: "invalid UTF-8 at byte \(start)")
        }
        return text
    }

    /// An unsigned LEB128 varint of at most ten bytes that fits in 64 bits.
    mutating func varint() throws(PresentViewDecodingError) -> UInt64 {
        var decoder = LEB128.Decoder()
        while true {
            switch decoder.take(try u8()) {
            case .more: continue
            case .done(let value, _): return value
            case .overflow: throw PresentViewDecodingError(description: "varint too long at byte \(offset - 1)")
            }
        }
    }

    /// A zig-zagged signed varint.
    mutating func signed() throws(PresentViewDecodingError) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// A count of items, each at least one byte long, so a corrupt count cannot make a huge loop.
    mutating func count() throws(PresentViewDecodingError) -> Int {
        let value = try varint()
        guard value <= UInt64(bytes.count - offset) else { throw truncated("a count of \(value)") }
        return Int(value)
    }

    /// An index below `limit`.
    mutating func index(below limit: Int) throws(PresentViewDecodingError) -> Int {
        let value = try varint()
        guard value < UInt64(limit) else {
            throw PresentViewDecodingError(description: "symbol \(value) of \(limit) at byte \(offset)")
        }
        return Int(value)
    }

    /// Marks written by ``BinaryWriter/marks(_:_:)``, checked to be in timeline order.
    mutating func marks<Value>(_ value: (inout BinaryReader) throws -> Value) throws -> TimelineMarks<Value> {
        var marks: [TimelineMarks<Value>.Mark] = []
        let count = try count()
        marks.reserveCapacity(count)
        for _ in 0..<count {
            let seq = try varint()
            let dayNumber = try signed()
            guard let days = Int32(exactly: dayNumber) else {
                throw PresentViewDecodingError(description: "day \(dayNumber) out of range at seq \(seq)")
            }
            let day = Day(daysSinceEpoch: days)
            let position = TimelinePosition(
                day: day, sortKey: BinaryWriter.midnight(of: day) &+ (try signed()), seq: seq)
            if let previous = marks.last, !(previous.position < position) {
                throw PresentViewDecodingError(description: "marks out of order at seq \(position.seq)")
            }
            marks.append(.init(position: position, value: try value(&self)))
        }
        return TimelineMarks(sorted: marks)
    }

    private mutating func integer(width: Int) throws(PresentViewDecodingError) -> UInt64 {
        guard width <= bytes.count - offset else { throw truncated("\(width) bytes") }
        defer { offset += width }
        return bytes[offset..<offset + width].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    private func truncated(_ what: String) -> PresentViewDecodingError {
        PresentViewDecodingError(description: "truncated: \(what) wanted at byte \(offset) of \(bytes.count)")
    }
}

/// The slugs and catalog values an encoding names, written once, in order, and referred to by index: a
/// member slug appears in a state once per membership, detail and role, and the encoding states it once.
///
/// Every text is ASCII (slugs are `[a-z0-9-]`, catalog values are ASCII), so `String` order is byte order
/// and equal texts are equal bytes.
struct SymbolTable {
    /// The texts, in ascending order, distinct.
    let texts: [String]
    private let indices: [String: Int]

    /// A table of `texts`.
    init(_ texts: Set<String>) {
        self.texts = texts.sorted()
        var indices: [String: Int] = [:]
        indices.reserveCapacity(self.texts.count)
        for (index, text) in self.texts.enumerated() { indices[text] = index }
        self.indices = indices
    }

    /// The index of `text`, which must be one of the texts the table was made of (the encoder collects them
    /// from the state it encodes, so every one it asks for is there).
    func index(_ text: String) -> Int {
        // A text the encoder did not collect would be written as another one: a checkpoint read back wrong.
        guard let index = indices[text] else { preconditionFailure("\(text) is not in the symbol table") }
        return index
    }

    /// The index of `text` plus one, or 0 for `nil`.
    func optionalIndex(_ text: String?) -> Int { text.map { index($0) + 1 } ?? 0 }
}

/// The symbol table as read back: each text, and the slug it is when it is a valid one.
struct DecodedSymbols {
    let texts: [String]
    private let slugs: [Slug?]

    /// Reads a count and the texts, which must be distinct and in ascending order (so that an encoding has
    /// one table only).
    init(_ reader: inout BinaryReader) throws(PresentViewDecodingError) {
        var texts: [String] = []
        let count = try reader.count()
        texts.reserveCapacity(count)
        for _ in 0..<count {
            let text = try reader.string()
            if let previous = texts.last, !(previous < text) {
                throw PresentViewDecodingError(description: "symbol \(text) out of order")
            }
            texts.append(text)
        }
        self.texts = texts
        self.slugs = texts.map(Slug.init)
    }

    func slug(_ reader: inout BinaryReader) throws(PresentViewDecodingError) -> Slug {
        let index = try reader.index(below: texts.count)
        guard let slug = slugs[index] else {
            throw PresentViewDecodingError(description: "invalid slug \(texts[index])")
        }
        return slug
    }

    /// A slug, or `nil` for index 0.
    func optionalSlug(_ reader: inout BinaryReader) throws(PresentViewDecodingError) -> Slug? {
        let index = try reader.index(below: texts.count + 1)
        guard index > 0 else { return nil }
        guard let slug = slugs[index - 1] else {
            throw PresentViewDecodingError(description: "invalid slug \(texts[index - 1])")
        }
        return slug
    }

    /// A catalog value by its raw text.
    func value<Value: RawRepresentable<String>>(_ reader: inout BinaryReader) throws(PresentViewDecodingError)
        -> Value
    {
        let text = texts[try reader.index(below: texts.count)]
        guard let value = Value(rawValue: text) else {
            throw PresentViewDecodingError(description: "unknown \(Value.self) \(text)")
        }
        return value
    }

    /// A catalog value by its raw text, or `nil` for index 0.
    func optionalValue<Value: RawRepresentable<String>>(_ reader: inout BinaryReader) throws(PresentViewDecodingError)
        -> Value?
    {
        let index = try reader.index(below: texts.count + 1)
        guard index > 0 else { return nil }
        guard let value = Value(rawValue: texts[index - 1]) else {
            throw PresentViewDecodingError(description: "unknown \(Value.self) \(texts[index - 1])")
        }
        return value
    }
}
