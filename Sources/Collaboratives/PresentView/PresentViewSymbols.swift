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

/// The slugs and catalog values a state names, distinct, in text order: ``PresentView/encoded()`` sorts
/// its keys by their indices here, which is text order compared as integers.
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
        // Only a bug in the encoder could ask for a text it did not collect; sorting on would misplace keys.
        guard let index = indices[text] else { preconditionFailure("\(text) is not in the symbol table") }
        return index
    }

    /// The index of `text` plus one, or 0 for `nil`.
    func optionalIndex(_ text: String?) -> Int { text.map { index($0) + 1 } ?? 0 }
}

/// The symbol table as read back: each text, and the slug it is when it is a valid one. It checks that
/// the records name the symbols in the table's order (each index at most one past the highest named so
/// far) and, with ``checkAllNamed()``, that they name them all: the table is the records' own.
struct DecodedSymbols: SymbolReading {
    let texts: [String]
    private let slugs: [Slug?]
    /// How many symbols the records have named so far (they are named in order).
    private var named = 0
    /// Whether records must name the symbols in the table's order: off to read records of an encoding
    /// already read through in order (``PresentEncodingReader``) again, out of order, one at a time.
    var checksFirstUse = true

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
        guard checksFirstUse else { return index }
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
