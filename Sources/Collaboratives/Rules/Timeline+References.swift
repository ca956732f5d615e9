extension Timeline {
    /// The first rule an entry breaks against the whole model: references that do not
    /// exist on its day, people not active where they are said to be.
    ///
    /// Judged with day semantics on the complete timeline, so an event recorded later
    /// but dated earlier (a `MemberLeft` before a workshop) counts here.
    func referenceFailure(of entry: TimelineEntry, on day: Day) -> RuleFailure? {
        switch entry.event {
        case .collaborativeFormed, .eventRetracted, .memberDetailsChanged, .personalDataErased:
            return nil
        case .memberJoined(let event):
            return collaborativeFailure(event.collaborative, on: day)
        case .memberLeft(let event):
            return collaborativeFailure(event.collaborative, on: day)
        case .surveyWaveClosed(let event):
            return collaborativeFailure(event.collaborative, on: day)
        case .subGroupFormed(let event):
            return collaborativeFailure(event.collaborative, on: day)
        case .roleAssigned(let event):
            return collaborativeFailure(event.collaborative, on: day)
                ?? subgroupFailure(event.subgroup, of: event.collaborative, on: day)
                ?? activeFailure(event.member, as: "role holder", in: [event.collaborative], on: day)
                ?? event.succeeds.flatMap { memberFailure($0, as: "succeeded member", on: day) }
        case .roleEnded(let event):
            return collaborativeFailure(event.collaborative, on: day)
                ?? subgroupFailure(event.subgroup, of: event.collaborative, on: day)
        case .subGroupMemberJoined(let event):
            if let failure = subgroupFailure(event.subgroup, of: nil, on: day) { return failure }
            guard let collaborative = collaborative(ofSubgroup: event.subgroup) else { return nil }
            return activeFailure(event.member, as: "member", in: [collaborative], on: day)
        case .subGroupMemberLeft(let event):
            return subgroupFailure(event.subgroup, of: nil, on: day)
        case .subGroupRedefined(let event):
            return subgroupFailure(event.subgroup, of: nil, on: day)
        case .subGroupStatusChanged(let event):
            return subgroupFailure(event.subgroup, of: nil, on: day)
        case .milestoneReached(let event):
            return subgroupFailure(event.subgroup, of: nil, on: day)
        case .workshopHeld(let event):
            for collaborative in event.collaboratives {
                if let failure = collaborativeFailure(collaborative, on: day) { return failure }
            }
            for attendee in event.attendees {
                if let failure = activeFailure(attendee, as: "attendee", in: event.collaboratives, on: day) {
                    return failure
                }
            }
            return nil
        case .coachingSessionHeld(let event):
            if let failure = collaborativeFailure(event.collaborative, on: day)
                ?? subgroupFailure(event.subgroup, of: event.collaborative, on: day)
            {
                return failure
            }
            for attendee in event.attendees {
                if let failure = activeFailure(attendee, as: "attendee", in: [event.collaborative], on: day) {
                    return failure
                }
            }
            guard !judges(event.advisor) || isAdvisor(event.advisor, on: day) else {
                return RuleFailure(
                    .coachingAdvisor,
                    "advisor \(event.advisor) is neither programme staff nor holds an advisor role on \(day)")
            }
            return nil
        }
    }

    private func collaborativeFailure(_ collaborative: Slug, on day: Day) -> RuleFailure? {
        guard let formed = formationDay(ofCollaborative: collaborative) else {
            return RuleFailure(
                .collaborativeExists, "collaborative \(collaborative) does not exist",
                suggestion: collaborative.nearest(among: collaboratives.keys))
        }
        guard formed <= day else {
            return RuleFailure(
                .collaborativeExists, "collaborative \(collaborative) does not exist yet on \(day) (formed \(formed))")
        }
        return nil
    }

    /// Checks that a sub-group exists on `day` and, when `collaborative` is given, belongs to it.
    private func subgroupFailure(_ subgroup: Slug?, of collaborative: Slug?, on day: Day) -> RuleFailure? {
        guard let subgroup else { return nil }
        guard let formed = formationDay(ofSubgroup: subgroup) else {
            return RuleFailure(
                .subgroupExists, "sub-group \(subgroup) does not exist",
                suggestion: subgroup.nearest(among: subgroups.keys))
        }
        guard formed <= day else {
            return RuleFailure(.subgroupExists, "sub-group \(subgroup) does not exist yet on \(day) (formed \(formed))")
        }
        if let collaborative, let owner = self.collaborative(ofSubgroup: subgroup), owner != collaborative {
            return RuleFailure(
                .subgroupOfCollaborative, "sub-group \(subgroup) belongs to \(owner), not to \(collaborative)")
        }
        return nil
    }

    private func memberFailure(_ member: Slug, as role: String, on day: Day) -> RuleFailure? {
        !judges(member) || memberExists(member, on: day)
            ? nil
            : RuleFailure(
                .memberExists, "\(role) \(member) has not joined any collaborative by \(day)",
                suggestion: unknownMemberSuggestion(member))
    }

    /// Checks that `member` is active on `day` in at least one of `collaboratives`.
    private func activeFailure(_ member: Slug, as role: String, in collaboratives: [Slug], on day: Day) -> RuleFailure?
    {
        if !judges(member) || collaboratives.contains(where: { isActive(member, in: $0, on: day) }) { return nil }
        let places =
            collaboratives.count == 1
            ? collaboratives.map(\.rawValue).joined()
            : "any of " + collaboratives.map(\.rawValue).joined(separator: ", ")
        return RuleFailure(
            .memberActive, "\(role) \(member) is not an active member of \(places) on \(day)",
            suggestion: unknownMemberSuggestion(member))
    }

    /// For a member who never joined anything (a likely typo), the nearest member who did.
    func unknownMemberSuggestion(_ member: Slug) -> Slug? {
        detailsHistory[member] == nil ? member.nearest(among: detailsHistory.keys) : nil
    }
}
