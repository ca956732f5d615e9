/// The progress of a collaborative's sub-groups on D: status, milestones, time to delivery, partners,
/// redefinitions, and whether they have stalled.
///
/// Definitions (issue 4): the status on D is that of the latest status change on or before D
/// (`planned` from formation); days to delivery run from formation to the first `delivered` or
/// `embedded`; the partner sectors are the sectors on D of the members in both the sub-group and the
/// collaborative on D; a sub-group is stalled when its status is not delivered, embedded or closed and
/// D minus its last change (formation, status change or milestone, not a redefinition) is at least N days.
///
/// ```swift
/// let result = ProgressReport.compute(view: view, collaborative: oldham, stalledAfterDays: 120)
/// result.subgroups.filter(\.isStalled).map(\.subgroup)
/// ```
public enum ProgressReport {
    /// N by default: 120 days.
    public static let defaultStalledAfterDays = 120

    /// Computes the progress of every sub-group of `collaborative` formed by D.
    ///
    /// - Complexity: O(E + S · P) for E visible events, S sub-groups and P people who ever joined one.
    public static func compute(
        view: HistoryView, collaborative: Slug, stalledAfterDays: Int = defaultStalledAfterDays
    ) -> ProgressResult {
        let ledger = SubGroupLedger(timeline: view.timeline)
        return compute(view: view, collaborative: collaborative, ledger: ledger, stalledAfterDays: stalledAfterDays)
    }

    static func compute(
        view: HistoryView, collaborative: Slug, ledger: SubGroupLedger, stalledAfterDays: Int
    ) -> ProgressResult {
        let subgroups = ledger.records(of: collaborative).map { record in
            progress(of: record, view: view, stalledAfterDays: stalledAfterDays)
        }
        return ProgressResult(collaborative: collaborative, stalledAfterDays: stalledAfterDays, subgroups: subgroups)
    }

    private static func progress(
        of record: SubGroupLedger.Record, view: HistoryView, stalledAfterDays: Int
    ) -> SubGroupProgress {
        let asOf = view.asOf
        let deliveredOn = record.statusChanges.first { $0.status == .delivered || $0.status == .embedded }?.day
        let partners = record.members(on: asOf, in: view.timeline)
        let sectors = Set(partners.compactMap { view.timeline.details(of: $0, on: asOf)?.sector })
        let lastChange =
            ([record.formedOn] + record.statusChanges.map(\.day) + record.milestones.map(\.day))
            .max() ?? record.formedOn
        let idle = days(from: lastChange, to: asOf)
        let settled: Set<SubGroupStatus> = [.delivered, .embedded, .closed]
        return SubGroupProgress(
            subgroup: record.subgroup, title: record.title, formedOn: record.formedOn, status: record.status,
            statusSince: record.statusSince, statusChanges: record.statusChanges, milestones: record.milestones,
            deliveredOn: deliveredOn, daysToDelivery: deliveredOn.map { days(from: record.formedOn, to: $0) },
            partnerSectors: Sector.allCases.filter(sectors.contains), partners: partners.count,
            redefinitions: record.redefinitions, lastChange: lastChange, daysSinceLastChange: idle,
            isStalled: !settled.contains(record.status) && idle >= stalledAfterDays)
    }

    /// `to − from`, in days.
    static func days(from: Day, to: Day) -> Int {
        Int(to.daysSinceEpoch) - Int(from.daysSinceEpoch)
    }
}

extension SubGroupLedger.Record {
    /// Its members on `day`: in the sub-group and active in its collaborative that day, by slug.
    func members(on day: Day, in timeline: Timeline) -> [Slug] {
        everJoined.filter { member in
            timeline.isInSubgroup(member, subgroup, on: day) && timeline.isActive(member, in: collaborative, on: day)
        }.sorted()
    }
}
