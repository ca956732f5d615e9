/// One keyed record of the present view, with its key: the unit its encoding writes, and what a rebuild
/// that spills its state to disk (``SpillingFold``) writes, reads back and merges.
///
/// The encoding writes the five kinds in this order (``section``), each kind's records in the order of
/// their keys (``precedes(_:)``), the canonical order of ``PresentView/encoded()``.
enum PresentEntry: Equatable, Sendable {
    case collaborative(Slug, CollaborativeRecord)
    case membership(MembershipKey, TimelineMarks<Bool>)
    case member(Slug, MemberRecord)
    case role(TenureKey, TimelineMarks<Appointment?>)
    case subgroup(Slug, SubGroupRecord)

    /// Its key, with its kind.
    var key: PresentKey {
        switch self {
        case .collaborative(let slug, _): .collaborative(slug)
        case .membership(let key, _): .membership(key)
        case .member(let slug, _): .member(slug)
        case .role(let key, _): .role(key)
        case .subgroup(let slug, _): .subgroup(slug)
        }
    }

    /// How many kinds there are: sections 0 ..< 5.
    static let sectionCount = 5

    /// Where the encoding writes this kind of record.
    var section: Int {
        switch self {
        case .collaborative: 0
        case .membership: 1
        case .member: 2
        case .role: 3
        case .subgroup: 4
        }
    }

    /// Whether its key comes before `other`'s in the encoding's order (by section, then by the key's texts,
    /// a role held outside any sub-group before those within one).
    func precedes(_ other: PresentEntry) -> Bool { compareKey(other) < 0 }

    /// Whether it has `other`'s key (and kind).
    func hasKey(of other: PresentEntry) -> Bool { compareKey(other) == 0 }

    /// −1, 0 or 1 as its key comes before, is, or comes after `other`'s in the encoding's order. Texts are
    /// compared as `String`s, which for ASCII (every slug and catalog value) is byte order, the order of the
    /// symbol table the encoding sorts keys by.
    private func compareKey(_ other: PresentEntry) -> Int {
        switch (self, other) {
        case (.collaborative(let first, _), .collaborative(let second, _)),
            (.member(let first, _), .member(let second, _)),
            (.subgroup(let first, _), .subgroup(let second, _)):
            return Self.compare(first, second)
        case (.membership(let first, _), .membership(let second, _)):
            return Self.compare(first, second)
        case (.role(let first, _), .role(let second, _)):
            return Self.compare(first, second)
        default:
            return section < other.section ? -1 : section > other.section ? 1 : 0
        }
    }

    /// −1, 0 or 1 as `first` comes before, is, or comes after `second`.
    fileprivate static func compare(_ first: String, _ second: String) -> Int {
        first == second ? 0 : first < second ? -1 : 1
    }

    /// The order of slug keys: by their texts.
    fileprivate static func compare(_ first: Slug, _ second: Slug) -> Int { compare(first.rawValue, second.rawValue) }

    /// The order of membership keys: by group, then member.
    fileprivate static func compare(_ first: MembershipKey, _ second: MembershipKey) -> Int {
        let group = compare(first.group, second.group)
        return group != 0 ? group : compare(first.member, second.member)
    }

    /// The order of tenure keys: by collaborative, role, sub-group (none first), then member.
    fileprivate static func compare(_ first: TenureKey, _ second: TenureKey) -> Int {
        var order = compare(first.collaborative, second.collaborative)
        if order == 0 { order = compare(first.role.rawValue, second.role.rawValue) }
        if order == 0 {
            switch (first.subgroup, second.subgroup) {
            case (nil, nil): order = 0
            case (nil, _?): order = -1
            case (_?, nil): order = 1
            case (let one?, let two?): order = compare(one, two)
            }
        }
        return order != 0 ? order : compare(first.member, second.member)
    }

    /// Calls `body` with every slug and catalog value the record names (its key's and its marks').
    func forEachSymbol(_ body: (String) -> Void) {
        switch self {
        case .collaborative(let slug, _):
            body(slug.rawValue)
        case .membership(let key, _):
            body(key.group.rawValue)
            body(key.member.rawValue)
        case .member(let slug, let record):
            body(slug.rawValue)
            for mark in record.details.marks { if let sector = mark.value.sector { body(sector.rawValue) } }
        case .role(let key, let marks):
            body(key.collaborative.rawValue)
            body(key.role.rawValue)
            if let subgroup = key.subgroup { body(subgroup.rawValue) }
            body(key.member.rawValue)
            for mark in marks.marks { if let appointment = mark.value { body(appointment.rawValue) } }
        case .subgroup(let slug, let record):
            body(slug.rawValue)
            for mark in record.formations.marks { body(mark.value.collaborative.rawValue) }
            for mark in record.statuses.marks { body(mark.value.rawValue) }
        }
    }

    /// Writes the key and the record, slugs and catalog values as `symbols` writes them.
    func write(to writer: inout BinaryWriter, symbols: inout some SymbolWriting) {
        switch self {
        case .collaborative(let slug, let record):
            symbols.write(slug.rawValue, to: &writer)
            writer.marks(record.formations) { writer, mark in
                writer.string(mark.name)
                writer.string(mark.anchorOrganisation)
                writer.signed(Int64(mark.programmeStart.daysSinceEpoch))
            }
            writer.signed(record.workshops)
            writer.signed(record.coachingSessions)
        case .membership(let key, let marks):
            symbols.write(key.group.rawValue, to: &writer)
            symbols.write(key.member.rawValue, to: &writer)
            writer.marks(marks) { writer, joined in writer.u8(joined ? 1 : 0) }
        case .member(let slug, let record):
            symbols.write(slug.rawValue, to: &writer)
            writer.marks(record.details) { writer, mark in
                writer.u8((mark.isJoin ? 1 : 0) | (mark.setsOrganisation ? 2 : 0))
                symbols.writeOptional(mark.sector?.rawValue, to: &writer)
            }
            writer.marks(record.erasures) { _, _ in }
        case .role(let key, let marks):
            symbols.write(key.collaborative.rawValue, to: &writer)
            symbols.write(key.role.rawValue, to: &writer)
            symbols.writeOptional(key.subgroup?.rawValue, to: &writer)
            symbols.write(key.member.rawValue, to: &writer)
            writer.marks(marks) { writer, appointment in symbols.writeOptional(appointment?.rawValue, to: &writer) }
        case .subgroup(let slug, let record):
            symbols.write(slug.rawValue, to: &writer)
            writer.marks(record.formations) { writer, mark in
                symbols.write(mark.collaborative.rawValue, to: &writer)
                writer.string(mark.title)
            }
            writer.marks(record.statuses) { writer, status in symbols.write(status.rawValue, to: &writer) }
            writer.marks(record.milestones) { _, _ in }
            writer.marks(record.titles) { writer, title in writer.string(title) }
        }
    }

    /// Reads what ``write(to:symbols:)`` wrote for a record of `section`.
    static func read(section: Int, from reader: inout BinaryReader, symbols: inout some SymbolReading) throws
        -> PresentEntry
    {
        switch section {
        case 0:
            let slug = try symbols.slug(&reader)
            var record = CollaborativeRecord()
            record.formations = try reader.marks { reader in
                let name = try reader.string()
                let anchorOrganisation = try reader.string()
                let start = try reader.signed()
                guard Day.storableRange.contains(start), let days = Int32(exactly: start) else {
                    throw PresentViewDecodingError(description: "programme start \(start) out of range")
                }
                return FormationMark(
                    name: name, anchorOrganisation: anchorOrganisation, programmeStart: Day(daysSinceEpoch: days))
            }
            record.workshops = try reader.signed()
            record.coachingSessions = try reader.signed()
            return .collaborative(slug, record)
        case 1:
            let group = try symbols.slug(&reader)
            let member = try symbols.slug(&reader)
            return .membership(MembershipKey(member: member, group: group), try reader.marks { try $0.u8() == 1 })
        case 2:
            let slug = try symbols.slug(&reader)
            var record = MemberRecord()
            record.details = try reader.marks { reader in
                let flags = try reader.u8()
                let sector: Sector? = try symbols.optionalValue(&reader)
                return DetailsMark(isJoin: flags & 1 != 0, sector: sector, setsOrganisation: flags & 2 != 0)
            }
            record.erasures = try reader.marks { _ in true }
            return .member(slug, record)
        case 3:
            let collaborative = try symbols.slug(&reader)
            let role: Role = try symbols.value(&reader)
            let subgroup = try symbols.optionalSlug(&reader)
            let key = TenureKey(
                collaborative: collaborative, role: role, subgroup: subgroup, member: try symbols.slug(&reader))
            return .role(key, try reader.marks { reader -> Appointment? in try symbols.optionalValue(&reader) })
        case 4:
            let slug = try symbols.slug(&reader)
            var record = SubGroupRecord()
            record.formations = try reader.marks { reader in
                SubGroupFormationMark(collaborative: try symbols.slug(&reader), title: try reader.string())
            }
            record.statuses = try reader.marks { reader -> SubGroupStatus in try symbols.value(&reader) }
            record.milestones = try reader.marks { _ in true }
            record.titles = try reader.marks { try $0.string() }
            return .subgroup(slug, record)
        default:
            throw PresentViewDecodingError(description: "no section \(section)")
        }
    }

    /// The records of one key (all of `parts`, which share this key and kind), as one: their marks together
    /// in timeline order, less those of the events at `dropped` (retracted after they were set aside), and
    /// their totals added up; `nil` when nothing is left.
    static func merging(_ parts: [PresentEntry], dropping dropped: Set<UInt64>) -> PresentEntry? {
        guard let first = parts.first else { return nil }
        // A record from one run with no mark a later retraction took back is the merged record as it stands:
        // most keys, whose events all fell in one part of the fold, need no lists made and merged.
        if parts.count == 1, !first.hasMark(atAnyOf: dropped) { return first.isEmpty ? nil : first }
        func marks<Value>(_ lists: [TimelineMarks<Value>]) -> TimelineMarks<Value> {
            TimelineMarks.merging(lists, dropping: dropped)
        }
        let merged: PresentEntry
        switch first {
        case .collaborative(let slug, _):
            let records = parts.compactMap { if case .collaborative(_, let record) = $0 { record } else { nil } }
            var record = CollaborativeRecord()
            record.formations = marks(records.map(\.formations))
            record.workshops = records.reduce(0) { $0 + $1.workshops }
            record.coachingSessions = records.reduce(0) { $0 + $1.coachingSessions }
            merged = .collaborative(slug, record)
        case .membership(let key, _):
            merged = .membership(key, marks(parts.compactMap { if case .membership(_, let m) = $0 { m } else { nil } }))
        case .member(let slug, _):
            let records = parts.compactMap { if case .member(_, let record) = $0 { record } else { nil } }
            var record = MemberRecord()
            record.details = marks(records.map(\.details))
            record.erasures = marks(records.map(\.erasures))
            merged = .member(slug, record)
        case .role(let key, _):
            merged = .role(key, marks(parts.compactMap { if case .role(_, let m) = $0 { m } else { nil } }))
        case .subgroup(let slug, _):
            let records = parts.compactMap { if case .subgroup(_, let record) = $0 { record } else { nil } }
            var record = SubGroupRecord()
            record.formations = marks(records.map(\.formations))
            record.statuses = marks(records.map(\.statuses))
            record.milestones = marks(records.map(\.milestones))
            record.titles = marks(records.map(\.titles))
            merged = .subgroup(slug, record)
        }
        return merged.isEmpty ? nil : merged
    }

    /// Whether any of its marks is at one of `seqs`.
    private func hasMark(atAnyOf seqs: Set<UInt64>) -> Bool {
        guard !seqs.isEmpty else { return false }
        func dropsOne<Value>(_ marks: TimelineMarks<Value>) -> Bool {
            marks.marks.contains { seqs.contains($0.position.seq) }
        }
        switch self {
        case .collaborative(_, let record): return dropsOne(record.formations)
        case .membership(_, let marks): return dropsOne(marks)
        case .member(_, let record): return dropsOne(record.details) || dropsOne(record.erasures)
        case .role(_, let marks): return dropsOne(marks)
        case .subgroup(_, let record):
            return dropsOne(record.formations) || dropsOne(record.statuses) || dropsOne(record.milestones)
                || dropsOne(record.titles)
        }
    }

    /// Whether the record holds nothing (the present view keeps no such record).
    var isEmpty: Bool {
        switch self {
        case .collaborative(_, let record): record.isEmpty
        case .membership(_, let marks): marks.isEmpty
        case .member(_, let record): record.isEmpty
        case .role(_, let marks): marks.isEmpty
        case .subgroup(_, let record): record.isEmpty
        }
    }
}

/// The key of one record of the present view, with its kind (see ``PresentEntry/key``).
enum PresentKey: Hashable, Sendable {
    case collaborative(Slug)
    case membership(MembershipKey)
    case member(Slug)
    case role(TenureKey)
    case subgroup(Slug)

    /// −1, 0 or 1 as it comes before, is, or comes after `other` in the encoding's order: the order of
    /// ``PresentEntry/precedes(_:)`` for entries with these keys, for a merge that compares keys without
    /// copying the records that go with them.
    func compare(_ other: PresentKey) -> Int {
        switch (self, other) {
        case (.collaborative(let first), .collaborative(let second)), (.member(let first), .member(let second)),
            (.subgroup(let first), .subgroup(let second)):
            return PresentEntry.compare(first, second)
        case (.membership(let first), .membership(let second)):
            return PresentEntry.compare(first, second)
        case (.role(let first), .role(let second)):
            return PresentEntry.compare(first, second)
        default:
            return section < other.section ? -1 : section > other.section ? 1 : 0
        }
    }

    /// Its kind's section (see ``PresentEntry/section``).
    var section: Int {
        switch self {
        case .collaborative: 0
        case .membership: 1
        case .member: 2
        case .role: 3
        case .subgroup: 4
        }
    }
}

extension TimelineMarks {
    /// The marks of `lists` together, in timeline order, less those at the `seq`s in `dropped`.
    static func merging(_ lists: [TimelineMarks], dropping dropped: Set<UInt64>) -> TimelineMarks {
        if lists.count == 1, !lists[0].marks.contains(where: { dropped.contains($0.position.seq) }) { return lists[0] }
        var all = lists.flatMap(\.marks)
        if !dropped.isEmpty { all.removeAll { dropped.contains($0.position.seq) } }
        if lists.count > 1 { all.sort { $0.position < $1.position } }
        return TimelineMarks(sorted: all)
    }
}

extension PresentView {
    /// Every record of the state, by section, each section in the encoding's order.
    func sortedEntries(in section: Int) -> [PresentEntry] {
        switch section {
        case 0: Self.sorted(collaboratives, by: PresentEntry.compare) { .collaborative($0, $1) }
        case 1: Self.sorted(memberships, by: PresentEntry.compare) { .membership($0, $1) }
        case 2: Self.sorted(members, by: PresentEntry.compare) { .member($0, $1) }
        case 3: Self.sorted(roles, by: PresentEntry.compare) { .role($0, $1) }
        default: Self.sorted(subgroups, by: PresentEntry.compare) { .subgroup($0, $1) }
        }
    }

    /// The records of `records` as entries, in the order of their keys. Positions in a copy of the keys are
    /// sorted, not the entries: every move of an entry (an enum holding the record's arrays) retains and
    /// releases what it holds, and a sort moves each many times (see README "Performance"); and a key read
    /// from an array costs less than one read through a dictionary's index, which a comparison did twice.
    private static func sorted<Key, Record>(
        _ records: [Key: Record], by compare: (Key, Key) -> Int, _ entry: (Key, Record) -> PresentEntry
    ) -> [PresentEntry] {
        let keys = Array(records.keys)
        let positions = Array(records.indices)  // in the order of `keys`
        var order = Array(keys.indices)
        order.sort { compare(keys[$0], keys[$1]) < 0 }
        return order.map { entry(keys[$0], records[positions[$0]].value) }
    }

    /// How many records the state keeps.
    var recordCount: Int { collaboratives.count + memberships.count + members.count + roles.count + subgroups.count }

    /// Sets the record of `entry`'s key.
    mutating func insert(_ entry: PresentEntry) {
        switch entry {
        case .collaborative(let slug, let record): collaboratives[slug] = record
        case .membership(let key, let marks): memberships[key] = marks
        case .member(let slug, let record): members[slug] = record
        case .role(let key, let marks): roles[key] = marks
        case .subgroup(let slug, let record): subgroups[slug] = record
        }
    }

    /// Drops every record, keeping the retracted ids and the position.
    mutating func removeRecords() {
        collaboratives = [:]
        memberships = [:]
        members = [:]
        roles = [:]
        subgroups = [:]
    }
}
