/// Coaching per sub-group and collaborative, per period: sessions by kind, sessions nobody attended,
/// minutes, distinct attendees, and the sub-groups with no session.
///
/// A sub-group exists in a period when it was formed by the period's last day and is not closed
/// throughout it (its latest status on the first day is `closed` and does not change in the period).
///
/// ```swift
/// let result = CoachingReport.compute(view: view, collaborative: oldham, periods: terms)
/// result.periods.map(\.subgroupsWithoutSession)
/// ```
public enum CoachingReport {
    /// Computes the report for one collaborative over `periods` (each cut at D; periods starting
    /// after D are left out).
    ///
    /// - Complexity: O(E + P · (S + G)) for E visible events, P periods, S sessions and G sub-groups.
    public static func compute(view: HistoryView, collaborative: Slug, periods: [Period]) -> CoachingResult {
        let timeline = view.timeline
        let subgroups = timeline.subgroups(of: collaborative)
        let owned = Set(subgroups)
        var sessions: [(day: Day, event: CoachingSessionHeld)] = []
        var statuses: [Slug: [(day: Day, status: SubGroupStatus)]] = [:]
        for (day, entry) in timeline.reportableEntries() {
            switch entry.event {
            case .coachingSessionHeld(let session) where session.collaborative == collaborative:
                sessions.append((day, session))
            case .subGroupStatusChanged(let change) where owned.contains(change.subgroup):
                statuses[change.subgroup, default: []].append((day, change.status))
            default:
                break
            }
        }
        let results = periods.compactMap { $0.reported(asOf: view.asOf) }.map { period, partial in
            let held = sessions.filter { period.contains($0.day) }.map(\.event)
            let existing = subgroups.filter { subgroup in
                guard let formed = timeline.formationDay(ofSubgroup: subgroup), formed <= period.lastDay else {
                    return false
                }
                return !isClosedThroughout(period, statuses[subgroup] ?? [])
            }
            let named = Set(held.compactMap(\.subgroup))
            let rows = Set(existing).union(named).sorted().map { subgroup in
                SubgroupCoaching(subgroup: subgroup, figures: figures(of: held.filter { $0.subgroup == subgroup }))
            }
            return CoachingPeriod(
                period: period, partial: partial, total: figures(of: held), subgroups: rows,
                withoutSubgroup: figures(of: held.filter { $0.subgroup == nil }),
                subgroupsWithoutSession: existing.filter { !named.contains($0) })
        }
        return CoachingResult(collaborative: collaborative, periods: results)
    }

    /// The figures of a set of sessions.
    static func figures(of sessions: [CoachingSessionHeld]) -> CoachingFigures {
        guard !sessions.isEmpty else { return .none }
        var kinds: [CoachingKind: Int] = [:]
        var attendees = Set<Slug>()
        for session in sessions {
            kinds[session.kind, default: 0] += 1
            attendees.formUnion(session.attendees)
        }
        return CoachingFigures(
            sessions: sessions.count, sessionsByKind: kinds,
            sessionsUnattended: sessions.filter(\.attendees.isEmpty).count,
            minutes: sessions.reduce(0) { $0 + ($1.minutes ?? 0) },
            sessionsWithoutMinutes: sessions.filter { $0.minutes == nil }.count,
            attendances: sessions.reduce(0) { $0 + $1.attendees.count }, distinctAttendees: attendees.count,
            attendees: attendees.sorted())
    }

    /// Whether the sub-group's latest status on the period's first day is `closed` and no status
    /// change falls inside the period.
    private static func isClosedThroughout(_ period: Period, _ changes: [(day: Day, status: SubGroupStatus)]) -> Bool {
        guard changes.last(where: { $0.day <= period.start })?.status == .closed else { return false }
        return !changes.contains { $0.day > period.start && period.contains($0.day) }
    }
}
