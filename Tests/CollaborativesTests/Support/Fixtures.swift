import Foundation
import Testing

@testable import Collaboratives

/// A slug from a literal the test knows to be valid.
func slug(_ text: String) -> Slug {
    if let slug = Slug(text) { return slug }
    Issue.record("invalid slug literal \(text)")
    return Slug(trusted: text)
}

/// A day from a `YYYY-MM-DD` literal.
func day(_ text: String) -> Day {
    if let day = Day(parsing: text) { return day }
    Issue.record("invalid date literal \(text)")
    return Day(daysSinceEpoch: 0)
}

/// A date or timestamp literal.
func occurred(_ text: String) -> OccurredAt {
    do {
        return try OccurredAt.parse(text)
    } catch {
        Issue.record("invalid occurredAt literal \(text): \(error)")
        return .day(Day(daysSinceEpoch: 0))
    }
}

/// A log in the making: stored events (with `seq` 1, 2, …) and a batch to validate against them.
struct Scenario {
    var stored: [TimelineEntry] = []
    var batch: [TimelineEntry] = []
    var today = day("2025-06-30")

    /// Stores an event as if appended earlier; returns its id.
    @discardableResult
    mutating func store(_ date: String, _ event: DomainEvent) -> UUID {
        let id = UUID()
        stored.append(TimelineEntry(id: id, seq: UInt64(stored.count + 1), occurredAt: occurred(date), event: event))
        return id
    }

    /// Adds an event to the batch being validated; returns its id.
    @discardableResult
    mutating func add(_ date: String, _ event: DomainEvent) -> UUID {
        let id = UUID()
        batch.append(TimelineEntry(id: id, seq: nil, occurredAt: occurred(date), event: event))
        return id
    }

    /// The violation the batch causes, or `nil` when it is accepted.
    func violation() -> RuleViolation? {
        do {
            try RuleCheck.validate(stored: stored, batch: batch, today: today)
            return nil
        } catch {
            return error
        }
    }

    /// The rule the batch breaks, if any.
    var brokenRule: Rule? { violation()?.rule }

    /// Oldham formed on 2021-09-01, with ol-1 … ol-3 (secondary school) and staff-1 (programme staff)
    /// joining on 2021-11-15, and the sub-group `transitions` formed on 2021-12-01.
    static func oldham() -> Scenario {
        var scenario = Scenario()
        scenario.store("2021-09-01", Events.formed("oldham"))
        for member in ["ol-1", "ol-2", "ol-3"] {
            scenario.store("2021-11-15", Events.joined(member, "oldham"))
        }
        scenario.store("2021-11-15", Events.joined("staff-1", "oldham", sector: .programmeStaff))
        scenario.store("2021-12-01", Events.subgroupFormed("transitions", in: "oldham"))
        return scenario
    }
}

/// Concise constructors of domain events for tests.
enum Events {
    static func formed(_ collaborative: String, start: String = "2021-09-01") -> DomainEvent {
        .collaborativeFormed(
            CollaborativeFormed(
                collaborative: slug(collaborative), name: collaborative.capitalized,
                anchorOrganisation: "\(collaborative.capitalized) Council", programmeStart: day(start)))
    }

    static func joined(
        _ member: String, _ collaborative: String, sector: Sector = .secondarySchool, name: String? = nil,
        organisation: String? = nil
    ) -> DomainEvent {
        .memberJoined(
            MemberJoined(
                collaborative: slug(collaborative), member: slug(member), name: name.map(PersonalText.plain),
                sector: sector,
                organisation: organisation.map(PersonalText.plain)))
    }

    static func left(_ member: String, _ collaborative: String, reason: LeaveReason = .capacity) -> DomainEvent {
        .memberLeft(MemberLeft(collaborative: slug(collaborative), member: slug(member), reason: reason))
    }

    static func changed(
        _ member: String, name: String? = nil, sector: Sector? = nil, organisation: String? = nil
    ) -> DomainEvent {
        .memberDetailsChanged(
            MemberDetailsChanged(
                member: slug(member), name: name.map(PersonalText.plain), sector: sector,
                organisation: organisation.map(PersonalText.plain)))
    }

    static func erased(_ member: String) -> DomainEvent {
        .personalDataErased(PersonalDataErased(member: slug(member), reason: "request"))
    }

    static func assigned(
        _ member: String, _ role: Role, in collaborative: String, subgroup: String? = nil, succeeds: String? = nil,
        appointment: Appointment = .formal
    ) -> DomainEvent {
        .roleAssigned(
            RoleAssigned(
                collaborative: slug(collaborative), role: role, subgroup: subgroup.map(slug), member: slug(member),
                appointment: appointment, succeeds: succeeds.map(slug)))
    }

    static func ended(_ member: String, _ role: Role, in collaborative: String, subgroup: String? = nil) -> DomainEvent
    {
        .roleEnded(
            RoleEnded(
                collaborative: slug(collaborative), role: role, subgroup: subgroup.map(slug), member: slug(member)))
    }

    static func subgroupFormed(_ subgroup: String, in collaborative: String) -> DomainEvent {
        .subGroupFormed(
            SubGroupFormed(
                collaborative: slug(collaborative), subgroup: slug(subgroup), title: subgroup, aim: "an aim"))
    }

    static func subgroupJoined(_ member: String, _ subgroup: String) -> DomainEvent {
        .subGroupMemberJoined(SubGroupMemberJoined(subgroup: slug(subgroup), member: slug(member)))
    }

    static func subgroupLeft(_ member: String, _ subgroup: String) -> DomainEvent {
        .subGroupMemberLeft(SubGroupMemberLeft(subgroup: slug(subgroup), member: slug(member)))
    }

    static func status(_ subgroup: String, _ status: SubGroupStatus) -> DomainEvent {
        .subGroupStatusChanged(SubGroupStatusChanged(subgroup: slug(subgroup), status: status))
    }

    static func workshop(
        _ workshop: String, for collaboratives: [String], attendees: [String], kind: WorkshopKind = .collaborative
    ) -> DomainEvent {
        .workshopHeld(
            WorkshopHeld(
                workshop: slug(workshop), collaboratives: collaboratives.map(slug), kind: kind, mode: .inPerson,
                attendees: attendees.map(slug)))
    }

    static func coaching(
        in collaborative: String, advisor: String, attendees: [String], subgroup: String? = nil,
        kind: CoachingKind = .oneToOne
    ) -> DomainEvent {
        .coachingSessionHeld(
            CoachingSessionHeld(
                collaborative: slug(collaborative), subgroup: subgroup.map(slug), kind: kind,
                advisor: slug(advisor), attendees: attendees.map(slug)))
    }

    static func survey(
        in collaborative: String, wave: String = "2023", invited: Int = 44, responded: Int = 30
    ) -> DomainEvent {
        .surveyWaveClosed(
            SurveyWaveClosed(collaborative: slug(collaborative), wave: wave, invited: invited, responded: responded))
    }

    static func retract(_ id: UUID) -> DomainEvent {
        .eventRetracted(EventRetracted(event: id, reason: "recorded in error"))
    }
}
