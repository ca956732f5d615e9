internal import Foundation

/// Writes the present view's binary encoding: fixed-width integers big-endian, counts, symbol indices and
/// seqs as unsigned LEB128 varints, signed values zig-zagged, free text as u32 length and UTF-8.
struct BinaryWriter {
    private(set) var buffer: [UInt8] = []

    /// Makes room for `count` bytes at once: a large state is then written without copying the buffer at
    /// every doubling (pages reserved but never written are not resident).
    mutating func reserve(_ count: Int) { buffer.reserveCapacity(count) }

    /// Hands the bytes written so far to `body`, then forgets them (keeping the room they took): for
    /// writing a long encoding out a chunk at a time.
    mutating func drain(_ body: ([UInt8]) throws -> Void) rethrows {
        try body(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Appends to itself what `other` wrote, and empties `other` (keeping its room).
    mutating func append(takingFrom other: inout BinaryWriter) {
        buffer.append(contentsOf: other.buffer)
        other.buffer.removeAll(keepingCapacity: true)
    }

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
    private var offset: Int
    /// Where the bytes to read end (the array may go on).
    private var limit: Int

    init(bytes: [UInt8]) { self.init(bytes: bytes, range: 0..<bytes.count) }

    /// A reader of `bytes[range]`.
    init(bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        offset = range.lowerBound
        limit = range.upperBound
    }

    var isAtEnd: Bool { offset == limit }

    /// Stops reading at `end` (an offset in the bytes, not before where the reader is).
    mutating func end(at end: Int) { limit = max(offset, min(end, limit)) }

    /// A byte that must be 1 (one more record follows) or 0 (the section ends).
    mutating func marker() throws(PresentViewDecodingError) -> Bool {
        let byte = try u8()
        guard byte <= 1 else {
            throw PresentViewDecodingError(description: "record marker \(byte) at byte \(offset - 1)")
        }
        return byte == 1
    }

    mutating func u8() throws(PresentViewDecodingError) -> UInt8 {
        guard offset < limit else { throw truncated("1 byte") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u64() throws(PresentViewDecodingError) -> UInt64 { try integer(width: 8) }

    mutating func bytes(_ length: Int) throws(PresentViewDecodingError) -> [UInt8] {
        guard length >= 0, length <= limit - offset else { throw truncated("\(length) bytes") }
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
        let (start, text) = try lengthPrefixed()
        guard let text = String(validating: text, as: UTF8.self) else {
            throw PresentViewDecodingError(description: "invalid UTF-8 at byte \(start)")
        }
        return text
    }

    /// u32 length, then that many bytes of a slug (checked on the bytes, before any `String` is made).
    mutating func slug() throws(PresentViewDecodingError) -> Slug {
        let (start, text) = try lengthPrefixed()
        guard Slug.isValid(utf8: text) else {
            throw PresentViewDecodingError(description: "invalid slug at byte \(start)")
        }
        return Slug(trusted: String(decoding: text, as: UTF8.self))
    }

    /// u32 length, then that many bytes: where they start, and them.
    private mutating func lengthPrefixed() throws(PresentViewDecodingError) -> (start: Int, bytes: ArraySlice<UInt8>) {
        let length = Int(try integer(width: 4))
        guard length <= limit - offset else { throw truncated("\(length) bytes") }
        let start = offset
        offset += length
        return (start, bytes[start..<offset])
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
        guard value <= UInt64(limit - offset) else { throw truncated("a count of \(value)") }
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
        guard width <= limit - offset else { throw truncated("\(width) bytes") }
        defer { offset += width }
        return bytes[offset..<offset + width].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    private func truncated(_ what: String) -> PresentViewDecodingError {
        PresentViewDecodingError(description: "truncated: \(what) wanted at byte \(offset) of \(limit)")
    }
}

/// How an encoding writes a slug or catalog value: the present view's canonical encoding by its index in
/// a table written after the records (``FirstUseSymbols``), a rebuild's spilled records inline
/// (``InlineSymbols``).
protocol SymbolWriting {
    mutating func write(_ text: String, to writer: inout BinaryWriter)
    /// A text, or the mark of none.
    mutating func writeOptional(_ text: String?, to writer: inout BinaryWriter)
}

/// How an encoding reads back what a ``SymbolWriting`` wrote, checking each slug and catalog value.
protocol SymbolReading {
    mutating func slug(_ reader: inout BinaryReader) throws(PresentViewDecodingError) -> Slug
    mutating func optionalSlug(_ reader: inout BinaryReader) throws(PresentViewDecodingError) -> Slug?
    mutating func value<Value: RawRepresentable<String>>(_ reader: inout BinaryReader)
        throws(PresentViewDecodingError) -> Value
    mutating func optionalValue<Value: RawRepresentable<String>>(_ reader: inout BinaryReader)
        throws(PresentViewDecodingError) -> Value?
}

/// Texts written where they are used (u32 length + UTF-8; an optional one after a byte 0 or 1): for records
/// read back one at a time, which no table accompanies.
struct InlineSymbols: SymbolWriting, SymbolReading {
    func write(_ text: String, to writer: inout BinaryWriter) { writer.string(text) }

    func writeOptional(_ text: String?, to writer: inout BinaryWriter) {
        writer.u8(text == nil ? 0 : 1)
        if let text { writer.string(text) }
    }

    func slug(_ reader: inout BinaryReader) throws(PresentViewDecodingError) -> Slug { try reader.slug() }

    func optionalSlug(_ reader: inout BinaryReader) throws(PresentViewDecodingError) -> Slug? {
        try reader.u8() == 0 ? nil : try slug(&reader)
    }

    func value<Value: RawRepresentable<String>>(_ reader: inout BinaryReader) throws(PresentViewDecodingError)
        -> Value
    {
        let text = try reader.string()
        guard let value = Value(rawValue: text) else {
            throw PresentViewDecodingError(description: "unknown \(Value.self) \(text)")
        }
        return value
    }

    func optionalValue<Value: RawRepresentable<String>>(_ reader: inout BinaryReader) throws(PresentViewDecodingError)
        -> Value?
    {
        try reader.u8() == 0 ? nil : try value(&reader)
    }
}

/// Symbols numbered in the order the records first name them, the table written after the records: an
/// encoding can then be written as its records come, in one pass.
struct FirstUseSymbols: SymbolWriting {
    private var indices: [String: Int] = [:]
    private var texts: [String] = []

    mutating func write(_ text: String, to writer: inout BinaryWriter) { writer.count(index(text)) }

    mutating func writeOptional(_ text: String?, to writer: inout BinaryWriter) {
        writer.count(text.map { index($0) + 1 } ?? 0)
    }

    private mutating func index(_ text: String) -> Int {
        if let index = indices[text] { return index }
        indices[text] = texts.count
        texts.append(text)
        return texts.count - 1
    }

    /// Writes the table (a count, then each text), then its offset as the encoding's last 8 bytes; `offset`
    /// is where the writer's buffer starts in the whole encoding (when it is written out a chunk at a time).
    func writeTable(to writer: inout BinaryWriter, at offset: Int = 0) {
        let start = offset + writer.buffer.count
        writer.count(texts.count)
        for text in texts { writer.string(text) }
        writer.u64(UInt64(start))
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

/// The symbol table as read back: each text, and the slug it is when it is a valid one. It checks that
/// the records name the symbols in the table's order (each index at most one past the highest named so
/// far) and, with ``checkAllNamed()``, that they name them all, so that one state has one encoding.
struct DecodedSymbols: SymbolReading {
    let texts: [String]
    private let slugs: [Slug?]
    /// How many symbols the records have named so far (they are named in order).
    private var named = 0

    /// Reads a count and the texts, which must be distinct.
    init(_ reader: inout BinaryReader) throws(PresentViewDecodingError) {
        var texts: [String] = []
        var seen: Set<String> = []
        let count = try reader.count()
        texts.reserveCapacity(count)
        seen.reserveCapacity(count)
        for _ in 0..<count {
            let text = try reader.string()
            guard seen.insert(text).inserted else {
                throw PresentViewDecodingError(description: "symbol \(text) stated twice")
            }
            texts.append(text)
        }
        self.texts = texts
        self.slugs = texts.map(Slug.init)
    }

    /// Fails unless the records named every symbol of the table.
    func checkAllNamed() throws(PresentViewDecodingError) {
        guard named == texts.count else {
            throw PresentViewDecodingError(description: "symbol \(texts[named]) is named by no record")
        }
    }

    /// An index below the table's size, in first-use order, plus `offset` (1 for an optional value: 0 is none).
    private mutating func index(_ reader: inout BinaryReader, offset: Int) throws(PresentViewDecodingError) -> Int? {
        let raw = try reader.index(below: texts.count + offset)
        guard raw >= offset else { return nil }
        let index = raw - offset
        guard index <= named else {
            throw PresentViewDecodingError(description: "symbol \(index) named before symbol \(named)")
        }
        if index == named { named += 1 }
        return index
    }

    mutating func slug(_ reader: inout BinaryReader) throws(PresentViewDecodingError) -> Slug {
        guard let slug = try optionalSlug(&reader, offset: 0) else {
            throw PresentViewDecodingError(description: "no slug")  // unreachable: offset 0 always gives an index
        }
        return slug
    }

    /// A slug, or `nil` for index 0.
    mutating func optionalSlug(_ reader: inout BinaryReader) throws(PresentViewDecodingError) -> Slug? {
        try optionalSlug(&reader, offset: 1)
    }

    private mutating func optionalSlug(_ reader: inout BinaryReader, offset: Int) throws(PresentViewDecodingError)
        -> Slug?
    {
        guard let index = try index(&reader, offset: offset) else { return nil }
        guard let slug = slugs[index] else {
            throw PresentViewDecodingError(description: "invalid slug \(texts[index])")
        }
        return slug
    }

    /// A catalog value by its raw text.
    mutating func value<Value: RawRepresentable<String>>(_ reader: inout BinaryReader)
        throws(PresentViewDecodingError) -> Value
    {
        guard let value: Value = try optionalValue(&reader, offset: 0) else {
            throw PresentViewDecodingError(description: "no \(Value.self)")  // unreachable, as for slugs
        }
        return value
    }

    /// A catalog value by its raw text, or `nil` for index 0.
    mutating func optionalValue<Value: RawRepresentable<String>>(_ reader: inout BinaryReader)
        throws(PresentViewDecodingError) -> Value?
    {
        try optionalValue(&reader, offset: 1)
    }

    private mutating func optionalValue<Value: RawRepresentable<String>>(_ reader: inout BinaryReader, offset: Int)
        throws(PresentViewDecodingError) -> Value?
    {
        guard let index = try index(&reader, offset: offset) else { return nil }
        guard let value = Value(rawValue: texts[index]) else {
            throw PresentViewDecodingError(description: "unknown \(Value.self) \(texts[index])")
        }
        return value
    }
}
