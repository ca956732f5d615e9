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

    /// A member's details from each of their joins and details changes that replayed, in timeline order.
    func detailsSnapshots(of member: Slug) -> [DetailsSnapshot] { detailsHistory[member] ?? [] }

    /// Replaces a member's details snapshots (a details change placed among them, see ``RuleAudit``).
    mutating func setDetailsSnapshots(_ snapshots: [DetailsSnapshot], of member: Slug) {
        detailsHistory[member] = snapshots
    }

    /// Whether two histories of one member's details make them programme staff on different days: the only
    /// way their details decide a rule (the coaching advisor, ``isAdvisor(_:on:)``).
    static func programmeStaffDiffers(_ first: [DetailsSnapshot], _ second: [DetailsSnapshot]) -> Bool {
        // Both are step functions of the day, changing only on a snapshot's day: compare them there.
        func isStaff(_ snapshots: [DetailsSnapshot], on day: Day) -> Bool {
            snapshots.last { $0.day <= day }?.details.sector == .programmeStaff
        }
        return Set(first.map(\.day) + second.map(\.day)).contains { isStaff(first, on: $0) != isStaff(second, on: $0) }
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
