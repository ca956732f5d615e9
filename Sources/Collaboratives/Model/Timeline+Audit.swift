import Foundation

extension Timeline {
    /// The model without its entries: what ``RuleAudit`` keeps between events, so that its memory follows
    /// the people and relationships of the log, not its length. Only the queries stay usable.
    mutating func forgetEntries() {
        entries = []
        localDays = []
        inputIndices = []
        issues = [:]
    }

    /// Replays `entry`, which orders after every entry already replayed (or is inert on the timeline, see
    /// ``DomainEvent/isInertOnTimeline``), onto the model, and returns the first rule it breaks as
    /// ``RuleCheck/validate(stored:batch:today:retractedIDs:memberScope:)`` judges it: its references on its
    /// day in the model that includes it, then its place in the history. A breaking entry leaves the model
    /// unchanged, as in ``init(entries:)``.
    mutating func replayAtEnd(_ entry: TimelineEntry, on day: Day, state: inout ReplayState) -> RuleFailure? {
        let issue = replay(entry, on: day, state: &state)
        return referenceFailure(of: entry, on: day) ?? issue
    }

    /// Takes back what an inert entry (``DomainEvent/isInertOnTimeline``) registered when it was replayed:
    /// its workshop slug or survey wave, when the first use of them was this entry's.
    static func forgetInert(_ entry: TimelineEntry, state: inout ReplayState) {
        switch entry.event {
        case .workshopHeld(let held) where state.workshops[held.workshop] == entry.id:
            state.workshops[held.workshop] = nil
        case .surveyWaveClosed(let closed):
            let key = SurveyWaveKey(collaborative: closed.collaborative, wave: closed.wave)
            if state.surveyWaves[key]?.id == entry.id { state.surveyWaves[key] = nil }
        default:
            break
        }
    }
}

extension DomainEvent {
    /// Whether the event changes no answer of the timeline's queries (who is active where, details,
    /// tenures, formations, sub-group memberships): only the registries of workshop slugs and survey waves.
    /// Such an event can be judged, added or taken back wherever it falls on the timeline without
    /// replaying the entries after it, which is why the generator may write these late.
    var isInertOnTimeline: Bool {
        switch self {
        case .workshopHeld, .coachingSessionHeld, .subGroupRedefined, .subGroupStatusChanged, .milestoneReached,
            .surveyWaveClosed, .eventRetracted:
            true
        case .collaborativeFormed, .subGroupFormed, .memberJoined, .memberLeft, .memberDetailsChanged,
            .personalDataErased, .roleAssigned, .roleEnded, .subGroupMemberJoined, .subGroupMemberLeft:
            false
        }
    }
}
