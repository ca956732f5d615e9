/// Attendance of a collaborative's workshops: per workshop, per period, per sector, the trend, and
/// the members who have stopped coming.
///
/// Definitions (issue 4): the attendance of a workshop for collaborative C is the attendees who are
/// active members of C that day ÷ the members active in C that day; a cross-locality workshop counts
/// once for each collaborative it was held for; an empty denominator gives no rate (`nil`), never zero.
/// A period's mean rate is unweighted over its workshops with a rate; the change is the last period's
/// mean minus the first's, in percentage points. By sector, each member counts under their sector on
/// the workshop's day. A member is lapsing when active on D, with at least N workshops of C held while
/// they were active, and absent from each of the last N of them. The people behind the figures are
/// listed too: per workshop the attendees counted and the active members absent, and per lapsing
/// member the workshops missed in a row.
///
/// ```swift
/// let periods = PeriodScheme.programmeYear.periods(from: start, through: view.asOf, programmeStart: start)
/// let result = AttendanceReport.compute(
///     view: view, collaborative: oldham, periods: periods, bySector: true, lapsingThreshold: 2)
/// result.periods.map(\.figures.meanRate)
/// ```
public enum AttendanceReport {
    /// Computes the report for one collaborative over `periods` (each cut at D; periods starting
    /// after D are left out).
    ///
    /// - Parameters:
    ///   - bySector: also split every figure by the members' sector on the workshop's day.
    ///   - lapsingThreshold: N for lapsing members (values below 1 count as 1).
    /// - Complexity: O(E + W · M) for E visible events, W workshops of the collaborative and M members.
    public static func compute(
        view: HistoryView, collaborative: Slug, periods: [Period], bySector: Bool, lapsingThreshold: Int = 2
    ) -> AttendanceResult {
        let roster = MembershipRoster(timeline: view.timeline, collaborative: collaborative)
        let held = view.timeline.reportableEntries().compactMap { day, entry -> HeldWorkshop? in
            guard case .workshopHeld(let workshop) = entry.event, workshop.collaboratives.contains(collaborative)
            else { return nil }
            return HeldWorkshop(day: day, event: workshop, attendees: Set(workshop.attendees))
        }
        let reported = periods.compactMap { $0.reported(asOf: view.asOf) }
        let measured = held.filter { workshop in reported.contains { $0.period.contains(workshop.day) } }
            .map { measure($0, roster: roster, bySector: bySector) }
        let results = reported.map { period, partial in
            let workshops = measured.filter { period.contains($0.day) }
            return AttendancePeriod(
                period: period, partial: partial, figures: summarise(workshops.map(\.figures)),
                sectors: bySector ? sectorFigures(of: workshops) : [])
        }
        let threshold = max(1, lapsingThreshold)
        return AttendanceResult(
            collaborative: collaborative, periods: results, workshops: measured,
            changeInPercentagePoints: change(from: results.first?.figures, to: results.last?.figures, results.count),
            sectorChanges: bySector ? sectorChanges(results) : [], lapsingThreshold: threshold,
            lapsingMembers: lapsingMembers(held, roster: roster, asOf: view.asOf, threshold: threshold))
    }

    /// A workshop of the collaborative with its day.
    struct HeldWorkshop {
        let day: Day
        let event: WorkshopHeld
        /// The attendees listed, for membership tests.
        let attendees: Set<Slug>
    }

    private static func measure(_ held: HeldWorkshop, roster: MembershipRoster, bySector: Bool) -> WorkshopAttendance {
        let attendees = held.attendees
        let active = roster.active(on: held.day)
        let present = active.filter { attendees.contains($0.member) }
        var sectors: [SectorWorkshopFigures] = []
        if bySector {
            var members: [Sector: Int] = [:]
            var attended: [Sector: Int] = [:]
            for membership in active {
                let sector = roster.sector(of: membership.member, on: held.day)
                members[sector, default: 0] += 1
                if attendees.contains(membership.member) { attended[sector, default: 0] += 1 }
            }
            sectors = Sector.allCases.compactMap { sector in
                members[sector].map { count in
                    SectorWorkshopFigures(
                        sector: sector, figures: WorkshopFigures(attendees: attended[sector] ?? 0, members: count))
                }
            }
        }
        return WorkshopAttendance(
            workshop: held.event.workshop, day: held.day, kind: held.event.kind, mode: held.event.mode,
            crossLocality: held.event.collaboratives.count > 1,
            figures: WorkshopFigures(attendees: present.count, members: active.count),
            otherAttendees: attendees.count - present.count, sectors: sectors,
            countedAttendees: present.map(\.member),
            absentMembers: active.filter { !attendees.contains($0.member) }.map(\.member))
    }

    /// Workshops, attendances and the unweighted mean rate of a period's workshops.
    static func summarise(_ workshops: [WorkshopFigures]) -> AttendanceFigures {
        let rates = workshops.compactMap(\.rate)
        return AttendanceFigures(
            workshops: workshops.count, workshopsWithRate: rates.count,
            attendances: workshops.reduce(0) { $0 + $1.attendees },
            meanRate: rates.isEmpty ? nil : rates.reduce(0, +) / Double(rates.count))
    }

    /// Per sector: every workshop of the period counts, a workshop where the sector had no active
    /// member has no rate for it.
    private static func sectorFigures(of workshops: [WorkshopAttendance]) -> [SectorAttendanceFigures] {
        let present = Set(workshops.flatMap { $0.sectors.map(\.sector) })
        return Sector.allCases.filter(present.contains).map { sector in
            let figures = workshops.map { workshop in
                workshop.sectors.first { $0.sector == sector }?.figures ?? WorkshopFigures(attendees: 0, members: 0)
            }
            return SectorAttendanceFigures(sector: sector, figures: summarise(figures))
        }
    }

    private static func change(from first: AttendanceFigures?, to last: AttendanceFigures?, _ count: Int) -> Double? {
        guard count >= 2, let before = first?.meanRate, let after = last?.meanRate else { return nil }
        return (after - before) * 100
    }

    private static func sectorChanges(_ periods: [AttendancePeriod]) -> [SectorRateChange] {
        guard periods.count >= 2, let first = periods.first, let last = periods.last else { return [] }
        let sectors = Set(first.sectors.map(\.sector)).union(last.sectors.map(\.sector))
        return Sector.allCases.filter(sectors.contains).map { sector in
            SectorRateChange(
                sector: sector,
                changeInPercentagePoints: change(
                    from: first.sectors.first { $0.sector == sector }?.figures,
                    to: last.sectors.first { $0.sector == sector }?.figures, periods.count))
        }
    }

    /// Members active on D who missed each of the last `threshold` workshops held while they were active.
    private static func lapsingMembers(
        _ held: [HeldWorkshop], roster: MembershipRoster, asOf: Day, threshold: Int
    ) -> [LapsingMember] {
        roster.active(on: asOf).compactMap { membership in
            let whileActive = held.filter { membership.isActive(on: $0.day) }
            var absences = 0
            for workshop in whileActive.reversed() {
                guard !workshop.attendees.contains(membership.member) else { break }
                absences += 1
            }
            guard whileActive.count >= threshold, absences >= threshold else { return nil }
            return LapsingMember(
                member: membership.member, sector: roster.sector(of: membership.member, on: asOf),
                workshopsWhileActive: whileActive.count, consecutiveAbsences: absences,
                lastAttended: whileActive.dropLast(absences).last?.day,
                missed: whileActive.suffix(absences).map { MissedWorkshop(workshop: $0.event.workshop, day: $0.day) })
        }
    }
}
