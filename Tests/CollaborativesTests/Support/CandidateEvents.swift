import Foundation

@testable import Collaboratives

/// Random single events against a stored history, about half of them breaking some rule: leaves and joins
/// on random days, attendees and holders who may not be active, roles ended by someone else, sub-group
/// moves, advisors who may not qualify, advisor roles given and ended, sectors changed to and from
/// programme staff (which decide who may advise), erasures, duplicate slugs, details of unknown members and
/// retractions of stored events (which must leave the rest valid). Dates fall anywhere in the history, so
/// many are late entries, before stored events of the same members. Every slug comes from the history, so most candidates
/// reach the rules about state rather than failing on a typo.
struct CandidateEvents {
    private var generator: SeededGenerator
    private let collaboratives: [Slug]
    private let members: [Slug]
    private let subgroups: [Slug]
    private let workshops: [Slug]
    private let ids: [UUID]
    private let first: Day
    private let last: Day
    private var fresh = 0

    init(stored: [TimelineEntry], seed: UInt64) {
        generator = SeededGenerator(seed: seed)
        var collaboratives = Set<Slug>()
        var members = Set<Slug>()
        var subgroups = Set<Slug>()
        var workshops = Set<Slug>()
        for entry in stored {
            collaboratives.formUnion(entry.event.collaborativesNamed)
            members.formUnion(entry.event.membersNamed)
            if let subgroup = entry.event.subgroupNamed { subgroups.insert(subgroup) }
            if case .workshopHeld(let held) = entry.event { workshops.insert(held.workshop) }
        }
        self.collaboratives = collaboratives.sorted()
        self.members = members.sorted()
        self.subgroups = subgroups.sorted()
        self.workshops = workshops.sorted()
        ids = stored.map(\.id)
        let days = stored.map(\.occurredAt.localDay)
        first = days.min() ?? Day(daysSinceEpoch: 16_000)
        last = days.max() ?? Day(daysSinceEpoch: 16_000)
    }

    private mutating func pick<T>(_ values: [T], or fallback: T) -> T {
        values.randomElement(using: &generator) ?? fallback
    }

    private mutating func someMembers() -> [Slug] {
        let count = Int.random(in: 1...3, using: &generator)
        return Array(Set((0..<count).map { _ in pick(members, or: Slug(trusted: "nobody")) })).sorted()
    }

    private mutating func newSlug(_ prefix: String) -> Slug {
        fresh += 1
        return Slug(trusted: "\(prefix)-candidate-\(fresh)")
    }

    /// The next candidate, not yet stored.
    mutating func next() -> TimelineEntry {
        let span = Int(last.daysSinceEpoch - first.daysSinceEpoch)
        let date = first.adding(days: Int.random(in: 0...max(span, 0), using: &generator))
        let collaborative = pick(collaboratives, or: Slug(trusted: "nowhere"))
        let member = pick(members, or: Slug(trusted: "nobody"))
        let subgroup = pick(subgroups, or: Slug(trusted: "none"))
        let event: DomainEvent
        switch Int.random(in: 0..<16, using: &generator) {
        case 0:
            event = .memberLeft(MemberLeft(collaborative: collaborative, member: member, reason: .capacity))
        case 1:
            event = .memberJoined(
                MemberJoined(
                    collaborative: collaborative, member: member, name: nil, sector: .health, organisation: nil))
        case 2:
            let slug = Bool.random(using: &generator) ? newSlug("ws") : pick(workshops, or: newSlug("ws"))
            event = .workshopHeld(
                WorkshopHeld(
                    workshop: slug, collaboratives: [collaborative], kind: .collaborative, mode: .online,
                    attendees: someMembers()))
        case 3:
            event = .roleAssigned(
                RoleAssigned(
                    collaborative: collaborative, role: .anchor, subgroup: nil, member: member, appointment: .interim,
                    succeeds: Bool.random(using: &generator) ? pick(members, or: member) : nil))
        case 4:
            event = .roleEnded(RoleEnded(collaborative: collaborative, role: .anchor, subgroup: nil, member: member))
        case 5:
            event = .subGroupMemberJoined(SubGroupMemberJoined(subgroup: subgroup, member: member))
        case 6:
            event = .subGroupMemberLeft(SubGroupMemberLeft(subgroup: subgroup, member: member))
        case 7:
            event = .coachingSessionHeld(
                CoachingSessionHeld(
                    collaborative: collaborative, subgroup: Bool.random(using: &generator) ? subgroup : nil,
                    kind: .group, advisor: member, attendees: someMembers()))
        case 8:
            event = .eventRetracted(EventRetracted(event: pick(ids, or: UUID()), reason: "candidate"))
        case 9:
            event = .memberDetailsChanged(
                MemberDetailsChanged(member: member, name: nil, sector: .socialCare, organisation: nil))
        case 10:
            event = .subGroupFormed(
                SubGroupFormed(
                    collaborative: collaborative,
                    subgroup: Bool.random(using: &generator) ? subgroup : newSlug("sg"), title: "t", aim: "a"))
        case 12:
            event = .personalDataErased(PersonalDataErased(member: member, reason: "candidate"))
        case 13:
            event = .roleAssigned(
                RoleAssigned(
                    collaborative: collaborative, role: .advisor, subgroup: nil, member: member, appointment: .formal,
                    succeeds: nil))
        case 14:
            event = .roleEnded(RoleEnded(collaborative: collaborative, role: .advisor, subgroup: nil, member: member))
        case 15:
            event = .memberDetailsChanged(
                MemberDetailsChanged(member: member, name: nil, sector: .programmeStaff, organisation: nil))
        default:
            event = .roleAssigned(
                RoleAssigned(
                    collaborative: collaborative, role: .subgroupLead, subgroup: subgroup, member: member,
                    appointment: .formal, succeeds: nil))
        }
        return TimelineEntry(id: UUID(), seq: nil, occurredAt: .day(date), event: event)
    }
}
