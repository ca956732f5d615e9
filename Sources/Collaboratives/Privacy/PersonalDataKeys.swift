public import EventLog

/// The members' keys as one snapshot of the store holds them: read once per query, used to open personal
/// text at display time.
///
/// ```swift
/// let keys = try chronicle.log.read { try PersonalDataKeys(view: $0) }
/// keys.reading(joined.name, of: joined.member)   // .text("Sam Smith"), or .erased
/// ```
public struct PersonalDataKeys: Sendable {
    private let keys: [Slug: SubjectKey]
    /// The members whose personal data is erased in the store as it is now, whatever time a query is
    /// known at: erasure destroys the key, so nothing erased reads again at an earlier knowledge time.
    private let erasedMembers: Set<Slug>

    /// No keys: sealed text reads as erased.
    public static let none = PersonalDataKeys(keys: [:], erasedMembers: [])

    private init(keys: [Slug: SubjectKey], erasedMembers: Set<Slug>) {
        self.keys = keys
        self.erasedMembers = erasedMembers
    }

    /// The members' keys in `view`.
    public init(view: any LogView) throws {
        var keys: [Slug: SubjectKey] = [:]
        let prefix = PersonalDataSeal.subjectPrefix
        for (subject, key) in try view.subjectKeys(prefix: prefix) {
            guard let member = Slug(String(subject.dropFirst(prefix.count))) else { continue }
            keys[member] = key
        }
        self.keys = keys
        self.erasedMembers = try Self.erasedMembers(in: view)
    }

    /// The keys in `view` of `members` only (for a view of a few members' events).
    public init(view: any LogView, members: some Sequence<Slug>) throws {
        try self.init(view: view, members: members, erased: Self.erasedMembers(in: view))
    }

    /// The keys in `view` of `members` only, `erased` being those of them with a stored `PersonalDataErased`
    /// (read by the caller with their states), so that the log's erasures are not scanned.
    init(view: any LogView, members: some Sequence<Slug>, erased: Set<Slug>) throws {
        var keys: [Slug: SubjectKey] = [:]
        let members = Array(members)
        let found = try view.subjectKeys(for: members.map(PersonalDataSeal.subject(of:)))
        for member in members {
            keys[member] = found[PersonalDataSeal.subject(of: member)]
        }
        self.keys = keys
        self.erasedMembers = erased
    }

    /// The members with a stored `PersonalDataErased` (retracting one is refused, so none is undone); the
    /// type index holds only those events, so this reads a handful of records.
    static func erasedMembers(in view: any LogView) throws -> Set<Slug> {
        var members = Set<Slug>()
        try view.scanType(PersonalDataErased.typeName, from: 1, direction: .forward) { event in
            if case .personalDataErased(let erasure) = try? EventCodec.decode(
                type: event.type, schemaVersion: event.schemaVersion, storedPayload: event.payload)
            {
                members.insert(erasure.member)
            }
            return true
        }
        return members
    }

    /// The key of `member`, if it still exists.
    public func key(of member: Slug) -> SubjectKey? { keys[member] }

    /// Whether `member`'s personal data is erased in the store as it is now. Their organisation, which a
    /// store before binary layout 2 kept in clear, is then shown nowhere (a small organisation names a person).
    public func isErased(_ member: Slug) -> Bool { erasedMembers.contains(member) }

    /// How `text` about `member` reads.
    public func reading(_ text: PersonalText?, of member: Slug) -> PersonalReading {
        switch text {
        case nil: .absent
        case .plain(let plain)?: .text(plain)
        case .sealed(let bytes)?:
            keys[member].flatMap { PersonalDataSeal.open(bytes, key: $0) }.map(PersonalReading.text) ?? .erased
        }
    }

    /// The readable text of `text` about `member`, or `nil` when absent or erased.
    public func open(_ text: PersonalText?, of member: Slug) -> String? {
        if case .text(let plain) = reading(text, of: member) { return plain }
        return nil
    }
}

/// What a personal field reads as.
public enum PersonalReading: Equatable, Sendable {
    /// Never recorded.
    case absent
    /// Readable.
    case text(String)
    /// Recorded, but its key is deleted: crypto-shredded.
    case erased
}
