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
    /// Version 1 wrote every slug and catalog value as text at each use, and fixed-width positions.
    static let encodingVersion: UInt8 = 2

    /// The bytes of the header: version, last seq, last hash.
    static let headerLength = 1 + 8 + 32

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
    /// Layout (version 2): u8 version, u64 last seq, 32-byte last hash (big-endian, the header ``header(of:)``
    /// reads); the symbols, every slug and catalog value the state names, distinct, in order, each as u32
    /// length + UTF-8; the retracted ids (16 bytes each, in byte order); then the collaboratives,
    /// memberships, members' details, role histories and sub-groups, each as a count of keys followed by the
    /// key and its marks. Counts, seqs and symbols (by index; an optional one as index + 1, 0 for none) are
    /// unsigned LEB128 varints, so a key costs a few bytes; a mark is its position (seq, day, and the sort
    /// key's offset from that day's UTC midnight, the last two zig-zagged) and its value; free text (names,
    /// titles) is u32 length + UTF-8.
    public func encoded() -> [UInt8] {
        let symbols = SymbolTable(symbolTexts())
        var writer = BinaryWriter()
        writer.reserve(estimatedEncodingSize(symbols: symbols.texts.count))
        writer.u8(Self.encodingVersion)
        writer.u64(lastSeq)
        writer.bytes(lastHash.bytes)
        writer.count(symbols.texts.count)
        for text in symbols.texts { writer.string(text) }
        // In byte order, which is the order of the ids' hex text, without formatting thousands of ids as text.
        let retracted = retractedIDs.sorted { first, second in
            withUnsafeBytes(of: first.uuid) { lhs in
                withUnsafeBytes(of: second.uuid) { rhs in lhs.lexicographicallyPrecedes(rhs) }
            }
        }
        writer.count(retracted.count)
        for id in retracted { writer.uuid(id) }
        // Keys are sorted by their symbols' indices: the table is in text order, so this is text order,
        // compared as integers.
        let collaborativeKeys = collaboratives.map { (symbols.index($0.key.rawValue), $0.value) }.sorted { $0.0 < $1.0 }
        writer.count(collaborativeKeys.count)
        for (slug, record) in collaborativeKeys {
            writer.count(slug)
            writer.marks(record.formations) { writer, mark in
                writer.string(mark.name)
                writer.string(mark.anchorOrganisation)
                writer.signed(Int64(mark.programmeStart.daysSinceEpoch))
            }
            writer.signed(record.workshops)
            writer.signed(record.coachingSessions)
        }
        let membershipKeys = memberships.map { key, marks in
            (group: symbols.index(key.group.rawValue), member: symbols.index(key.member.rawValue), marks: marks)
        }.sorted { ($0.group, $0.member) < ($1.group, $1.member) }
        writer.count(membershipKeys.count)
        for (group, member, marks) in membershipKeys {
            writer.count(group)
            writer.count(member)
            writer.marks(marks) { writer, joined in writer.u8(joined ? 1 : 0) }
        }
        let memberKeys = members.map { (symbols.index($0.key.rawValue), $0.value) }.sorted { $0.0 < $1.0 }
        writer.count(memberKeys.count)
        for (slug, record) in memberKeys {
            writer.count(slug)
            writer.marks(record.details) { writer, mark in
                writer.u8((mark.isJoin ? 1 : 0) | (mark.setsOrganisation ? 2 : 0))
                writer.count(symbols.optionalIndex(mark.sector?.rawValue))
            }
            writer.marks(record.erasures) { _, _ in }
        }
        let roleKeys = roles.map { key, marks in
            (
                collaborative: symbols.index(key.collaborative.rawValue), role: symbols.index(key.role.rawValue),
                subgroup: symbols.optionalIndex(key.subgroup?.rawValue), member: symbols.index(key.member.rawValue),
                marks: marks
            )
        }.sorted {
            ($0.collaborative, $0.role, $0.subgroup, $0.member) < ($1.collaborative, $1.role, $1.subgroup, $1.member)
        }
        writer.count(roleKeys.count)
        for key in roleKeys {
            writer.count(key.collaborative)
            writer.count(key.role)
            writer.count(key.subgroup)
            writer.count(key.member)
            writer.marks(key.marks) { writer, appointment in
                writer.count(symbols.optionalIndex(appointment?.rawValue))
            }
        }
        let subgroupKeys = subgroups.map { (symbols.index($0.key.rawValue), $0.value) }.sorted { $0.0 < $1.0 }
        writer.count(subgroupKeys.count)
        for (slug, record) in subgroupKeys {
            writer.count(slug)
            writer.marks(record.formations) { writer, mark in
                writer.count(symbols.index(mark.collaborative.rawValue))
                writer.string(mark.title)
            }
            writer.marks(record.statuses) { writer, status in writer.count(symbols.index(status.rawValue)) }
            writer.marks(record.milestones) { _, _ in }
            writer.marks(record.titles) { writer, title in writer.string(title) }
        }
        return writer.buffer
    }

    /// Every slug and catalog value the state names: the symbols of its encoding.
    private func symbolTexts() -> Set<String> {
        var texts: Set<String> = []
        for slug in collaboratives.keys { texts.insert(slug.rawValue) }
        for key in memberships.keys {
            texts.insert(key.group.rawValue)
            texts.insert(key.member.rawValue)
        }
        for (slug, record) in members {
            texts.insert(slug.rawValue)
            for mark in record.details.marks { if let sector = mark.value.sector { texts.insert(sector.rawValue) } }
        }
        for (key, marks) in roles {
            texts.insert(key.collaborative.rawValue)
            texts.insert(key.role.rawValue)
            if let subgroup = key.subgroup { texts.insert(subgroup.rawValue) }
            texts.insert(key.member.rawValue)
            for mark in marks.marks { if let appointment = mark.value { texts.insert(appointment.rawValue) } }
        }
        for (slug, record) in subgroups {
            texts.insert(slug.rawValue)
            for mark in record.formations.marks { texts.insert(mark.value.collaborative.rawValue) }
            for mark in record.statuses.marks { texts.insert(mark.value.rawValue) }
        }
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
        var reader = BinaryReader(bytes: bytes)
        let version = try reader.u8()
        guard version == Self.encodingVersion else {
            throw PresentViewDecodingError(description: "encoding version \(version) is not \(Self.encodingVersion)")
        }
        self.init()
        lastSeq = try reader.u64()
        guard let hash = EventHash(bytes: try reader.bytes(32)) else {
            throw PresentViewDecodingError(description: "bad last hash")
        }
        lastHash = hash
        let symbols = try DecodedSymbols(&reader)
        let retracted = try reader.count()
        retractedIDs.reserveCapacity(retracted)
        for _ in 0..<retracted { retractedIDs.insert(try reader.uuid()) }
        for _ in 0..<(try reader.count()) {
            let slug = try symbols.slug(&reader)
            var record = CollaborativeRecord()
            record.formations = try reader.marks { reader in
                let name = try reader.string()
                let anchorOrganisation = try reader.string()
                let start = try reader.signed()
                guard let days = Int32(exactly: start) else {
                    throw PresentViewDecodingError(description: "programme start \(start) out of range")
                }
                return FormationMark(
                    name: name, anchorOrganisation: anchorOrganisation, programmeStart: Day(daysSinceEpoch: days))
            }
            record.workshops = try reader.signed()
            record.coachingSessions = try reader.signed()
            collaboratives[slug] = record
        }
        let membershipCount = try reader.count()
        memberships.reserveCapacity(membershipCount)
        for _ in 0..<membershipCount {
            let group = try symbols.slug(&reader)
            let member = try symbols.slug(&reader)
            memberships[MembershipKey(member: member, group: group)] = try reader.marks { try $0.u8() == 1 }
        }
        let memberCount = try reader.count()
        members.reserveCapacity(memberCount)
        for _ in 0..<memberCount {
            let slug = try symbols.slug(&reader)
            var record = MemberRecord()
            record.details = try reader.marks { reader in
                let flags = try reader.u8()
                let sector: Sector? = try symbols.optionalValue(&reader)
                return DetailsMark(isJoin: flags & 1 != 0, sector: sector, setsOrganisation: flags & 2 != 0)
            }
            record.erasures = try reader.marks { _ in true }
            members[slug] = record
        }
        let roleCount = try reader.count()
        roles.reserveCapacity(roleCount)
        for _ in 0..<roleCount {
            let collaborative = try symbols.slug(&reader)
            let role: Role = try symbols.value(&reader)
            let subgroup = try symbols.optionalSlug(&reader)
            let key = TenureKey(
                collaborative: collaborative, role: role, subgroup: subgroup, member: try symbols.slug(&reader))
            roles[key] = try reader.marks { reader -> Appointment? in try symbols.optionalValue(&reader) }
        }
        for _ in 0..<(try reader.count()) {
            let slug = try symbols.slug(&reader)
            var record = SubGroupRecord()
            record.formations = try reader.marks { reader in
                SubGroupFormationMark(collaborative: try symbols.slug(&reader), title: try reader.string())
            }
            record.statuses = try reader.marks { reader -> SubGroupStatus in try symbols.value(&reader) }
            record.milestones = try reader.marks { _ in true }
            record.titles = try reader.marks { try $0.string() }
            subgroups[slug] = record
        }
        guard reader.isAtEnd else { throw PresentViewDecodingError(description: "extra bytes after the state") }
    }
}
