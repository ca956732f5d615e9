public import EventLog
internal import Foundation

/// What the late entries and corrections recorded between K1 and K2 changed, for a date D: "what did
/// we know when we wrote the interim report, and what do we know now".
///
/// It lists the events recorded in (K1, K2] that are visible at D (new events dated on or before D and
/// not retracted by K2; retractions of events that were visible at K1), the differences in each
/// collaborative's state on D (members added, removed or changed; role holders; sub-group statuses), and
/// the headline figures at both K: active members, vacant roles, sub-groups by status, workshops and
/// their mean attendance rate.
///
/// ```swift
/// let input = try DiffReport.load(from: chronicle.reader, asOf: day, knownAt: interim, against: now)
/// let diff = DiffReport.compute(input)
/// diff.recorded.map(\.entry.event.typeName)
/// ```
public enum DiffReport {
    /// Reads the views at (D, K1) and (D, K2) and the events recorded between them.
    ///
    /// - Complexity: two passes over the events recorded by K2, plus one over those in (K1, K2].
    public static func load(from reader: HistoryReader, asOf: Day, knownAt: Timestamp, against: Timestamp) throws
        -> DiffInput
    {
        let before = try HistoryView.load(from: reader, asOf: asOf, knownAt: knownAt)
        let after = try HistoryView.load(from: reader, asOf: asOf, knownAt: against)
        var recorded: [LoggedEntry] = []
        if after.lastSeq > before.lastSeq {
            try reader.log.read { view in
                try view.scan(from: before.lastSeq + 1, direction: .forward) { event in
                    guard event.seq <= after.lastSeq else { return false }
                    recorded.append(
                        LoggedEntry(
                            seq: event.seq, recordedAt: event.recordedAt, entry: try reader.decoder.entry(of: event))
                    )
                    return true
                }
            }
        }
        return DiffInput(before: before, after: after, recorded: recorded)
    }

    /// Compares the two views of `input`, for every collaborative or only `collaborative`.
    ///
    /// - Complexity: O(E) for E events visible at K2, plus the replay of both views.
    public static func compute(_ input: DiffInput, collaborative: Slug? = nil) -> DiffResult {
        let slugs = Set(input.before.collaboratives + input.after.collaboratives).sorted().filter { slug in
            collaborative.map { $0 == slug } ?? true
        }
        let beforeLedger = SubGroupLedger(timeline: input.before.timeline)
        let afterLedger = SubGroupLedger(timeline: input.after.timeline)
        let collaboratives = slugs.map { slug in
            let before = state(input.before, slug, beforeLedger)
            let after = state(input.after, slug, afterLedger)
            return CollaborativeDiff(
                collaborative: slug, members: memberChanges(before?.members ?? [], after?.members ?? []),
                roleHolders: holderChanges(before?.roles ?? [], after?.roles ?? []),
                subgroupStatuses: statusDifferences(before?.subgroups ?? [], after?.subgroups ?? []),
                before: before.map { headline($0, input.before) }, after: after.map { headline($0, input.after) })
        }
        var recorded = recordedChanges(input)
        if let collaborative {
            recorded = recorded.filter { change in
                concerns(change.entry, collaborative, input.after.timeline)
                    || concerns(change.entry, collaborative, input.before.timeline)
            }
        }
        return DiffResult(asOf: input.after.asOf, recorded: recorded, collaboratives: collaboratives)
    }

    private static func state(_ view: HistoryView, _ slug: Slug, _ ledger: SubGroupLedger) -> ReplayResult? {
        guard view.timeline.collaborativeExists(slug, on: view.asOf) else { return nil }
        return ReplayReport.compute(view: view, collaborative: slug, ledger: ledger)
    }

    /// The events of (K1, K2] that change the view at D.
    static func recordedChanges(_ input: DiffInput) -> [RecordedChange] {
        let asOf = input.after.asOf
        var retractedNow = Set<UUID>()
        for logged in input.recorded {
            if case .eventRetracted(let retraction) = logged.entry.event { retractedNow.insert(retraction.event) }
        }
        let visibleBefore = Dictionary(
            input.before.timeline.entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return input.recorded.compactMap { logged -> RecordedChange? in
            if case .eventRetracted(let retraction) = logged.entry.event {
                guard let target = visibleBefore[retraction.event] else { return nil }
                return RecordedChange(
                    kind: .retracted, seq: logged.seq, recordedAt: logged.recordedAt, entry: target,
                    retractionID: logged.entry.id, reason: retraction.reason)
            }
            guard !retractedNow.contains(logged.entry.id), logged.entry.occurredAt.localDay <= asOf else { return nil }
            return RecordedChange(
                kind: .added, seq: logged.seq, recordedAt: logged.recordedAt, entry: logged.entry, retractionID: nil,
                reason: nil)
        }
    }

    /// Whether an event concerns a collaborative: it names it, names one of its sub-groups, or (for events
    /// naming only a member) names one of its members.
    private static func concerns(_ entry: TimelineEntry, _ collaborative: Slug, _ timeline: Timeline) -> Bool {
        let event = entry.event
        if event.collaborativesNamed.contains(collaborative) { return true }
        if let subgroup = event.subgroupNamed, timeline.collaborative(ofSubgroup: subgroup) == collaborative {
            return true
        }
        guard event.collaborativesNamed.isEmpty, event.subgroupNamed == nil else { return false }
        return event.membersNamed.contains { !timeline.membershipIntervals(of: $0, in: collaborative).isEmpty }
    }

    private static func memberChanges(_ before: [ActiveMember], _ after: [ActiveMember]) -> [MemberChange] {
        let old = Dictionary(before.map { ($0.member, $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(after.map { ($0.member, $0) }, uniquingKeysWith: { first, _ in first })
        return Set(old.keys).union(new.keys).sorted().compactMap { member in
            switch (old[member], new[member]) {
            case (nil, let added?): MemberChange(kind: .added, member: member, before: nil, after: added)
            case (let removed?, nil): MemberChange(kind: .removed, member: member, before: removed, after: nil)
            case (let was?, let now?) where was != now:
                MemberChange(kind: .changed, member: member, before: was, after: now)
            default: nil
            }
        }
    }

    private static func holderChanges(_ before: [RoleSlotHolders], _ after: [RoleSlotHolders]) -> [RoleHolderChange] {
        struct Key: Hashable, Comparable {
            let slot: RoleSlot
            let member: Slug
            static func < (lhs: Key, rhs: Key) -> Bool { (lhs.slot, lhs.member) < (rhs.slot, rhs.member) }
        }
        func holdings(_ slots: [RoleSlotHolders]) -> [Key: RoleHolder] {
            var result: [Key: RoleHolder] = [:]
            for slot in slots {
                for holder in slot.holders { result[Key(slot: slot.slot, member: holder.member)] = holder }
            }
            return result
        }
        let old = holdings(before)
        let new = holdings(after)
        return Set(old.keys).union(new.keys).sorted().compactMap { key in
            old[key] == new[key]
                ? nil : RoleHolderChange(slot: key.slot, member: key.member, before: old[key], after: new[key])
        }
    }

    private static func statusDifferences(
        _ before: [SubGroupSnapshot], _ after: [SubGroupSnapshot]
    ) -> [SubGroupStatusDifference] {
        let old = Dictionary(before.map { ($0.subgroup, $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(after.map { ($0.subgroup, $0) }, uniquingKeysWith: { first, _ in first })
        return Set(old.keys).union(new.keys).sorted().compactMap { subgroup in
            let was = old[subgroup]
            let now = new[subgroup]
            guard was?.status != now?.status || was?.statusSince != now?.statusSince else { return nil }
            return SubGroupStatusDifference(
                subgroup: subgroup, before: was?.status, beforeSince: was?.statusSince, after: now?.status,
                afterSince: now?.statusSince)
        }
    }

    private static func headline(_ state: ReplayResult, _ view: HistoryView) -> HeadlineFigures {
        let toDate = Period(label: "to date", start: state.formedOn, end: view.asOf.adding(days: 1))
        let attendance = AttendanceReport.compute(
            view: view, collaborative: state.collaborative, periods: [toDate], bySector: false)
        let figures = attendance.periods.first?.figures
        return HeadlineFigures(
            activeMembers: state.counts.members, roleSlots: state.counts.roleSlots,
            vacantRoles: state.counts.vacantRoleSlots, subgroupsByStatus: state.counts.subgroupsByStatus,
            workshops: figures?.workshops ?? 0, meanAttendanceRate: figures?.meanRate)
    }
}
