/// The succession audit: per role slot, the chain of holders with their dates and appointments, the gaps
/// and overlaps between them, and what an Anchor should look at.
///
/// Definitions (issue 4): a tenure is `[assigned, ended)`, and a holder leaving the collaborative ends it
/// that day ("ended by leaving"). Tenures are ordered by start, then member; between consecutive ones,
/// gap = next start − previous end in days (positive: vacancy; negative: overlap). Flags: vacant on D,
/// self-appointed or interim holders, handover without overlap (every gap ≥ 0: the same-day handover and
/// the vacancy alike, since in both nobody overlapped the next holder), gap over the limit (30 days),
/// ended by leaving, `succeeds` naming someone who was not a previous holder, and members holding two or
/// more slots at once.
///
/// ```swift
/// let audit = SuccessionAudit.compute(view: view, collaborative: eastSussex)
/// audit.chains.filter(\.isVacant).map(\.slot)
/// ```
public enum SuccessionAudit {
    /// The gap, in days, beyond which a vacancy is flagged by default: 30.
    public static let defaultLongGapDays = 30

    /// Audits every slot of `collaborative` that has had a holder by D.
    ///
    /// - Parameter longGapDays: a gap strictly greater than this many days is flagged.
    /// - Complexity: O(T log T) for T tenures in the view, plus O(n²) per slot of n tenures (a handful).
    public static func compute(
        view: HistoryView, collaborative: Slug, longGapDays: Int = defaultLongGapDays
    ) -> SuccessionResult {
        let tenures = view.timeline.roleTenures
        let byMember = Dictionary(grouping: tenures, by: \.member)
        let local = tenures.filter { $0.collaborative == collaborative }
        let bySlot = Dictionary(grouping: local, by: RoleSlot.init(of:))
        let chains = bySlot.keys.sorted().map { slot in
            chain(
                of: slot, tenures: bySlot[slot] ?? [], byMember: byMember, asOf: view.asOf, longGapDays: longGapDays)
        }
        let holdings = Set(local.map(\.member)).sorted().flatMap { member in
            concurrentHoldings(of: member, tenures: byMember[member] ?? []).filter { holding in
                holding.slots.contains { $0.collaborative == collaborative }
            }
        }
        return SuccessionResult(
            collaborative: collaborative, longGapDays: longGapDays, chains: chains, concurrentHoldings: holdings)
    }

    private static func chain(
        of slot: RoleSlot, tenures: [RoleTenure], byMember: [Slug: [RoleTenure]], asOf: Day, longGapDays: Int
    ) -> SuccessionChain {
        let ordered = tenures.sorted { ($0.interval.start, $0.member) < ($1.interval.start, $1.member) }
        let items = ordered.indices.map { index in
            let tenure = ordered[index]
            let others = (byMember[tenure.member] ?? []).filter { other in
                RoleSlot(of: other) != slot && overlaps(other.interval, tenure.interval)
            }
            let wrongSuccession = tenure.succeeds.map { !previousHolders(of: index, in: ordered).contains($0) }
            return SuccessionTenure(
                member: tenure.member, appointment: tenure.appointment, succeeds: tenure.succeeds,
                previousHolder: index > 0 ? ordered[index - 1].member : nil,
                succeedsSomeoneElse: wrongSuccession ?? false, start: tenure.interval.start, end: tenure.interval.end,
                endedByLeaving: tenure.ending == .leftCollaborative,
                concurrentSlots: Set(others.map(RoleSlot.init(of:))).sorted())
        }
        let handovers = zip(ordered, ordered.dropFirst()).map { previous, next in
            handover(from: previous, to: next, longGapDays: longGapDays)
        }
        let isVacant = !ordered.contains { $0.isHeld(on: asOf) }
        var flags = Set<SuccessionFlag>()
        if isVacant { flags.insert(.vacant) }
        if items.contains(where: { $0.appointment == .selfAppointed }) { flags.insert(.selfAppointed) }
        if items.contains(where: { $0.appointment == .interim }) { flags.insert(.interim) }
        if handovers.contains(where: \.isWithoutOverlap) { flags.insert(.handoverWithoutOverlap) }
        if handovers.contains(where: \.isLongGap) { flags.insert(.longGap) }
        if items.contains(where: \.endedByLeaving) { flags.insert(.endedByLeaving) }
        if items.contains(where: \.succeedsSomeoneElse) { flags.insert(.succeedsSomeoneElse) }
        if items.contains(where: { !$0.concurrentSlots.isEmpty }) { flags.insert(.concurrentHolding) }
        return SuccessionChain(
            slot: slot, tenures: items, handovers: handovers, isVacant: isVacant,
            vacantSince: isVacant ? ordered.compactMap(\.interval.end).max() : nil,
            flags: SuccessionFlag.allCases.filter(flags.contains))
    }

    /// Whom the tenure at `index` may name in `succeeds`: the previous tenure's holder, anyone holding the
    /// slot the day before it started (co-holders, such as a locality's two anchors), and whoever left the
    /// slot last on or before that day.
    private static func previousHolders(of index: Int, in ordered: [RoleTenure]) -> Set<Slug> {
        let earlier = ordered[..<index]
        let start = ordered[index].interval.start
        var names = Set(earlier.last.map { [$0.member] } ?? [])
        names.formUnion(earlier.filter { $0.isHeld(on: start.adding(days: -1)) }.map(\.member))
        let ends = earlier.compactMap(\.interval.end).filter { $0 <= start }
        if let lastEnd = ends.max() {
            names.formUnion(earlier.filter { $0.interval.end == lastEnd }.map(\.member))
        }
        return names
    }

    private static func handover(from previous: RoleTenure, to next: RoleTenure, longGapDays: Int) -> Handover {
        let gap = previous.interval.end.map { ProgressReport.days(from: $0, to: next.interval.start) }
        let kind: Handover.Kind =
            switch gap {
            case .none: .overlap
            case .some(let days) where days < 0: .overlap
            case .some(0): .withoutOverlap
            case .some: .vacancy
            }
        return Handover(
            from: previous.member, to: next.member, previousEnd: previous.interval.end,
            nextStart: next.interval.start, gapDays: gap, kind: kind, isLongGap: (gap ?? 0) > longGapDays)
    }

    /// The last representable day, standing for "no end yet" in interval arithmetic.
    private static let endless = Day(daysSinceEpoch: .max)

    /// Whether two half-open intervals share a day (an empty interval shares none).
    private static func overlaps(_ first: DayInterval, _ second: DayInterval) -> Bool {
        func isEmpty(_ interval: DayInterval) -> Bool { interval.end.map { $0 <= interval.start } ?? false }
        guard !isEmpty(first), !isEmpty(second) else { return false }
        return first.start < (second.end ?? endless) && second.start < (first.end ?? endless)
    }

    /// The maximal periods in which `member` held two or more slots, from all their tenures.
    private static func concurrentHoldings(of member: Slug, tenures: [RoleTenure]) -> [ConcurrentHolding] {
        let boundaries = Set(tenures.flatMap { [$0.interval.start] + ($0.interval.end.map { [$0] } ?? []) }).sorted()
        var holdings: [ConcurrentHolding] = []
        for (index, day) in boundaries.enumerated() {
            let slots = Set(tenures.filter { $0.isHeld(on: day) }.map(RoleSlot.init(of:))).sorted()
            let until = index + 1 < boundaries.count ? boundaries[index + 1] : nil
            guard slots.count >= 2 else { continue }
            if let last = holdings.last, last.slots == slots, last.until == day {
                holdings[holdings.count - 1] = ConcurrentHolding(
                    member: member, slots: slots, from: last.from, until: until)
            } else {
                holdings.append(ConcurrentHolding(member: member, slots: slots, from: day, until: until))
            }
        }
        return holdings
    }
}
