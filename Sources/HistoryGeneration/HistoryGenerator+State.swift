internal import Collaboratives
internal import Foundation

/// What the generator remembers of one collaborative: only what the rules and a realistic mix need.
struct GeneratedCollaborative {
    /// An active member.
    struct Member {
        let slug: Slug
        var sector: Sector
        /// The day they (re-)joined; they may leave only after it.
        let joined: Day
        /// The last day an event named them as attendee, role holder or sub-group member: they may leave only
        /// after it, since someone who leaves on a day is not active on it.
        var lastActive: Day

        var isStaff: Bool { sector == .programmeStaff }
    }

    /// A member who left and may come back.
    struct FormerMember {
        let slug: Slug
        let sector: Sector
        let left: Day
    }

    /// An open sub-group (closed ones are forgotten: nothing refers to them again).
    struct Subgroup {
        let slug: Slug
        var status: SubGroupStatus
        var members: [Slug]
        var milestones: Int
    }

    /// A role held by a member.
    struct Holding: Equatable {
        let role: Role
        let subgroup: Slug?
        let member: Slug

        func isSlot(_ role: Role, _ subgroup: Slug?) -> Bool { self.role == role && self.subgroup == subgroup }
    }

    let slug: Slug
    let place: String
    /// The size the membership drifts towards.
    let targetSize: Int
    /// How likely an active member is to attend a workshop.
    let attendanceRate: Double
    var members: [Member] = []
    var former: [FormerMember] = []
    var subgroups: [Subgroup] = []
    var holdings: [Holding] = []
    /// The last holder of each role slot that has had one, for `succeeds`.
    var previousHolders: [Holding] = []
    var memberCounter = 0
    var workshopCounter = 0
    var subgroupCounter = 0
    var lastSurveyYear = 0

    /// The most former members remembered for re-joining.
    static let formerLimit = 24

    var recorder: String { "admin-" + slug.rawValue }

    var staffCount: Int { members.reduce(0) { $0 + ($1.isStaff ? 1 : 0) } }

    func memberIndex(_ slug: Slug) -> Int? { members.firstIndex { $0.slug == slug } }

    func holds(_ member: Slug, _ role: Role, _ subgroup: Slug?) -> Bool {
        holdings.contains { $0.member == member && $0.isSlot(role, subgroup) }
    }

    func holderCount(_ role: Role, _ subgroup: Slug? = nil) -> Int {
        holdings.reduce(0) { $0 + ($1.isSlot(role, subgroup) ? 1 : 0) }
    }

    /// Members who may coach here: programme staff, or holders of an advisor role.
    var advisorIndices: [Int] {
        members.indices.filter { index in
            members[index].isStaff || holds(members[index].slug, .advisor, nil)
        }
    }

    mutating func markActive(_ index: Int, on day: Day) {
        members[index].lastActive = day
    }

    mutating func markActive(_ slug: Slug, on day: Day) {
        if let index = memberIndex(slug) { markActive(index, on: day) }
    }

    mutating func remember(previous holding: Holding) {
        previousHolders.removeAll { $0.isSlot(holding.role, holding.subgroup) }
        previousHolders.append(holding)
    }

    mutating func rememberFormer(_ member: FormerMember) {
        if former.count >= Self.formerLimit { former.removeFirst() }
        former.append(member)
    }
}

/// A programme staff member and how many collaboratives they are active in.
struct StaffRecord {
    let slug: Slug
    var collaboratives: Int
}

/// A line made earlier and written late.
struct PendingLine {
    let release: Day
    let bytes: [UInt8]
    let id: UUID
    let retractable: Bool
    /// The member whose personal fields (name, organisation, free text about them) the line carries, if any:
    /// the line must be written before that member's erasure, which refuses their personal data afterwards.
    var personalDataOf: Slug? = nil
}
