internal import Crypto
public import EventLog
internal import Foundation

/// A SHA-256 digest of a projection's canonical encoding, shown as 64 lower-case hex digits.
public struct ProjectionDigest: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes.
    public let bytes: [UInt8]

    /// The digest of `encoding`.
    public init(of encoding: [UInt8]) {
        bytes = Array(SHA256.hash(data: encoding))
    }

    /// The digest of what `hasher` was given.
    init(hashOf hasher: SHA256) {
        bytes = Array(hasher.finalize())
    }

    /// 64 lower-case hex digits.
    public var description: String {
        let alphabet = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(alphabet[Int(byte >> 4)])
            text.append(alphabet[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// Why stored bytes are not a present view this build can read.
public struct PresentViewDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, and where.
    public let description: String
}

extension PresentView {
    /// The version of ``encoded()``; a checkpoint of another version is rebuilt, never misread.
    /// Version 1 wrote every slug and catalog value as text at each use, and fixed-width positions; version
    /// 2 put the symbol table, in text order, before the records and counted each section's records, which
    /// an encoding written as it is merged from disk (``SpillingFold``) cannot know before the end.
    static let encodingVersion: UInt8 = 3

    /// The bytes of the header: version, last seq, last hash.
    static let headerLength = 1 + 8 + 32

    /// Makes `encoding` (of ``encoded()``) state `hash` as its last hash, in place: the header is all of an
    /// encoding that depends on the events' hashes, so a view folded before its batch is written can be
    /// encoded before the hashes are known.
    static func setLastHash(_ hash: EventHash, in encoding: inout [UInt8]) {
        assert(header(of: encoding) != nil, "not an encoding of this version")
        guard encoding.count >= headerLength else { return }
        encoding.replaceSubrange(9..<headerLength, with: hash.bytes)
    }

    /// The last seq and hash an encoding states in its header, if the header is of this version.
    static func header(of bytes: [UInt8]) -> (lastSeq: UInt64, lastHash: EventHash)? {
        guard bytes.count >= headerLength, bytes[0] == encodingVersion,
            let hash = EventHash(bytes: Array(bytes[9..<headerLength]))
        else { return nil }
        let seq = bytes[1..<9].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return (seq, hash)
    }

    /// The canonical encoding: length-prefixed binary, every map in key order and every history in timeline
    /// order, so that equal states give equal bytes (and equal digests).
    ///
    /// Layout (version 3): u8 version, u64 last seq, 32-byte last hash (big-endian, the header ``header(of:)``
    /// reads); the retracted ids (a count, then 16 bytes each, in byte order); then the collaboratives,
    /// memberships, members' details, role histories and sub-groups, each section its records in key order
    /// (text order), each record a byte 1 then its key and marks, and a byte 0 after the section's last; then
    /// the symbols, every slug and catalog value the records name, distinct, in the order the records first
    /// name them, as a count and each u32 length + UTF-8; last, the u64 offset of that table. Records name
    /// symbols by their index in the table (an optional one as index + 1, 0 for none), so a key costs a
    /// few bytes, and the encoding can be written as its records are made, the table last. Counts, seqs
    /// and indices are unsigned LEB128 varints; a mark is its position (seq, day, and the sort key's offset
    /// from that day's UTC midnight, the last two zig-zagged) and its value; free text (names, titles) is
    /// u32 length + UTF-8.
    public func encoded() -> [UInt8] {
        // Keys are sorted by their symbols' indices in a table in text order: text order, compared as integers.
        let order = SymbolTable(symbolTexts())
        var writer = BinaryWriter()
        writer.reserve(estimatedEncodingSize(symbols: order.texts.count))
        var symbols = FirstUseSymbols()
        writeHeader(to: &writer)
        func section(_ entries: [PresentEntry]) {
            for entry in entries {
                writer.u8(1)
                entry.write(to: &writer, symbols: &symbols)
            }
            writer.u8(0)
        }
        section(
            collaboratives.map { (order.index($0.key.rawValue), $0) }.sorted { $0.0 < $1.0 }
                .map { .collaborative($0.1.key, $0.1.value) })
        section(
            memberships.map {
                (group: order.index($0.key.group.rawValue), member: order.index($0.key.member.rawValue), $0)
            }
            .sorted { ($0.group, $0.member) < ($1.group, $1.member) }.map { .membership($0.2.key, $0.2.value) })
        section(
            members.map { (order.index($0.key.rawValue), $0) }.sorted { $0.0 < $1.0 }.map {
                .member($0.1.key, $0.1.value)
            })
        section(
            roles.map { item in
                let key = item.key
                return (
                    collaborative: order.index(key.collaborative.rawValue), role: order.index(key.role.rawValue),
                    subgroup: order.optionalIndex(key.subgroup?.rawValue), member: order.index(key.member.rawValue),
                    item: item
                )
            }.sorted {
                ($0.collaborative, $0.role, $0.subgroup, $0.member) < (
                    $1.collaborative, $1.role, $1.subgroup, $1.member
                )
            }.map { .role($0.item.key, $0.item.value) })
        section(
            subgroups.map { (order.index($0.key.rawValue), $0) }.sorted { $0.0 < $1.0 }
                .map { .subgroup($0.1.key, $0.1.value) })
        symbols.writeTable(to: &writer)
        return writer.buffer
    }

    /// Writes what precedes the records: version, last seq and hash, the retracted ids.
    func writeHeader(to writer: inout BinaryWriter) {
        writer.u8(Self.encodingVersion)
        writer.u64(lastSeq)
        writer.bytes(lastHash.bytes)
        let retracted = retractedIDs.sorted(by: Self.precedesInByteOrder)
        writer.count(retracted.count)
        for id in retracted { writer.uuid(id) }
    }

    /// The order the encoding writes retracted ids in: byte order, which is the order of the ids' hex text,
    /// without formatting thousands of ids as text.
    static func precedesInByteOrder(_ first: UUID, _ second: UUID) -> Bool {
        withUnsafeBytes(of: first.uuid) { lhs in
            withUnsafeBytes(of: second.uuid) { rhs in lhs.lexicographicallyPrecedes(rhs) }
        }
    }

    /// Every slug and catalog value the state names: the symbols of its encoding.
    private func symbolTexts() -> Set<String> {
        var texts: Set<String> = []
        let insert = { (text: String) in _ = texts.insert(text) }
        for (slug, record) in collaboratives { PresentEntry.collaborative(slug, record).forEachSymbol(insert) }
        for (key, marks) in memberships { PresentEntry.membership(key, marks).forEachSymbol(insert) }
        for (slug, record) in members { PresentEntry.member(slug, record).forEachSymbol(insert) }
        for (key, marks) in roles { PresentEntry.role(key, marks).forEachSymbol(insert) }
        for (slug, record) in subgroups { PresentEntry.subgroup(slug, record).forEachSymbol(insert) }
        return texts
    }

    /// A generous bound on the encoding's size, reserved up front (what is never written is never resident).
    private func estimatedEncodingSize(symbols: Int) -> Int {
        let marks =
            memberships.values.reduce(0) { $0 + $1.marks.count } + roles.values.reduce(0) { $0 + $1.marks.count }
            + members.values.reduce(0) { $0 + $1.details.marks.count + $1.erasures.marks.count }
        let keys = collaboratives.count + memberships.count + members.count + roles.count + subgroups.count
        return Self.headerLength + 80 * symbols + 16 * retractedIDs.count + 32 * marks + 48 * keys
            + 512 * (collaboratives.count + subgroups.count)
            + subgroups.values.reduce(0) {
                $0 + 32 * ($1.statuses.marks.count + $1.milestones.marks.count) + 256 * $1.titles.marks.count
            }
    }

    /// The SHA-256 digest of ``encoded()``.
    public var digest: ProjectionDigest { ProjectionDigest(of: encoded()) }

    /// The state as a checkpoint at ``lastSeq``.
    public var checkpoint: Checkpoint {
        Checkpoint(name: Self.checkpointName, position: lastSeq, state: encoded())
    }

    /// Reads an encoding made by ``encoded()``.
    ///
    /// - Throws: ``PresentViewDecodingError`` when the bytes are of another version, truncated, trailed by
    ///   extra bytes or hold a value this build does not know.
    public init(decoding bytes: [UInt8]) throws(PresentViewDecodingError) {
        do {
            try self.init(reading: bytes)
        } catch let error as PresentViewDecodingError {
            throw error
        } catch {
            throw PresentViewDecodingError(description: String(describing: error))
        }
    }

    private init(reading bytes: [UInt8]) throws {
        var records = try PresentEncodingReader(bytes)
        self.init()
        lastSeq = records.lastSeq
        lastHash = records.lastHash
        try records.readRetractedIDs(reserving: { retractedIDs.reserveCapacity($0) }) { retractedIDs.insert($0) }
        while let record = try records.next() { insert(record.entry) }
    }
}

/// Reads an encoding of ``PresentView/encoded()`` one record at a time, in its order, checking all that
/// ``PresentView/init(decoding:)`` checks (which reads through it): a reader that keeps the records it is
/// given (`status`, one collaborative at a time) holds no more of the state than that.
struct PresentEncodingReader {
    /// The last seq the header states.
    let lastSeq: UInt64
    /// The last hash the header states.
    let lastHash: EventHash
    /// The symbol table, read first (it is found by the offset in the last 8 bytes).
    private(set) var symbols: DecodedSymbols
    private var reader: BinaryReader
    private var section = 0
    private var previous: PresentEntry?
    private var retractedRead = false

    /// Reads the header and the symbol table; the retracted ids come next (``readRetractedIDs(reserving:_:)``).
    init(_ bytes: [UInt8]) throws {
        var reader = BinaryReader(bytes: bytes)
        let version = try reader.u8()
        guard version == PresentView.encodingVersion else {
            throw PresentViewDecodingError(
                description: "encoding version \(version) is not \(PresentView.encodingVersion)")
        }
        lastSeq = try reader.u64()
        guard let hash = EventHash(bytes: try reader.bytes(32)) else {
            throw PresentViewDecodingError(description: "bad last hash")
        }
        lastHash = hash
        // The symbol table, found by the offset the last 8 bytes give.
        guard bytes.count >= PresentView.headerLength + 8 else {
            throw PresentViewDecodingError(description: "truncated: \(bytes.count) bytes")
        }
        let stated = bytes.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard stated >= UInt64(PresentView.headerLength), stated <= UInt64(bytes.count - 8) else {
            throw PresentViewDecodingError(description: "symbol table offset \(stated) out of range")
        }
        let tableOffset = Int(stated)
        var tableReader = BinaryReader(bytes: bytes, range: tableOffset..<bytes.count - 8)
        symbols = try DecodedSymbols(&tableReader)
        guard tableReader.isAtEnd else { throw PresentViewDecodingError(description: "extra bytes after the symbols") }
        reader.end(at: tableOffset)
        self.reader = reader
    }

    /// Reads the retracted ids (in byte order, as written), calling `reserving` with their count first.
    mutating func readRetractedIDs(reserving: (Int) -> Void = { _ in }, _ body: (UUID) throws -> Void) throws {
        let retracted = try reader.count()
        reserving(retracted)
        var previous: UUID?
        for _ in 0..<retracted {
            let id = try reader.uuid()
            // In byte order, each once: as `encoded()` writes them (a repeat would count twice when streamed).
            guard previous.map({ PresentView.precedesInByteOrder($0, id) }) ?? true else {
                throw PresentViewDecodingError(description: "retracted ids out of order or repeated")
            }
            previous = id
            try body(id)
        }
        retractedRead = true
    }

    /// The next record and the offset it starts at (where its key is), or `nil` after the last, once the
    /// table is found to be the records' own and nothing is left over.
    mutating func next() throws -> (offset: Int, entry: PresentEntry)? {
        if !retractedRead { try readRetractedIDs { _ in } }
        while section < PresentEntry.sectionCount {
            guard try reader.marker() else {
                section += 1
                previous = nil
                continue
            }
            let offset = reader.position
            let entry = try PresentEntry.read(section: section, from: &reader, symbols: &symbols)
            // In key order, each key once, none empty: as `encoded()` writes them, and no other way.
            guard previous.map({ $0.precedes(entry) }) ?? true, !entry.isEmpty else {
                throw PresentViewDecodingError(description: "a record out of key order, repeated or empty")
            }
            // Totals count events folded, so neither can be negative or above the last seq (nor make
            // the next fold overflow).
            if case .collaborative(let slug, let record) = entry {
                let bound = Int64(clamping: lastSeq)
                guard (0...bound).contains(record.workshops), (0...bound).contains(record.coachingSessions) else {
                    throw PresentViewDecodingError(description: "totals of \(slug) out of range")
                }
            }
            previous = entry
            return (offset, entry)
        }
        try symbols.checkAllNamed()
        guard reader.isAtEnd else { throw PresentViewDecodingError(description: "extra bytes before the symbols") }
        return nil
    }
}
