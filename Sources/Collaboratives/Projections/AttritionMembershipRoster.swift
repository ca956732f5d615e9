/// The members of one collaborative with their membership intervals, as the attendance and
/// attrition reports read them.
///
/// Built once per report from the view's timeline; every question is linear in the number of
/// members (and their few intervals), so a report over W workshops or P periods costs O((W + P) · M).
struct MembershipRoster {
    /// One member's intervals `[joined, left)` in the collaborative.
    struct Membership {
        let member: Slug
        let intervals: [DayInterval]

        /// Whether an interval contains `day`.
        func isActive(on day: Day) -> Bool {
            intervals.contains { $0.contains(day) }
        }

        /// The last day of `[first, last]` on which the member is active, if any.
        func lastActiveDay(from first: Day, through last: Day) -> Day? {
            var latest: Day?
            for interval in intervals where interval.start <= last {
                let end = min(interval.end.map { $0.adding(days: -1) } ?? last, last)
                guard end >= first, end >= interval.start else { continue }
                latest = max(latest ?? end, end)
            }
            return latest
        }

        /// Whether the member is active on at least one day of `[first, last]`.
        func isActive(from first: Day, through last: Day) -> Bool {
            lastActiveDay(from: first, through: last) != nil
        }
    }

    let collaborative: Slug
    let timeline: Timeline
    /// Everyone who ever joined the collaborative (in the view), in slug order.
    let memberships: [Membership]

    init(timeline: Timeline, collaborative: Slug) {
        self.collaborative = collaborative
        self.timeline = timeline
        self.memberships = timeline.memberships
            .compactMap { key, list in
                key.group == collaborative ? Membership(member: key.member, intervals: list.intervals) : nil
            }
            .sorted { $0.member < $1.member }
    }

    /// The members active on `day`, in slug order.
    func active(on day: Day) -> [Membership] {
        memberships.filter { $0.isActive(on: day) }
    }

    /// A member's sector on `day` (`other` only if they had no details yet, which an active member always has).
    func sector(of member: Slug, on day: Day) -> Sector {
        timeline.details(of: member, on: day)?.sector ?? .other
    }

    /// How many members of each sector are active on `day`, in catalog order of sectors.
    func sectorCounts(on day: Day) -> [SectorPresence] {
        var counts: [Sector: Int] = [:]
        for membership in active(on: day) {
            counts[sector(of: membership.member, on: day), default: 0] += 1
        }
        return Sector.allCases.compactMap { sector in counts[sector].map { SectorPresence(sector: sector, members: $0) }
        }
    }
}

extension Timeline {
    /// The entries that replayed without a rule failure, with their Europe/London day, in timeline order.
    ///
    /// The reports read the same events the model holds, so that counts of events (joins, leaves)
    /// always agree with the intervals built from them.
    func reportableEntries() -> [(day: Day, entry: TimelineEntry)] {
        entries.indices.compactMap { position in
            issues[position] == nil ? (localDays[position], entries[position]) : nil
        }
    }
}

extension Period {
    /// The part of the period a view at D can report: `[start, min(end, D + 1))`, and whether that is
    /// less than the whole period (cut at D here or, ``isCut``, at the range asked for); `nil` when the
    /// period starts after D.
    func reported(asOf: Day) -> (period: Period, partial: Bool)? {
        guard start <= asOf else { return nil }
        let limit = asOf.adding(days: 1)
        guard end > limit else { return (self, isCut) }
        return (Period(label: label, start: start, end: limit), true)
    }
}
