import Foundation

extension Timeline {
    /// What the replay tracks besides the model itself.
    struct ReplayState {
        /// Open tenures by relationship, to their index in `roleTenures`.
        var openTenures: [TenureKey: Int] = [:]
        /// The open tenures of each membership, ended when the member leaves.
        var tenuresOfMembership: [MembershipKey: Set<TenureKey>] = [:]
        /// Tenures ended by their holder leaving, which a `RoleEnded` dated that day may still end.
        var endedByLeaving: [TenureKey: Int] = [:]
        /// The first event that used each workshop slug.
        var workshops = SlugRegistry()
        /// The first event that closed each survey wave, by collaborative and wave.
        var surveyWaves: [SurveyWaveKey: TimelineEntry] = [:]
    }

    /// A survey wave of one collaborative.
    struct SurveyWaveKey: Hashable {
        let collaborative: Slug
        let wave: String
    }

    /// Applies one entry to the model, in timeline order, returning the rule it breaks
    /// given what came before it (then it leaves the model unchanged).
    mutating func replay(_ entry: TimelineEntry, on day: Day, state: inout ReplayState) -> RuleFailure? {
        switch entry.event {
        case .collaborativeFormed(let event):
            let slug = event.collaborative
            return Self.form(&collaboratives, slug, collaborative: nil, kind: "collaborative", id: entry.id, on: day)
        case .subGroupFormed(let event):
            let owner = event.collaborative
            return Self.form(&subgroups, event.subgroup, collaborative: owner, kind: "sub-group", id: entry.id, on: day)
        case .memberJoined(let event):
            return join(event, entry: entry, on: day)
        case .memberLeft(let event):
            return leave(event, on: day, state: &state)
        case .memberDetailsChanged(let event):
            guard let previous = detailsHistory[event.member]?.last?.details else {
                return RuleFailure(
                    .memberExists, "member \(event.member) has not joined any collaborative by \(day)",
                    suggestion: unknownMemberSuggestion(event.member))
            }
            let details = Self.details(after: previous, applying: entry.event) ?? previous
            detailsHistory[event.member, default: []].append(DetailsSnapshot(entry, on: day, details: details))
        case .personalDataErased(let event):
            guard detailsHistory[event.member] != nil else {
                return RuleFailure(
                    .memberExists, "member \(event.member) has not joined any collaborative by \(day)",
                    suggestion: unknownMemberSuggestion(event.member))
            }
            guard erasedMembers.insert(event.member).inserted else {
                return RuleFailure(.erasureFinal, "the personal data of member \(event.member) is already erased")
            }
        case .roleAssigned(let event):
            return assign(event, id: entry.id, on: day, state: &state)
        case .roleEnded(let event):
            return endRole(event, on: day, state: &state)
        case .subGroupMemberJoined(let event):
            var key = MembershipKey(member: event.member, group: event.subgroup)
            guard let list = subgroupMemberships[key] else {
                key = MembershipKey(member: storedMember(event.member), group: storedSubgroup(event.subgroup))
                subgroupMemberships[key, default: IntervalList()].open(at: day)
                return nil
            }
            if let since = list.openSince {
                return RuleFailure(
                    .subgroupJoinWhenNotMember,
                    "member \(event.member) is already in sub-group \(event.subgroup) (since \(since))")
            }
            subgroupMemberships[key]?.open(at: day)
        case .subGroupMemberLeft(let event):
            let key = MembershipKey(member: event.member, group: event.subgroup)
            guard subgroupMemberships[key]?.openSince != nil else {
                return RuleFailure(
                    .subgroupLeaveWhenMember, "member \(event.member) is not in sub-group \(event.subgroup) on \(day)")
            }
            subgroupMemberships[key]?.close(at: day)
        case .workshopHeld(let event):
            if let first = state.workshops[event.workshop] {
                return RuleFailure(
                    .uniqueSlug, "workshop \(event.workshop) is already recorded by event \(first.lowercased)")
            }
            state.workshops[event.workshop] = entry.id
        case .surveyWaveClosed(let event):
            let key = SurveyWaveKey(collaborative: event.collaborative, wave: event.wave)
            guard let first = state.surveyWaves[key] else {
                state.surveyWaves[key] = entry
                return nil
            }
            // Two stored closings of one wave predate this rule: they stay valid, so that the store can
            // still be appended to; the rule judges only a pair that includes a new event.
            guard first.seq == nil || entry.seq == nil else { return nil }
            return RuleFailure(
                .surveyWaveOnce,
                "survey wave \(event.wave) of \(event.collaborative) is already closed by event \(first.id.lowercased) "
                    + "(on \(first.occurredAt.canonicalText))")
        case .subGroupRedefined, .subGroupStatusChanged, .milestoneReached, .coachingSessionHeld, .eventRetracted:
            break
        }
        return nil
    }

    /// A member's details after a join or a details change, given those before it (`nil` before their first
    /// join): a field the event leaves out keeps its value. `nil` for a change with nothing before it.
    static func details(after previous: MemberDetails?, applying event: DomainEvent) -> MemberDetails? {
        switch event {
        case .memberJoined(let joined):
            MemberDetails(
                name: joined.name ?? previous?.name, sector: joined.sector,
                organisation: joined.organisation ?? previous?.organisation)
        case .memberDetailsChanged(let change):
            previous.map { previous in
                MemberDetails(
                    name: change.name ?? previous.name, sector: change.sector ?? previous.sector,
                    organisation: change.organisation ?? previous.organisation)
            }
        default:
            previous
        }
    }

    private static func form(
        _ registry: inout [Slug: Formation], _ slug: Slug, collaborative: Slug?, kind: String, id: UUID, on day: Day
    ) -> RuleFailure? {
        if let existing = registry[slug] {
            return RuleFailure(
                .uniqueSlug,
                "\(kind) \(slug) already exists (formed on \(existing.day) by event \(existing.entryID.lowercased))")
        }
        registry[slug] = Formation(day: day, entryID: id, collaborative: collaborative)
        return nil
    }

    private mutating func join(_ event: MemberJoined, entry: TimelineEntry, on day: Day) -> RuleFailure? {
        let key = MembershipKey(member: event.member, group: event.collaborative)
        if let since = memberships[key]?.openSince {
            return RuleFailure(
                .joinWhenNotActive,
                "member \(event.member) is already active in \(event.collaborative) (since \(since))")
        }
        if memberships[key] == nil {
            memberships[MembershipKey(member: storedMember(event.member), group: event.collaborative)] = IntervalList()
        }
        memberships[key]?.open(at: day)
        let previous = detailsHistory[event.member]?.last?.details
        let details =
            Self.details(after: previous, applying: .memberJoined(event))
            ?? MemberDetails(
                name: event.name, sector: event.sector, organisation: event.organisation)
        detailsHistory[event.member, default: []].append(DetailsSnapshot(entry, on: day, details: details))
        return nil
    }

    private mutating func leave(_ event: MemberLeft, on day: Day, state: inout ReplayState) -> RuleFailure? {
        let key = MembershipKey(member: event.member, group: event.collaborative)
        guard let list = memberships[key], list.openSince != nil else {
            let context = memberships[key]?.lastEnd.map { "they left on \($0)" } ?? "they have not joined it by then"
            return RuleFailure(
                .leaveWhenActive,
                "member \(event.member) is not active in \(event.collaborative) on \(day) (\(context))",
                suggestion: unknownMemberSuggestion(event.member))
        }
        memberships[key]?.close(at: day)
        for tenureKey in state.tenuresOfMembership.removeValue(forKey: key) ?? [] {
            guard let index = state.openTenures.removeValue(forKey: tenureKey) else { continue }
            roleTenures[index].interval = DayInterval(start: roleTenures[index].interval.start, end: day)
            roleTenures[index].ending = .leftCollaborative
            state.endedByLeaving[tenureKey] = index
        }
        return nil
    }

    private mutating func assign(
        _ event: RoleAssigned, id: UUID, on day: Day, state: inout ReplayState
    ) -> RuleFailure? {
        let key = TenureKey(
            collaborative: event.collaborative, role: event.role, subgroup: event.subgroup, member: event.member)
        if let index = state.openTenures[key] {
            return RuleFailure(
                .roleNotReassigned,
                "member \(event.member) already holds \(key.roleDescription) in \(event.collaborative) "
                    + "(since \(roleTenures[index].interval.start))")
        }
        let tenure = RoleTenure(
            collaborative: event.collaborative, role: event.role, subgroup: event.subgroup.map(storedSubgroup),
            member: storedMember(event.member), appointment: event.appointment,
            succeeds: event.succeeds.map(storedMember), assignedBy: id, interval: DayInterval(start: day, end: nil),
            ending: nil)
        let storedKey = tenure.key
        roleTenures.append(tenure)
        let index = roleTenures.count - 1
        state.openTenures[storedKey] = index
        state.endedByLeaving[key] = nil
        state.tenuresOfMembership[MembershipKey(member: storedKey.member, group: event.collaborative), default: []]
            .insert(storedKey)
        if event.role == .advisor { advisorTenures[storedKey.member, default: []].append(index) }
        return nil
    }

    private mutating func endRole(_ event: RoleEnded, on day: Day, state: inout ReplayState) -> RuleFailure? {
        let key = TenureKey(
            collaborative: event.collaborative, role: event.role, subgroup: event.subgroup, member: event.member)
        if let index = state.openTenures.removeValue(forKey: key) {
            roleTenures[index].interval = DayInterval(start: roleTenures[index].interval.start, end: day)
            roleTenures[index].ending = .roleEnded
            state.tenuresOfMembership[MembershipKey(member: event.member, group: event.collaborative)]?.remove(key)
            return nil
        }
        // The explicit end of a tenure that leaving the collaborative ended the same day.
        if let index = state.endedByLeaving[key], roleTenures[index].interval.end == day {
            roleTenures[index].ending = .roleEnded
            state.endedByLeaving[key] = nil
            return nil
        }
        let context =
            state.endedByLeaving[key].flatMap { roleTenures[$0].interval.end }
            .map { "their tenure ended on \($0), when they left \(event.collaborative)" }
            ?? "they are not its current holder"
        return RuleFailure(
            .roleEndedByHolder,
            "member \(event.member) does not hold \(key.roleDescription) in \(event.collaborative) on \(day) "
                + "(\(context))")
    }
}

extension Timeline {
    /// `member` as the model already holds it (the key of their details), else `member`: a slug longer than 15
    /// bytes is a heap string, one per decoded event, so that the relationships the model keeps share their
    /// member's (and sub-group's) one string instead of holding each its own (about 45 MB at 10M events).
    func storedMember(_ member: Slug) -> Slug {
        detailsHistory.index(forKey: member).map { detailsHistory.keys[$0] } ?? member
    }

    /// `subgroup` as the model already holds it (the key of its formation), else `subgroup`.
    func storedSubgroup(_ subgroup: Slug) -> Slug {
        subgroups.index(forKey: subgroup).map { subgroups.keys[$0] } ?? subgroup
    }
}
