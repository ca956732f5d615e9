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

    /// No keys: sealed text reads as erased.
    public static let none = PersonalDataKeys(keys: [:])

    private init(keys: [Slug: SubjectKey]) { self.keys = keys }

    /// The members' keys in `view`.
    public init(view: any LogView) throws {
        var keys: [Slug: SubjectKey] = [:]
        let prefix = PersonalDataSeal.subjectPrefix
        for (subject, key) in try view.subjectKeys(prefix: prefix) {
            guard let member = Slug(String(subject.dropFirst(prefix.count))) else { continue }
            keys[member] = key
        }
        self.keys = keys
    }

    /// The keys in `view` of `members` only (for a view of a few members' events).
    public init(view: any LogView, members: some Sequence<Slug>) throws {
        var keys: [Slug: SubjectKey] = [:]
        for member in members {
            keys[member] = try view.subjectKey(PersonalDataSeal.subject(of: member))
        }
        self.keys = keys
    }

    /// The key of `member`, if it still exists.
    public func key(of member: Slug) -> SubjectKey? { keys[member] }

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
