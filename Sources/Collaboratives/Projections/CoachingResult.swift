/// Coaching of one collaborative and its sub-groups, per period: what ``CoachingReport`` computes.
public struct CoachingResult: Equatable, Sendable {
    /// The collaborative.
    public let collaborative: Slug
    /// The periods, in order, each cut at D (see ``CoachingPeriod/partial``).
    public let periods: [CoachingPeriod]

    /// Creates a result.
    public init(collaborative: Slug, periods: [CoachingPeriod]) {
        self.collaborative = collaborative
        self.periods = periods
    }
}

/// One period of the coaching report.
public struct CoachingPeriod: Equatable, Sendable {
    /// The period as reported: cut to D + 1 when it runs past D, and to the range asked for.
    public let period: Period
    /// Whether the period was cut (at D or at the range asked for), so that only some of its days are reported.
    public let partial: Bool
    /// Every session of the collaborative in the period.
    public let total: CoachingFigures
    /// Per sub-group, by slug: those existing in the period (formed by its last day and not closed
    /// throughout it) and any other that had a session.
    public let subgroups: [SubgroupCoaching]
    /// The sessions that named no sub-group.
    public let withoutSubgroup: CoachingFigures
    /// The sub-groups existing in the period that had no session in it, by slug.
    public let subgroupsWithoutSession: [Slug]

    /// Creates a period's figures.
    public init(
        period: Period, partial: Bool, total: CoachingFigures, subgroups: [SubgroupCoaching],
        withoutSubgroup: CoachingFigures, subgroupsWithoutSession: [Slug]
    ) {
        self.period = period
        self.partial = partial
        self.total = total
        self.subgroups = subgroups
        self.withoutSubgroup = withoutSubgroup
        self.subgroupsWithoutSession = subgroupsWithoutSession
    }
}

/// One sub-group's coaching in a period.
public struct SubgroupCoaching: Equatable, Sendable {
    /// The sub-group.
    public let subgroup: Slug
    /// Its sessions' figures.
    public let figures: CoachingFigures

    /// Creates a sub-group's figures.
    public init(subgroup: Slug, figures: CoachingFigures) {
        self.subgroup = subgroup
        self.figures = figures
    }
}

/// Sessions by kind, sessions nobody attended, minutes and distinct attendees of a set of sessions.
public struct CoachingFigures: Equatable, Sendable {
    /// Sessions held (or offered).
    public let sessions: Int
    /// Sessions by kind (kinds with none are absent).
    public let sessionsByKind: [CoachingKind: Int]
    /// Sessions with no attendee: offered, nobody came.
    public let sessionsUnattended: Int
    /// Minutes of the sessions that recorded them.
    public let minutes: Int
    /// Sessions that recorded no minutes.
    public let sessionsWithoutMinutes: Int
    /// Attendances: the sum of the sessions' attendees.
    public let attendances: Int
    /// Distinct members who attended at least one session.
    public let distinctAttendees: Int
    /// Those members, by slug (`distinctAttendees` of them).
    public let attendees: [Slug]

    /// Creates the figures.
    public init(
        sessions: Int, sessionsByKind: [CoachingKind: Int], sessionsUnattended: Int, minutes: Int,
        sessionsWithoutMinutes: Int, attendances: Int, distinctAttendees: Int, attendees: [Slug] = []
    ) {
        self.attendees = attendees
        self.sessions = sessions
        self.sessionsByKind = sessionsByKind
        self.sessionsUnattended = sessionsUnattended
        self.minutes = minutes
        self.sessionsWithoutMinutes = sessionsWithoutMinutes
        self.attendances = attendances
        self.distinctAttendees = distinctAttendees
    }

    /// The figures of no session.
    public static let none = CoachingFigures(
        sessions: 0, sessionsByKind: [:], sessionsUnattended: 0, minutes: 0, sessionsWithoutMinutes: 0,
        attendances: 0, distinctAttendees: 0)
}
