internal import Collaboratives

extension HistoryGenerator {
    /// The statuses a sub-group may move to from each status, with how likely each is.
    static let statusTransitions: [SubGroupStatus: [(SubGroupStatus, Double)]] = [
        .planned: [(.inProgress, 8), (.paused, 1), (.closed, 0.5)],
        .inProgress: [(.delivered, 4), (.paused, 1.5), (.stalled, 1.5), (.extended, 1)],
        .paused: [(.inProgress, 3), (.closed, 1)],
        .stalled: [(.inProgress, 2), (.closed, 1.5)],
        .delivered: [(.embedded, 3), (.extended, 1.5), (.closed, 1)],
        .extended: [(.delivered, 2), (.inProgress, 1)],
        .embedded: [(.closed, 1), (.extended, 0.5)],
    ]

    mutating func formSubgroup(in index: Int, on day: Day) -> Bool {
        collaboratives[index].subgroupCounter += 1
        let collaborative = collaboratives[index]
        let slug = Slug(trusted: "\(collaborative.slug.rawValue)-sg-\(collaborative.subgroupCounter)")
        emit(
            .subGroupFormed(
                SubGroupFormed(
                    collaborative: collaborative.slug, subgroup: slug,
                    title: random.element(of: GeneratorVocabulary.subgroupTitles) ?? "Working group",
                    aim: random.element(of: GeneratorVocabulary.subgroupAims) ?? "To be agreed")),
            on: day, by: collaborative.recorder)
        collaboratives[index].subgroups.append(
            GeneratedCollaborative.Subgroup(slug: slug, status: .planned, members: [], milestones: 0))
        return true
    }

    mutating func joinSubgroup(in index: Int, on day: Day) -> Bool {
        let collaborative = collaboratives[index]
        guard !collaborative.members.isEmpty, !collaborative.subgroups.isEmpty else { return false }
        let subgroupIndex = random.below(collaborative.subgroups.count)
        let subgroup = collaborative.subgroups[subgroupIndex]
        guard subgroup.members.count < 15 else { return false }
        for _ in 0..<4 {
            let memberIndex = random.below(collaborative.members.count)
            let member = collaborative.members[memberIndex].slug
            guard !subgroup.members.contains(member) else { continue }
            emit(
                .subGroupMemberJoined(SubGroupMemberJoined(subgroup: subgroup.slug, member: member)), on: day,
                by: collaborative.recorder)
            collaboratives[index].subgroups[subgroupIndex].members.append(member)
            collaboratives[index].markActive(memberIndex, on: day)
            return true
        }
        return false
    }

    mutating func leaveSubgroup(in index: Int, on day: Day) -> Bool {
        let collaborative = collaboratives[index]
        let candidates = collaborative.subgroups.indices.filter { !collaborative.subgroups[$0].members.isEmpty }
        guard let subgroupIndex = random.element(of: candidates) else { return false }
        let subgroup = collaborative.subgroups[subgroupIndex]
        let position = random.below(subgroup.members.count)
        let reason = random.chance(0.4) ? random.element(of: ["capacity", "moved role", "work completed"]) : nil
        emit(
            .subGroupMemberLeft(
                SubGroupMemberLeft(
                    subgroup: subgroup.slug, member: subgroup.members[position], reason: reason.map(PersonalText.plain))
            ),
            on: day, by: collaborative.recorder)
        collaboratives[index].subgroups[subgroupIndex].members.remove(at: position)
        return true
    }

    /// A sub-group moves on (or stalls); a closed one has its lead's role ended and is forgotten.
    mutating func changeStatus(in index: Int, on day: Day) -> Bool {
        let collaborative = collaboratives[index]
        guard !collaborative.subgroups.isEmpty else { return false }
        let subgroupIndex = random.below(collaborative.subgroups.count)
        let subgroup = collaborative.subgroups[subgroupIndex]
        guard let status = random.weighted(Self.statusTransitions[subgroup.status] ?? []) else { return false }
        let note = random.chance(0.25) ? random.element(of: GeneratorVocabulary.statusNotes) : nil
        let change = DomainEvent.subGroupStatusChanged(
            SubGroupStatusChanged(subgroup: subgroup.slug, status: status, note: note))
        guard status == .closed else {
            emit(change, on: day, by: collaborative.recorder, timing: .mayBeLate)
            collaboratives[index].subgroups[subgroupIndex].status = status
            return true
        }
        guard remaining >= Self.largestAction else { return false }
        emit(change, on: day, by: collaborative.recorder)
        for holding in collaborative.holdings where holding.subgroup == subgroup.slug {
            emit(
                .roleEnded(
                    RoleEnded(
                        collaborative: collaborative.slug, role: holding.role, subgroup: subgroup.slug,
                        member: holding.member, reason: "sub-group closed")),
                on: day, by: collaborative.recorder)
        }
        collaboratives[index].holdings.removeAll { $0.subgroup == subgroup.slug }
        collaboratives[index].previousHolders.removeAll { $0.subgroup == subgroup.slug }
        collaboratives[index].subgroups.remove(at: subgroupIndex)
        return true
    }

    mutating func redefineSubgroup(in index: Int, on day: Day) -> Bool {
        let collaborative = collaboratives[index]
        guard let subgroup = random.element(of: collaborative.subgroups) else { return false }
        emit(
            .subGroupRedefined(
                SubGroupRedefined(
                    subgroup: subgroup.slug,
                    title: random.chance(0.5) ? random.element(of: GeneratorVocabulary.subgroupTitles) : nil,
                    aim: random.element(of: GeneratorVocabulary.subgroupAims) ?? "To be agreed",
                    reason: random.element(of: GeneratorVocabulary.redefinitionReasons) ?? "Review")),
            on: day, by: collaborative.recorder, timing: .mayBeLate)
        return true
    }

    mutating func reachMilestone(in index: Int, on day: Day) -> Bool {
        let collaborative = collaboratives[index]
        guard !collaborative.subgroups.isEmpty else { return false }
        let subgroupIndex = random.below(collaborative.subgroups.count)
        let subgroup = collaborative.subgroups[subgroupIndex]
        let kind: MilestoneKind =
            subgroup.milestones == 0
            ? (random.chance(0.6) ? .planAgreed : .termsOfReference)
            : (random.element(of: MilestoneKind.allCases) ?? .other)
        let title = random.element(of: GeneratorVocabulary.milestoneTitles[kind] ?? []) ?? "Milestone reached"
        let note = random.chance(0.2) ? "Reported at the termly review" : nil
        emit(
            .milestoneReached(MilestoneReached(subgroup: subgroup.slug, kind: kind, title: title, note: note)),
            on: day, by: collaborative.recorder, timing: .mayBeLate)
        collaboratives[index].subgroups[subgroupIndex].milestones += 1
        return true
    }

    /// A role is given to an active member who does not hold it (and holds fewer than two roles): an anchor
    /// when there is none, an advisor, a sub-group lead for a sub-group without one, a PCF representative.
    mutating func assignRole(in index: Int, on day: Day) -> Bool {
        let collaborative = collaboratives[index]
        guard !collaborative.members.isEmpty else { return false }
        let anchors = collaborative.holderCount(.anchor)
        let advisors = collaborative.holderCount(.advisor)
        let parentForumMembers = collaborative.members.indices.filter {
            collaborative.members[$0].sector == .parentCarerForum
        }
        let leaderless = collaborative.subgroups.filter { collaborative.holderCount(.subgroupLead, $0.slug) == 0 }
        let choices: [((Role, GeneratedCollaborative.Subgroup?), Double)] = [
            ((.anchor, nil), anchors == 0 ? 4 : (anchors == 1 ? 0.4 : 0)),
            ((.advisor, nil), advisors == 0 ? 1.5 : (advisors < 3 ? 0.4 : 0)),
            (
                (.pcfRepresentative, nil),
                collaborative.holderCount(.pcfRepresentative) == 0 && !parentForumMembers.isEmpty ? 2 : 0
            ),
            ((.subgroupLead, random.element(of: leaderless)), leaderless.isEmpty ? 0 : 2),
        ]
        guard let (role, subgroup) = random.weighted(choices) else { return false }
        let candidates: [Int]
        switch role {
        case .pcfRepresentative: candidates = parentForumMembers
        case .anchor: candidates = collaborative.members.indices.filter { !collaborative.members[$0].isStaff }
        case .subgroupLead:
            let inSubgroup = collaborative.members.indices.filter {
                subgroup?.members.contains(collaborative.members[$0].slug) ?? false
            }
            candidates = inSubgroup.isEmpty ? Array(collaborative.members.indices) : inSubgroup
        case .advisor: candidates = Array(collaborative.members.indices)
        }
        guard let memberIndex = random.element(of: candidates) else { return false }
        let member = collaborative.members[memberIndex].slug
        let slot = subgroup?.slug
        guard !collaborative.holds(member, role, slot), collaborative.holdings.filter({ $0.member == member }).count < 2
        else { return false }
        let previous = collaborative.previousHolders.first { $0.isSlot(role, slot) }?.member
        let appointment =
            random.weighted([(Appointment.formal, 70.0), (.interim, 18), (.selfAppointed, 12)]) ?? .formal
        emit(
            .roleAssigned(
                RoleAssigned(
                    collaborative: collaborative.slug, role: role, subgroup: slot, member: member,
                    appointment: appointment,
                    succeeds: previous != member && random.chance(0.75) ? previous : nil)),
            on: day, by: collaborative.recorder)
        collaboratives[index].holdings.append(
            GeneratedCollaborative.Holding(role: role, subgroup: slot, member: member))
        collaboratives[index].markActive(memberIndex, on: day)
        return true
    }

    /// A holder steps down, unless an event named them today: a tenure ended on a day is not held on it, so
    /// an advisor who coached today cannot stop being one today.
    mutating func endRole(in index: Int, on day: Day) -> Bool {
        let collaborative = collaboratives[index]
        guard !collaborative.holdings.isEmpty else { return false }
        let position = random.below(collaborative.holdings.count)
        let holding = collaborative.holdings[position]
        guard let member = collaborative.memberIndex(holding.member), collaborative.members[member].lastActive < day
        else { return false }
        emit(
            .roleEnded(
                RoleEnded(
                    collaborative: collaborative.slug, role: holding.role, subgroup: holding.subgroup,
                    member: holding.member,
                    reason: random.chance(0.6)
                        ? random.element(of: GeneratorVocabulary.roleEndReasons).map(PersonalText.plain) : nil)),
            on: day, by: collaborative.recorder)
        collaboratives[index].holdings.remove(at: position)
        collaboratives[index].remember(previous: holding)
        return true
    }
}
