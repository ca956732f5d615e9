internal import Foundation

/// The workshop slugs and survey waves that more than one entry on ``RuleAudit``'s timeline uses, and how
/// many entries beyond the first use each.
///
/// Which of two uses of a name breaks its rule depends on their order on the timeline, which only a rebuild
/// knows when one of them is late or retracted: so the walk must know, for an event placed late or a
/// retraction, whether its name is used by another entry. Whether a name is used at all is already in the
/// replay's state (the first event that used each workshop slug and survey wave, which the rules' messages
/// name); only the names used more than once, rare in a valid log, are counted here. Until session 15 the walk
/// counted the uses of every name in a `[String: Int]` of tag names beside the replay's state: a second
/// dictionary entry and key string per workshop held.
struct RepeatedRegistrations {
    /// A workshop slug or a survey wave of one collaborative: what the rules `unique-slug` (for workshops) and
    /// `survey-wave-once` register.
    enum Name: Hashable {
        case workshop(Slug)
        case surveyWave(Timeline.SurveyWaveKey)

        /// The name an event registers, if any.
        init?(of event: DomainEvent) {
            switch event {
            case .workshopHeld(let held): self = .workshop(held.workshop)
            case .surveyWaveClosed(let closed):
                self = .surveyWave(Timeline.SurveyWaveKey(collaborative: closed.collaborative, wave: closed.wave))
            default: return nil
            }
        }

        /// Whether an entry on the timeline uses the name: the replay keeps the first use of each.
        func isUsed(in state: Timeline.ReplayState) -> Bool {
            firstUse(in: state) != nil
        }

        /// The id of the first entry on the timeline that uses the name.
        func firstUse(in state: Timeline.ReplayState) -> UUID? {
            switch self {
            case .workshop(let slug): state.workshops[slug]
            case .surveyWave(let key): state.surveyWaves[key]?.id
            }
        }
    }

    /// For each name used by more than one entry, the number of entries beyond the first.
    private var extraUses: [Name: Int] = [:]

    /// No name used twice.
    init() {}

    /// The repeated names of a timeline just replayed (`entries` in timeline order, `state` its replay's).
    init(entries: [TimelineEntry], state: Timeline.ReplayState) {
        for entry in entries {
            guard let name = Name(of: entry.event), name.firstUse(in: state) != entry.id else { continue }
            extraUses[name, default: 0] += 1
        }
    }

    /// Counts an entry using `name` that is about to be replayed onto a timeline in `state`.
    mutating func add(_ name: Name, state: Timeline.ReplayState) {
        if name.isUsed(in: state) { extraUses[name, default: 0] += 1 }
    }

    /// Whether another entry than the one being taken off uses `name`: then the rule's verdicts may move to
    /// another of its uses, which only a rebuild can tell. (When none does, the only use is taken off, and
    /// nothing is left to count.)
    func isRepeated(_ name: Name) -> Bool {
        extraUses[name] != nil
    }
}
