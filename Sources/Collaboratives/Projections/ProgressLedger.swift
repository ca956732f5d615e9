/// What happened to each sub-group, folded once from a view's timeline: formation, status changes,
/// milestones, redefinitions and who ever joined it. Replay and progress both read it.
struct SubGroupLedger {
    /// One sub-group's history up to D, in timeline order.
    struct Record {
        let subgroup: Slug
        let collaborative: Slug
        let formedOn: Day
        var title: String
        var statusChanges: [StatusChange] = []
        var milestones: [MilestoneRecord] = []
        var redefinitions: [Redefinition] = []
        /// Everyone who ever joined it, by slug.
        var everJoined: Set<Slug> = []

        /// The status on D: the latest change's, `planned` from formation.
        var status: SubGroupStatus { statusChanges.last?.status ?? .planned }
        /// The day the status on D was set.
        var statusSince: Day { statusChanges.last?.day ?? formedOn }
    }

    private(set) var records: [Slug: Record] = [:]

    /// Folds the timeline (entries that replayed without a rule failure only).
    init(timeline: Timeline) {
        for (day, entry) in timeline.datedEntries() {
            switch entry.event {
            case .subGroupFormed(let formed):
                records[formed.subgroup] = Record(
                    subgroup: formed.subgroup, collaborative: formed.collaborative, formedOn: day, title: formed.title)
            case .subGroupStatusChanged(let change):
                records[change.subgroup]?.statusChanges.append(StatusChange(day: day, status: change.status))
            case .milestoneReached(let milestone):
                records[milestone.subgroup]?.milestones.append(
                    MilestoneRecord(day: day, kind: milestone.kind, title: milestone.title))
            case .subGroupRedefined(let redefined):
                records[redefined.subgroup]?.redefinitions.append(
                    Redefinition(day: day, title: redefined.title, aim: redefined.aim, reason: redefined.reason))
                if let title = redefined.title { records[redefined.subgroup]?.title = title }
            case .subGroupMemberJoined(let joined):
                records[joined.subgroup]?.everJoined.insert(joined.member)
            default:
                break
            }
        }
    }

    /// The sub-groups of a collaborative, by slug.
    func records(of collaborative: Slug) -> [Record] {
        records.values.filter { $0.collaborative == collaborative }.sorted { $0.subgroup < $1.subgroup }
    }
}

extension Timeline {
    /// The entries that replayed without a rule failure, with their Europe/London day, in timeline order.
    ///
    /// Projections read the same events the model holds, so that what they list (a status change, a
    /// join) always agrees with the intervals built from them.
    func datedEntries() -> [(day: Day, entry: TimelineEntry)] {
        entries.indices.compactMap { position in
            issues[position] == nil ? (localDays[position], entries[position]) : nil
        }
    }
}
