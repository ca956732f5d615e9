/// Membership attrition of one collaborative, per period: what ``AttritionReport`` computes.
public struct AttritionResult: Equatable, Sendable {
    /// The collaborative.
    public let collaborative: Slug
    /// The periods, in order, each cut at D (see ``AttritionPeriod/partial``).
    public let periods: [AttritionPeriod]
    /// Sector coverage over the whole range: the day before it and its last day.
    public let coverage: SectorCoverage?
    /// The constant sample: members active on at least one day of every period, by slug (empty without periods).
    public let constantSample: [ConstantSampleMember]

    /// Creates a result.
    public init(
        collaborative: Slug, periods: [AttritionPeriod], coverage: SectorCoverage?,
        constantSample: [ConstantSampleMember]
    ) {
        self.collaborative = collaborative
        self.periods = periods
        self.coverage = coverage
        self.constantSample = constantSample
    }
}

/// One period `[s, e)` of the attrition report.
public struct AttritionPeriod: Equatable, Sendable {
    /// The period as reported: cut to D + 1 when it runs past D, and to the range asked for.
    public let period: Period
    /// Whether the period was cut (at D or at the range asked for), so that only some of its days are reported.
    public let partial: Bool
    /// The figures over every member.
    public let figures: AttritionFigures
    /// The figures per sector (only with `bySector`), in catalog order: each member counts under
    /// their sector on the last day of `[s − 1, e − 1]` on which they were active.
    public let sectors: [SectorAttritionFigures]
    /// Sectors on the day before the period and on its last day, and those lost between.
    public let coverage: SectorCoverage
    /// Who joined in the period: one entry per join counted in `figures.joined`, by day then member.
    public let joiners: [MembershipMove]
    /// Who left in the period: one entry per leave counted in `figures.left`, by day then member.
    public let leavers: [MembershipMove]

    /// Creates a period's figures.
    public init(
        period: Period, partial: Bool, figures: AttritionFigures, sectors: [SectorAttritionFigures],
        coverage: SectorCoverage, joiners: [MembershipMove] = [], leavers: [MembershipMove] = []
    ) {
        self.joiners = joiners
        self.leavers = leavers
        self.period = period
        self.partial = partial
        self.figures = figures
        self.sectors = sectors
        self.coverage = coverage
    }
}

/// Members at start, joined, left and at end of a period; always `atEnd = atStart + joined − left`.
public struct AttritionFigures: Equatable, Sendable {
    /// Members active on the day before the period.
    public let atStart: Int
    /// `MemberJoined` events dated in the period.
    public let joined: Int
    /// `MemberLeft` events dated in the period.
    public let left: Int
    /// Members active on the period's last day.
    public let atEnd: Int
    /// Members active on both of those days (a member who left and re-joined inside the period is retained).
    public let retained: Int
    /// The leaves of the period by reason (reasons with none are absent).
    public let leavingReasons: [LeaveReason: Int]

    /// Creates the figures.
    public init(atStart: Int, joined: Int, left: Int, atEnd: Int, retained: Int, leavingReasons: [LeaveReason: Int]) {
        self.atStart = atStart
        self.joined = joined
        self.left = left
        self.atEnd = atEnd
        self.retained = retained
        self.leavingReasons = leavingReasons
    }

    /// `left ÷ (atStart + joined)`; `nil` when nobody was there to leave.
    public var attritionRate: Double? {
        atStart + joined == 0 ? nil : Double(left) / Double(atStart + joined)
    }

    /// `retained ÷ atStart`; `nil` when nobody was active on the day before the period.
    public var retentionRate: Double? {
        atStart == 0 ? nil : Double(retained) / Double(atStart)
    }
}

/// A period's attrition figures for one sector.
public struct SectorAttritionFigures: Equatable, Sendable {
    /// The sector.
    public let sector: Sector
    /// The figures of the members counted under it.
    public let figures: AttritionFigures

    /// Creates the figures.
    public init(sector: Sector, figures: AttritionFigures) {
        self.sector = sector
        self.figures = figures
    }
}

/// How many active members a sector has on a day.
public struct SectorPresence: Equatable, Sendable {
    /// The sector (of each member on that day).
    public let sector: Sector
    /// Active members of that sector (at least one).
    public let members: Int

    /// Creates a count.
    public init(sector: Sector, members: Int) {
        self.sector = sector
        self.members = members
    }
}

/// The sectors represented on a first and a last day, and those present on the first and absent on the last.
public struct SectorCoverage: Equatable, Sendable {
    /// The first day (the day before a period or range).
    public let before: Day
    /// The last day (of the period or range).
    public let last: Day
    /// Sectors with at least one active member on `before`, in catalog order.
    public let sectorsBefore: [SectorPresence]
    /// Sectors with at least one active member on `last`, in catalog order.
    public let sectorsAtEnd: [SectorPresence]

    /// Creates the coverage.
    public init(before: Day, last: Day, sectorsBefore: [SectorPresence], sectorsAtEnd: [SectorPresence]) {
        self.before = before
        self.last = last
        self.sectorsBefore = sectorsBefore
        self.sectorsAtEnd = sectorsAtEnd
    }

    /// Sectors present on `before` and absent on `last`.
    public var lost: [Sector] {
        let remaining = Set(sectorsAtEnd.map(\.sector))
        return sectorsBefore.map(\.sector).filter { !remaining.contains($0) }
    }
}

/// A member of the constant sample.
public struct ConstantSampleMember: Equatable, Sendable {
    /// The member.
    public let member: Slug
    /// Their sector on the last day of the range on which they were active.
    public let sector: Sector

    /// Creates a sample member.
    public init(member: Slug, sector: Sector) {
        self.member = member
        self.sector = sector
    }
}

/// One join or leave behind the attrition figures.
public struct MembershipMove: Equatable, Sendable {
    /// The member.
    public let member: Slug
    /// The day of the join or leave.
    public let day: Day
    /// Their sector: on the day they joined; for a leave, on their last day as a member (the day before
    /// the leave), or on the leave day when they joined and left on one day.
    public let sector: Sector
    /// Why they left; `nil` for a join.
    public let reason: LeaveReason?

    /// Creates a move.
    public init(member: Slug, day: Day, sector: Sector, reason: LeaveReason?) {
        self.member = member
        self.day = day
        self.sector = sector
        self.reason = reason
    }
}
