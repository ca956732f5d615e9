/// Membership attrition of a collaborative: members at start, joined, left, at end, rates, reasons,
/// sectors, sector coverage and the constant sample.
///
/// Definitions (issue 4), for a period `[s, e)`: at start = members active on s − 1; joined = joins
/// dated in `[s, e)`; left = leaves dated in `[s, e)`; at end = members active on e − 1; so
/// `atEnd = atStart + joined − left` exactly (a leave and re-join inside one period counts once in
/// each, and the member is retained). Attrition rate = left ÷ (atStart + joined); retention = members
/// active on both s − 1 and e − 1 ÷ atStart. By sector, each member counts under their sector on the last
/// day of `[s − 1, e − 1]` on which they were active, so the identity holds per sector. Period figures use
/// every visible event, not only those dated inside the period. Each period also lists who joined and
/// who left (day, sector, reason), one entry per join or leave counted.
///
/// ```swift
/// let result = AttritionReport.compute(view: view, collaborative: oldham, periods: periods, bySector: true)
/// result.periods.map(\.figures.attritionRate)
/// ```
public enum AttritionReport {
    /// Computes the report for one collaborative over `periods` (each cut at D; periods starting
    /// after D are left out).
    ///
    /// - Complexity: O(E + P · (M + J)) for E visible events, P periods, M members and J joins and leaves.
    public static func compute(view: HistoryView, collaborative: Slug, periods: [Period], bySector: Bool)
        -> AttritionResult
    {
        let roster = MembershipRoster(timeline: view.timeline, collaborative: collaborative)
        var joins: [Slug: [Day]] = [:]
        var leaves: [Slug: [(day: Day, reason: LeaveReason)]] = [:]
        for (day, entry) in view.timeline.reportableEntries() {
            switch entry.event {
            case .memberJoined(let joined) where joined.collaborative == collaborative:
                joins[joined.member, default: []].append(day)
            case .memberLeft(let left) where left.collaborative == collaborative:
                leaves[left.member, default: []].append((day, left.reason))
            default:
                break
            }
        }
        let movements = Movements(joins: joins, leaves: leaves)
        let reported = periods.compactMap { $0.reported(asOf: view.asOf) }
        let results = reported.map { period, partial in
            measure(period, partial: partial, roster: roster, movements: movements, bySector: bySector)
        }
        var coverage: SectorCoverage?
        var sample: [ConstantSampleMember] = []
        if let first = reported.first?.period, let last = reported.last?.period {
            let before = first.start.adding(days: -1)
            coverage = SectorCoverage(
                before: before, last: last.lastDay, sectorsBefore: roster.sectorCounts(on: before),
                sectorsAtEnd: roster.sectorCounts(on: last.lastDay))
            sample = roster.memberships.compactMap { membership in
                guard reported.allSatisfy({ membership.isActive(from: $0.period.start, through: $0.period.lastDay) }),
                    let day = membership.lastActiveDay(from: last.start, through: last.lastDay)
                else { return nil }
                return ConstantSampleMember(
                    member: membership.member, sector: roster.sector(of: membership.member, on: day))
            }
        }
        return AttritionResult(
            collaborative: collaborative, periods: results, coverage: coverage, constantSample: sample)
    }

    /// The collaborative's joins and leaves by member, in timeline order.
    struct Movements {
        let joins: [Slug: [Day]]
        let leaves: [Slug: [(day: Day, reason: LeaveReason)]]
    }

    /// One member's part in one period's figures.
    private struct Contribution {
        var atStart = 0
        var joined = 0
        var left = 0
        var atEnd = 0
        var retained = 0
        var reasons: [LeaveReason: Int] = [:]

        static func + (lhs: Contribution, rhs: Contribution) -> Contribution {
            Contribution(
                atStart: lhs.atStart + rhs.atStart, joined: lhs.joined + rhs.joined, left: lhs.left + rhs.left,
                atEnd: lhs.atEnd + rhs.atEnd, retained: lhs.retained + rhs.retained,
                reasons: lhs.reasons.merging(rhs.reasons, uniquingKeysWith: +))
        }

        var figures: AttritionFigures {
            AttritionFigures(
                atStart: atStart, joined: joined, left: left, atEnd: atEnd, retained: retained,
                leavingReasons: reasons)
        }
    }

    private static func measure(
        _ period: Period, partial: Bool, roster: MembershipRoster, movements: Movements, bySector: Bool
    ) -> AttritionPeriod {
        let before = period.start.adding(days: -1)
        let last = period.lastDay
        var total = Contribution()
        var bySectorTotals: [Sector: Contribution] = [:]
        var joiners: [MembershipMove] = []
        var leavers: [MembershipMove] = []
        for membership in roster.memberships {
            var part = Contribution()
            part.atStart = membership.isActive(on: before) ? 1 : 0
            part.atEnd = membership.isActive(on: last) ? 1 : 0
            part.retained = part.atStart * part.atEnd
            let joinDays = (movements.joins[membership.member] ?? []).filter(period.contains)
            part.joined = joinDays.count
            joiners += joinDays.map { day in
                MembershipMove(
                    member: membership.member, day: day, sector: roster.sector(of: membership.member, on: day),
                    reason: nil)
            }
            for leave in movements.leaves[membership.member] ?? [] where period.contains(leave.day) {
                part.left += 1
                part.reasons[leave.reason, default: 0] += 1
                let lastDay =
                    membership.isActive(on: leave.day.adding(days: -1)) ? leave.day.adding(days: -1) : leave.day
                leavers.append(
                    MembershipMove(
                        member: membership.member, day: leave.day,
                        sector: roster.sector(of: membership.member, on: lastDay), reason: leave.reason))
            }
            guard part.atStart + part.atEnd + part.joined + part.left > 0 else { continue }
            total = total + part
            if bySector {
                // A member who joined and left on one day was never active: their sector is that of the join.
                guard let day = membership.lastActiveDay(from: before, through: last) ?? joinDays.last else { continue }
                let sector = roster.sector(of: membership.member, on: day)
                bySectorTotals[sector] = (bySectorTotals[sector] ?? Contribution()) + part
            }
        }
        let sectors = Sector.allCases.compactMap { sector in
            bySectorTotals[sector].map { SectorAttritionFigures(sector: sector, figures: $0.figures) }
        }
        let coverage = SectorCoverage(
            before: before, last: last, sectorsBefore: roster.sectorCounts(on: before),
            sectorsAtEnd: roster.sectorCounts(on: last))
        func ordered(_ moves: [MembershipMove]) -> [MembershipMove] {
            moves.sorted { ($0.day, $0.member) < ($1.day, $1.member) }
        }
        return AttritionPeriod(
            period: period, partial: partial, figures: total.figures, sectors: sectors, coverage: coverage,
            joiners: ordered(joiners), leavers: ordered(leavers))
    }
}
