/// Where an event sits on the timeline: its Europe/London day, then ``OccurredAt/sortKey``, then `seq` —
/// the order ``Timeline`` replays stored events in.
///
/// The 32-bit day is declared last so that it packs with a mark's one-byte value: 24 bytes a mark instead
/// of 32, for the hundreds of thousands of marks a large log leaves (declaration order is layout order).
struct TimelinePosition: Hashable, Comparable, Sendable {
    let sortKey: Int64
    let seq: UInt64
    let day: Day

    init(day: Day, sortKey: Int64, seq: UInt64) {
        self.day = day
        self.sortKey = sortKey
        self.seq = seq
    }

    init(_ entry: TimelineEntry, seq: UInt64) {
        self.init(day: entry.occurredAt.localDay, sortKey: entry.occurredAt.sortKey, seq: seq)
    }

    static func < (lhs: TimelinePosition, rhs: TimelinePosition) -> Bool {
        (lhs.day, lhs.sortKey, lhs.seq) < (rhs.day, rhs.sortKey, rhs.seq)
    }
}

/// The events of one relationship, in timeline order, each reduced to the value the present view needs.
struct TimelineMarks<Value: Equatable & Sendable>: Equatable, Sendable {
    struct Mark: Equatable, Sendable {
        let position: TimelinePosition
        let value: Value
    }

    private(set) var marks: [Mark] = []

    init() {}

    init(sorted marks: [Mark]) { self.marks = marks }

    var isEmpty: Bool { marks.isEmpty }
    var last: Mark? { marks.last }
    var first: Mark? { marks.first }

    /// Inserts a mark at its place (`adding`), or removes the mark of the event at `position.seq`.
    mutating func set(_ value: Value, at position: TimelinePosition, _ adding: Bool) {
        if adding {
            let low = marks.partitioningIndex { !($0.position < position) }
            if low < marks.count, marks[low].position.seq == position.seq { return }
            marks.insert(Mark(position: position, value: value), at: low)
        } else {
            marks.removeAll { $0.position.seq == position.seq }
        }
    }

    /// The first mark of the trailing run of marks whose value satisfies `isOpen`: the event that opened
    /// the interval still open at the end (a second opening while open is a rule failure, and
    /// ``Timeline`` keeps the first), or `nil` when the last mark does not satisfy it.
    func openingOfTrailingRun(_ isOpen: (Value) -> Bool) -> Mark? {
        var index = marks.count
        while index > 0, isOpen(marks[index - 1].value) { index -= 1 }
        return index < marks.count ? marks[index] : nil
    }
}

/// A record the present view keeps per key, dropped when it becomes empty.
protocol PresentRecord {
    init()
    var isEmpty: Bool { get }
}

extension TimelineMarks: PresentRecord {}

/// What a `CollaborativeFormed` says.
struct FormationMark: Equatable, Sendable {
    let name: String
    let anchorOrganisation: String
    let programmeStart: Day
}

/// A collaborative: its formations (the first on the timeline counts) and its totals.
struct CollaborativeRecord: PresentRecord, Equatable, Sendable {
    var formations = TimelineMarks<FormationMark>()
    var workshops: Int64 = 0
    var coachingSessions: Int64 = 0

    var isEmpty: Bool { formations.isEmpty && workshops == 0 && coachingSessions == 0 }
}

/// What a `MemberJoined` or `MemberDetailsChanged` does to a member's details.
struct DetailsMark: Equatable, Sendable {
    /// A join sets the sector; a change may leave it (`nil`).
    let isJoin: Bool
    let sector: Sector?
    /// Whether the event gives an organisation (read back from the event at its `seq` when shown).
    let setsOrganisation: Bool
}

/// A member's details: the events that set them, and their erasures.
struct MemberRecord: PresentRecord, Equatable, Sendable {
    var details = TimelineMarks<DetailsMark>()
    var erasures = TimelineMarks<Bool>()

    var isEmpty: Bool { details.isEmpty && erasures.isEmpty }

    /// The latest sector, and the `seq` of the event that gave the latest organisation, replaying the
    /// marks as ``Timeline`` does: a change before any join is not applied, a field left out is kept.
    var latest: (sector: Sector, organisationSeq: UInt64?)? {
        var sector: Sector?
        var organisationSeq: UInt64?
        for mark in details.marks {
            guard mark.value.isJoin || sector != nil else { continue }
            sector = mark.value.sector ?? sector
            if mark.value.setsOrganisation { organisationSeq = mark.position.seq }
        }
        return sector.map { ($0, organisationSeq) }
    }
}

/// What a `SubGroupFormed` says.
struct SubGroupFormationMark: Equatable, Sendable {
    let collaborative: Slug
    let title: String
}

/// A sub-group: formations (the first counts), status changes, milestones and new titles.
struct SubGroupRecord: PresentRecord, Equatable, Sendable {
    var formations = TimelineMarks<SubGroupFormationMark>()
    var statuses = TimelineMarks<SubGroupStatus>()
    var milestones = TimelineMarks<Bool>()
    var titles = TimelineMarks<String>()

    var isEmpty: Bool { formations.isEmpty && statuses.isEmpty && milestones.isEmpty && titles.isEmpty }
}
