/// Rules a batch event must pass on its own, before the timeline is consulted.
enum BatchChecks {
    /// The first rule `entry` breaks by itself: dated after `today`, a list with a
    /// duplicate, a workshop for no collaborative, a sub-group lead without a sub-group.
    static func failure(of entry: TimelineEntry, today: Day) -> RuleFailure? {
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
            return duplicate(in: event.attendees, named: "attendees")
        case .roleAssigned(let event) where event.role == .subgroupLead && event.subgroup == nil:
            return RuleFailure(.subgroupLeadNeedsSubgroup, "role subgroup-lead needs a subgroup")
        case .roleEnded(let event) where event.role == .subgroupLead && event.subgroup == nil:
            return RuleFailure(.subgroupLeadNeedsSubgroup, "role subgroup-lead needs a subgroup")
        default:
            return nil
        }
    }

    private static func duplicate(in slugs: [Slug], named list: String) -> RuleFailure? {
        var seen: Set<Slug> = []
        for slug in slugs where !seen.insert(slug).inserted {
            return RuleFailure(.noDuplicates, "\(list) lists \(slug) more than once")
        }
        return nil
    }
}
