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

    /// Where it reads next, as an offset in the bytes.
    var position: Int { offset }

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
            guard Day.storableRange.contains(dayNumber), let days = Int32(exactly: dayNumber) else {
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
