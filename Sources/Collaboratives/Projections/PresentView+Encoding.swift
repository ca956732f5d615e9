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
    static let encodingVersion: UInt8 = 1

    /// The canonical encoding: length-prefixed binary, integers big-endian, every map in key order and
    /// every history in timeline order, so that equal states give equal bytes (and equal digests).
    ///
    /// Layout (version 1): u8 version, u64 last seq, 32-byte last hash; then the retracted ids (u32
    /// count, 16 bytes each, in byte order); the collaboratives, memberships, members' details, role
    /// histories and sub-groups, each as a u32 count of keys followed by the key and its marks. A mark is
    /// its position (i32 day, i64 sort key, u64 seq) and its value; strings are u32 length + UTF-8.
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

    public func encoded() -> [UInt8] {
        var writer = BinaryWriter()
        writer.u8(Self.encodingVersion)
        writer.u64(lastSeq)
        writer.bytes(lastHash.bytes)
        // In byte order, which is the order of the ids' hex text, without formatting thousands of ids as text.
        let retracted = retractedIDs.sorted { first, second in
            withUnsafeBytes(of: first.uuid) { lhs in
                withUnsafeBytes(of: second.uuid) { rhs in lhs.lexicographicallyPrecedes(rhs) }
            }
        }
        writer.u32(retracted.count)
        for id in retracted { writer.uuid(id) }
        writer.u32(collaboratives.count)
        for slug in collaboratives.keys.sorted() {
            guard let record = collaboratives[slug] else { continue }
            writer.string(slug.rawValue)
            writer.marks(record.formations) { writer, mark in
                writer.string(mark.name)
                writer.string(mark.anchorOrganisation)
                writer.i32(mark.programmeStart.daysSinceEpoch)
            }
            writer.i64(record.workshops)
            writer.i64(record.coachingSessions)
        }
        let membershipKeys = memberships.keys.sorted { ($0.group, $0.member) < ($1.group, $1.member) }
        writer.u32(membershipKeys.count)
        for key in membershipKeys {
            writer.string(key.group.rawValue)
            writer.string(key.member.rawValue)
            writer.marks(memberships[key] ?? .init()) { writer, joined in writer.u8(joined ? 1 : 0) }
        }
        writer.u32(members.count)
        for slug in members.keys.sorted() {
            guard let record = members[slug] else { continue }
            writer.string(slug.rawValue)
            writer.marks(record.details) { writer, mark in
                writer.u8((mark.isJoin ? 1 : 0) | (mark.setsOrganisation ? 2 : 0))
                writer.string(mark.sector?.rawValue ?? "")
            }
            writer.marks(record.erasures) { _, _ in }
        }
        let roleKeys = roles.keys.sorted(by: Self.tenureOrder)
        writer.u32(roleKeys.count)
        for key in roleKeys {
            writer.string(key.collaborative.rawValue)
            writer.string(key.role.rawValue)
            writer.string(key.subgroup?.rawValue ?? "")
            writer.string(key.member.rawValue)
            writer.marks(roles[key] ?? .init()) { writer, appointment in writer.string(appointment?.rawValue ?? "") }
        }
        writer.u32(subgroups.count)
        for slug in subgroups.keys.sorted() {
            guard let record = subgroups[slug] else { continue }
            writer.string(slug.rawValue)
            writer.marks(record.formations) { writer, mark in
                writer.string(mark.collaborative.rawValue)
                writer.string(mark.title)
            }
            writer.marks(record.statuses) { writer, status in writer.string(status.rawValue) }
            writer.marks(record.milestones) { _, _ in }
            writer.marks(record.titles) { writer, title in writer.string(title) }
        }
        return writer.buffer
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
        for _ in 0..<(try reader.count()) { retractedIDs.insert(try reader.uuid()) }
        for _ in 0..<(try reader.count()) {
            let slug = try reader.slug()
            var record = CollaborativeRecord()
            record.formations = try reader.marks { reader in
                FormationMark(
                    name: try reader.string(), anchorOrganisation: try reader.string(),
                    programmeStart: Day(daysSinceEpoch: try reader.i32()))
            }
            record.workshops = try reader.i64()
            record.coachingSessions = try reader.i64()
            collaboratives[slug] = record
        }
        for _ in 0..<(try reader.count()) {
            let group = try reader.slug()
            let member = try reader.slug()
            memberships[MembershipKey(member: member, group: group)] = try reader.marks { try $0.u8() == 1 }
        }
        for _ in 0..<(try reader.count()) {
            let slug = try reader.slug()
            var record = MemberRecord()
            record.details = try reader.marks { reader in
                let flags = try reader.u8()
                let sector: Sector? = try reader.optionalValue()
                return DetailsMark(isJoin: flags & 1 != 0, sector: sector, setsOrganisation: flags & 2 != 0)
            }
            record.erasures = try reader.marks { _ in true }
            members[slug] = record
        }
        for _ in 0..<(try reader.count()) {
            let collaborative = try reader.slug()
            let role: Role = try reader.value()
            let subgroup = try reader.optionalSlug()
            let key = TenureKey(collaborative: collaborative, role: role, subgroup: subgroup, member: try reader.slug())
            roles[key] = try reader.marks { reader -> Appointment? in try reader.optionalValue() }
        }
        for _ in 0..<(try reader.count()) {
            let slug = try reader.slug()
            var record = SubGroupRecord()
            record.formations = try reader.marks { reader in
                SubGroupFormationMark(collaborative: try reader.slug(), title: try reader.string())
            }
            record.statuses = try reader.marks { reader -> SubGroupStatus in try reader.value() }
            record.milestones = try reader.marks { _ in true }
            record.titles = try reader.marks { try $0.string() }
            subgroups[slug] = record
        }
        guard reader.isAtEnd else { throw PresentViewDecodingError(description: "extra bytes after the state") }
    }

    private static func tenureOrder(_ lhs: TenureKey, _ rhs: TenureKey) -> Bool {
        (lhs.collaborative.rawValue, lhs.role.rawValue, lhs.subgroup?.rawValue ?? "", lhs.member.rawValue)
            < (rhs.collaborative.rawValue, rhs.role.rawValue, rhs.subgroup?.rawValue ?? "", rhs.member.rawValue)
    }
}
