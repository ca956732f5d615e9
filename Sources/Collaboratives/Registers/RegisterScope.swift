internal import EventLog
internal import Foundation

/// The stored events a register import reads, through the tag index (``EventTag``) instead of the whole
/// log, so that a day's register costs what it concerns rather than what the store holds.
///
/// What the import asks of the stored history, and where it is found:
/// - **Resolving names** (``Timeline/membersByName(activeIn:on:keys:)``) asks which members bear a name and
///   are active in the event's collaboratives that day. Only a member who joined one of them can be: their
///   `MemberJoined` is under `in/C` (read on the envelope's type, the rest of the collaborative's events are
///   never decoded). Each such member's state (joins, leaves anywhere, details, erasure) is under `p/M`, so
///   their name and memberships on any day are the whole log's.
/// - **Members given by slug**: whether they ever joined and whether they are active there, from `p/M`.
/// - **Setting each event against the stored one** (``RegisterReconciliation``): the event stored under its
///   derived id or legacy id (looked up by id), every `WorkshopHeld` of its slug (`w/W`), the retractions of
///   all of those (`r/ID`) and, after each retraction of an event read, the event that follows it (a
///   correction's replacement), followed until the chain ends. A retraction whose target is not read, or is
///   itself a retraction, is not followed: what follows it cannot replace anything read
///   (``CorrectionLink``), and following it would walk a batch of unrelated retractions one by one.
/// - Retractions of every event read (`r/ID`): an event is left out of the timeline as in the whole log.
///
/// The one answer a timeline of these members cannot give is who else, outside the register's
/// collaboratives, bears a name none of their active members bears (the "unknown name" error lists them).
/// A plan that reports such an error is made again on the whole log (``Chronicle/registerReading(of:mapping:recordedBy:in:scoped:)``),
/// whose errors stand; so does a plan on a store whose tag index lags its head.
struct RegisterScope {
    /// The events read so far, up to the log's head when the reading began.
    private var loader: TaggedEventLoader
    /// When each event read was recorded, by `seq`.
    private var recordedAt: [UInt64: Timestamp] = [:]
    /// The members whose states are read whole.
    private(set) var members = Set<Slug>()
    /// The events read whose retractions are not read yet, in the order read.
    private var unreadRetractions: [UInt64] = []
    /// The `seq` of each event read, by id: whether a retraction's target is read.
    private var seqsByID: [UUID: UInt64] = [:]

    private var view: any LogView { loader.view }
    private var head: UInt64 { loader.through }

    /// A reading of the log in `view`, or `nil` when the tag index cannot be trusted through its head.
    init?(view: any LogView, decoder: EventDecoder) throws {
        let head = try view.head().seq
        guard try EventTag.indexIsUsable(in: view, through: head) else { return nil }
        loader = TaggedEventLoader(view: view, decoder: decoder, through: head)
    }

    /// What a plan of `table` reads of the members: the collaboratives its events may be held for (every
    /// value of the column, or the fixed one: a superset of the places its events name) and the member slugs
    /// of its rows; names are resolved only when a row gives one.
    static func needs(of table: RegisterTable, mapping: RegisterMapping) -> (places: Set<Slug>, members: Set<Slug>) {
        guard let columns = try? RegisterColumns(mapping: mapping, table: table) else { return ([], []) }
        let field: RegisterField = mapping.kind == .workshop ? .collaboratives : .collaborative
        func slugs(_ text: String) -> [Slug] {
            switch try? field.value(of: text, in: mapping.kind) {
            case .slug(let slug): [slug]
            case .slugs(let slugs): slugs
            default: []
            }
        }
        var places = Set<Slug>()
        var members = Set<Slug>()
        var byName = false
        if case .fixed(let value) = mapping.fields[field] { places.formUnion(slugs(value.description)) }
        for row in table.rows where !row.isBlank {
            if let column = columns.fields[field] { places.formUnion(slugs(column.cell(row))) }
            if let column = columns.member, let slug = Slug(column.cell(row).lowercased()) { members.insert(slug) }
            if let column = columns.memberName, !column.cell(row).isEmpty { byName = true }
        }
        return (byName ? places : [], members)
    }

    /// Reads the states of the members who ever joined one of `places`, and of `named`, with the retractions
    /// of what was read.
    mutating func loadMembers(of places: Set<Slug>, named: Set<Slug>) throws {
        var members = named
        let tagged = try view.taggedSeqs(forEach: places.map(EventTag.inCollaborative), through: head)
        try load(seqs: Array(Set(tagged.values.joined())).sorted()) { $0.type == MemberJoined.typeName }
        for entry in loader.entries.values {
            if case .memberJoined(let joined) = entry.event { members.insert(joined.member) }
        }
        try load(tags: members.map(EventTag.person))
        self.members.formUnion(members)
        try loadRetractions()
    }

    /// Reads the stored events `plan`'s events stand for (``RegisterReconciliation``): those under their
    /// ids and legacy ids, the workshops of their slugs, then retractions and the replacements that follow
    /// them until nothing new is found.
    mutating func loadCounterparts(of plan: RegisterPlan) throws {
        var slugs = Set<Slug>()
        var ids: [UUID] = []
        for event in plan.events {
            ids.append(event.draft.id)
            if let legacy = event.legacyID { ids.append(legacy) }
            if case .workshopHeld(let held) = event.draft.event { slugs.insert(held.workshop) }
        }
        // One request for every id (a round trip each on PostgreSQL otherwise), then one read of what it found.
        try load(seqs: try view.events(ids: ids).values.map(\.seq).sorted()) { _ in true }
        try load(tags: slugs.map(EventTag.workshop))
        // The retractions read with the members, then those each pass finds: only new ones are looked at, so
        // a pass costs what it adds.
        var found = loader.entries.keys.filter { isRetraction($0) }
        while true {
            found += try loadRetractions()
            let next = found.filter(isFollowed).map { $0 + 1 }
            found = []
            guard !next.isEmpty else { return }
            try load(seqs: next.sorted()) { _ in true }
        }
    }

    private func isRetraction(_ seq: UInt64) -> Bool {
        if case .eventRetracted = loader.entries[seq]?.event { return true }
        return false
    }

    /// Whether the event after the retraction at `seq` is read: it may replace the event the retraction
    /// names (``CorrectionLink``) only when that event is read and is not itself a retraction.
    private func isFollowed(_ seq: UInt64) -> Bool {
        guard case .eventRetracted(let retraction) = loader.entries[seq]?.event, seq < head,
            loader.entries[seq + 1] == nil, let target = seqsByID[retraction.event]
        else { return false }
        return !isRetraction(target)
    }

    /// The members whose states are read (``members``) with a stored `PersonalDataErased`, retracted or not,
    /// as ``PersonalDataKeys`` counts them.
    var erased: Set<Slug> {
        var erased = Set<Slug>()
        for entry in loader.entries.values {
            if case .personalDataErased(let erasure) = entry.event, members.contains(erasure.member) {
                erased.insert(erasure.member)
            }
        }
        return erased
    }

    /// The events read, in log order (retractions and retracted events included).
    var inLogOrder: [(entry: TimelineEntry, recordedAt: Timestamp)] {
        loader.entries.sorted { $0.key < $1.key }.map {
            ($0.value, recordedAt[$0.key] ?? Timestamp(microsecondsSinceEpoch: 0))
        }
    }

    /// The events read that count: not retracted, and not the retractions themselves.
    var visible: [TimelineEntry] { Chronicle.visible(loader.inLogOrder) }

    private mutating func load(tags: [String]) throws {
        let tagged = try view.taggedSeqs(forEach: tags, through: head)
        try load(seqs: Array(Set(tagged.values.joined())).sorted()) { _ in true }
    }

    /// Reads the events at `seqs` not read yet that `keep` accepts on their envelope, keeping when each was
    /// recorded (``RegisterReconciliation`` follows corrections by it).
    private mutating func load(seqs: [UInt64], keeping keep: (EventInPlace) -> Bool) throws {
        var recorded: [UInt64: Timestamp] = [:]
        try loader.load(seqs: seqs) { event in
            guard keep(event) else { return false }
            recorded[event.seq] = event.recordedAt
            return true
        }
        for seq in recorded.keys.sorted() {
            guard let entry = loader.entries[seq], recordedAt[seq] == nil else { continue }
            unreadRetractions.append(seq)
            seqsByID[entry.id] = seq
        }
        recordedAt.merge(recorded) { first, _ in first }
    }

    /// Reads the retractions of every event read whose retractions are not read yet, and theirs, until none
    /// is left.
    ///
    /// - Returns: the retractions found, whether read now or before (a retraction read before its target
    ///   was: ``loadCounterparts(of:)`` may follow it now).
    @discardableResult
    private mutating func loadRetractions() throws -> [UInt64] {
        var found: [UInt64] = []
        while !unreadRetractions.isEmpty {
            let ids = unreadRetractions.compactMap { loader.entries[$0]?.id }
            unreadRetractions = []
            let tagged = try view.taggedSeqs(forEach: ids.map(EventTag.retractionOf), through: head)
            let seqs = Array(Set(tagged.values.joined())).sorted()
            try load(seqs: seqs) { _ in true }
            found += seqs
        }
        return found
    }
}
