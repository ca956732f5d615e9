/// The attendance of one collaborative's workshops, per period: what ``AttendanceReport`` computes.
public struct AttendanceResult: Equatable, Sendable {
    /// The collaborative.
    public let collaborative: Slug
    /// The periods, in order, each cut at D (see ``AttendancePeriod/partial``).
    public let periods: [AttendancePeriod]
    /// The workshops held for the collaborative inside the periods, in timeline order.
    public let workshops: [WorkshopAttendance]
    /// Mean rate of the last period minus that of the first, in percentage points; `nil` with fewer
    /// than two periods or when either has no rate.
    public let changeInPercentagePoints: Double?
    /// The same change per sector (only with `bySector`), for the sectors with a rate in the first or last period.
    public let sectorChanges: [SectorRateChange]
    /// N: how many of the latest workshops a member must have missed to be lapsing.
    public let lapsingThreshold: Int
    /// Members active on D who missed each of the last N workshops held while they were active, by slug.
    public let lapsingMembers: [LapsingMember]

    /// Creates a result.
    public init(
        collaborative: Slug, periods: [AttendancePeriod], workshops: [WorkshopAttendance],
        changeInPercentagePoints: Double?, sectorChanges: [SectorRateChange], lapsingThreshold: Int,
        lapsingMembers: [LapsingMember]
    ) {
        self.collaborative = collaborative
        self.periods = periods
        self.workshops = workshops
        self.changeInPercentagePoints = changeInPercentagePoints
        self.sectorChanges = sectorChanges
        self.lapsingThreshold = lapsingThreshold
        self.lapsingMembers = lapsingMembers
    }
}

/// Attendees and members of one workshop for one collaborative (a cross-locality workshop has one
/// of these per collaborative).
public struct WorkshopAttendance: Equatable, Sendable {
    /// The workshop's slug.
    public let workshop: Slug
    /// The day it was held (Europe/London).
    public let day: Day
    /// Its kind.
    public let kind: WorkshopKind
    /// In person or online.
    public let mode: WorkshopMode
    /// Whether it was held for several collaboratives.
    public let crossLocality: Bool
    /// The figures for the collaborative: attendees active in it that day ÷ members active that day.
    public let figures: WorkshopFigures
    /// Listed attendees who were not active members of this collaborative that day (members of
    /// another collaborative at a cross-locality workshop).
    public let otherAttendees: Int
    /// The same figures per sector of the members that day (only with `bySector`), in catalog order.
    public let sectors: [SectorWorkshopFigures]
    /// The attendees counted: those who were active members of the collaborative that day, by slug.
    public let countedAttendees: [Slug]
    /// The members active that day who were not listed as attendees, by slug.
    public let absentMembers: [Slug]

    /// Creates a workshop's attendance.
    public init(
        workshop: Slug, day: Day, kind: WorkshopKind, mode: WorkshopMode, crossLocality: Bool,
        figures: WorkshopFigures, otherAttendees: Int, sectors: [SectorWorkshopFigures],
        countedAttendees: [Slug] = [], absentMembers: [Slug] = []
    ) {
        self.countedAttendees = countedAttendees
        self.absentMembers = absentMembers
        self.workshop = workshop
        self.day = day
        self.kind = kind
        self.mode = mode
        self.crossLocality = crossLocality
        self.figures = figures
        self.otherAttendees = otherAttendees
        self.sectors = sectors
    }
}

/// Attendees among the active members, and the members active, on a workshop's day.
public struct WorkshopFigures: Equatable, Sendable {
    /// Attendees who were active members that day.
    public let attendees: Int
    /// Members active that day: the denominator.
    public let members: Int

    /// Creates the figures.
    public init(attendees: Int, members: Int) {
        self.attendees = attendees
        self.members = members
    }

    /// `attendees ÷ members`; `nil` when nobody was active (no rate, never zero).
    public var rate: Double? { members == 0 ? nil : Double(attendees) / Double(members) }
}

/// A workshop's figures for the members of one sector.
public struct SectorWorkshopFigures: Equatable, Sendable {
    /// The sector (of each member on the workshop's day).
    public let sector: Sector
    /// Attendees and members of that sector.
    public let figures: WorkshopFigures

    /// Creates the figures.
    public init(sector: Sector, figures: WorkshopFigures) {
        self.sector = sector
        self.figures = figures
    }
}

/// One period of the attendance report.
public struct AttendancePeriod: Equatable, Sendable {
    /// The period as reported: cut to D + 1 when it runs past D, and to the range asked for.
    public let period: Period
    /// Whether the period was cut (at D or at the range asked for), so that only some of its days are reported.
    public let partial: Bool
    /// The figures over every workshop of the period.
    public let figures: AttendanceFigures
    /// The figures per sector (only with `bySector`), in catalog order.
    public let sectors: [SectorAttendanceFigures]

    /// Creates a period's figures.
    public init(period: Period, partial: Bool, figures: AttendanceFigures, sectors: [SectorAttendanceFigures]) {
        self.period = period
        self.partial = partial
        self.figures = figures
        self.sectors = sectors
    }
}

/// Workshops, attendances and the mean rate over a period.
public struct AttendanceFigures: Equatable, Sendable {
    /// Workshops held in the period.
    public let workshops: Int
    /// Of those, the workshops with a rate (someone was active that day).
    public let workshopsWithRate: Int
    /// Total attendances: the sum of the workshops' attendees who were active members.
    public let attendances: Int
    /// The mean of the workshops' rates, unweighted, over the workshops with a rate; `nil` when none has one.
    public let meanRate: Double?

    /// Creates the figures.
    public init(workshops: Int, workshopsWithRate: Int, attendances: Int, meanRate: Double?) {
        self.workshops = workshops
        self.workshopsWithRate = workshopsWithRate
        self.attendances = attendances
        self.meanRate = meanRate
    }
}

/// A period's figures for the members of one sector: `workshops` counts every workshop of the period,
/// `workshopsWithRate` those at which the sector had an active member.
public struct SectorAttendanceFigures: Equatable, Sendable {
    /// The sector.
    public let sector: Sector
    /// The figures for that sector.
    public let figures: AttendanceFigures

    /// Creates the figures.
    public init(sector: Sector, figures: AttendanceFigures) {
        self.sector = sector
        self.figures = figures
    }
}

/// The change of one sector's mean rate from the first to the last period.
public struct SectorRateChange: Equatable, Sendable {
    /// The sector.
    public let sector: Sector
    /// Last minus first, in percentage points; `nil` when either period has no rate for the sector.
    public let changeInPercentagePoints: Double?

    /// Creates a change.
    public init(sector: Sector, changeInPercentagePoints: Double?) {
        self.sector = sector
        self.changeInPercentagePoints = changeInPercentagePoints
    }
}

/// A member who has stopped coming: active on D and absent from each of the last N workshops held
/// while they were active.
public struct LapsingMember: Equatable, Sendable {
    /// The member.
    public let member: Slug
    /// Their sector on D.
    public let sector: Sector
    /// Workshops of the collaborative held while they were active, up to D.
    public let workshopsWhileActive: Int
    /// How many of the latest of those they missed in a row (at least N).
    public let consecutiveAbsences: Int
    /// The day of the last workshop they attended, if any.
    public let lastAttended: Day?
    /// The workshops they missed in a row, the latest last (`consecutiveAbsences` of them).
    public let missed: [MissedWorkshop]

    /// Creates a lapsing member.
    public init(
        member: Slug, sector: Sector, workshopsWhileActive: Int, consecutiveAbsences: Int, lastAttended: Day?,
        missed: [MissedWorkshop] = []
    ) {
        self.missed = missed
        self.member = member
        self.sector = sector
        self.workshopsWhileActive = workshopsWhileActive
        self.consecutiveAbsences = consecutiveAbsences
        self.lastAttended = lastAttended
    }
}

/// A workshop a lapsing member missed.
public struct MissedWorkshop: Equatable, Sendable {
    /// The workshop's slug.
    public let workshop: Slug
    /// The day it was held.
    public let day: Day

    /// Creates a missed workshop.
    public init(workshop: Slug, day: Day) {
        self.workshop = workshop
        self.day = day
    }
}
