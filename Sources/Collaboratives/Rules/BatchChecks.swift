/// Rules a batch event must pass on its own, before the timeline is consulted.
enum BatchChecks {
    /// The first rule `entry` breaks by itself: a date outside the accepted range, dated after `today`, a
    /// list with a duplicate, a workshop for no collaborative, a sub-group lead without a sub-group (or a
    /// sub-group for another role), a holder succeeding themself, a one-to-one session with several
    /// attendees, more survey responses than invitations.
    static func failure(of entry: TimelineEntry, today: Day) -> RuleFailure? {
        if let failure = dateRangeFailure(of: entry) { return failure }
        let day = entry.occurredAt.localDay
        if day > today {
            // An instant is judged by the London day it falls on, which is not always its UTC date: say which.
            let london = entry.occurredAt.canonicalText == day.description ? "" : " (\(day) in London)"
            return RuleFailure(
                .notInFuture,
                "occurredAt \(entry.occurredAt.canonicalText)\(london) is after today (\(today), Europe/London)")
        }
        switch entry.event {
        case .workshopHeld(let event):
            if event.collaboratives.isEmpty {
                return RuleFailure(.collaborativesNotEmpty, "a workshop lists at least one collaborative")
            }
            return duplicate(in: event.collaboratives, named: "collaboratives")
                ?? duplicate(in: event.attendees, named: "attendees")
        case .coachingSessionHeld(let event):
            if let failure = duplicate(in: event.attendees, named: "attendees") { return failure }
            guard event.kind != .oneToOne || event.attendees.count <= 1 else {
                return RuleFailure(
                    .oneToOneAttendees,
                    "a one-to-one session has at most one attendee, this one lists \(event.attendees.count) "
                        + "(record a group session instead)")
            }
            return nil
        case .roleAssigned(let event):
            if let failure = subgroupFailure(role: event.role, subgroup: event.subgroup) { return failure }
            guard event.succeeds != event.member else {
                return RuleFailure(
                    .succeedsOther, "member \(event.member) cannot succeed themself (succeeds names the new holder)")
            }
            return nil
        case .roleEnded(let event):
            return subgroupFailure(role: event.role, subgroup: event.subgroup)
        case .surveyWaveClosed(let event) where event.responded > event.invited:
            return RuleFailure(
                .surveyCounts,
                "responded \(event.responded) is more than invited \(event.invited) in survey wave \(event.wave)")
        default:
            return nil
        }
    }

    /// A sub-group lead names its sub-group; no other role names one (a role is held in the collaborative).
    private static func subgroupFailure(role: Role, subgroup: Slug?) -> RuleFailure? {
        if role == .subgroupLead && subgroup == nil {
            return RuleFailure(.subgroupLeadNeedsSubgroup, "role subgroup-lead needs a subgroup")
        }
        if role != .subgroupLead, let subgroup {
            return RuleFailure(
                .subgroupRole, "role \(role.rawValue) does not take a subgroup (\(subgroup)); only subgroup-lead does")
        }
        return nil
    }

    /// The first date of `entry` outside ``Day/earliestAccepted``...``Day/latestAccepted``.
    private static func dateRangeFailure(of entry: TimelineEntry) -> RuleFailure? {
        let range = "\(Day.earliestAccepted) to \(Day.latestAccepted)"
        if !entry.occurredAt.localDay.isAccepted {
            return RuleFailure(
                .dateInRange, "occurredAt \(entry.occurredAt.canonicalText) is outside the accepted dates \(range)")
        }
        if case .collaborativeFormed(let event) = entry.event, !event.programmeStart.isAccepted {
            return RuleFailure(
                .dateInRange, "programmeStart \(event.programmeStart) is outside the accepted dates \(range)")
        }
        return nil
    }

    private static func duplicate(in slugs: [Slug], named list: String) -> RuleFailure? {
        var seen: Set<Slug> = []
        for slug in slugs where !seen.insert(slug).inserted {
            return RuleFailure(.noDuplicates, "\(list) lists \(slug) more than once")
        }
        return nil
    }
}
