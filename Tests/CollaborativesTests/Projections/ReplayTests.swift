import Foundation
import Testing

@testable import Collaboratives

/// Replay of the hand-made Oldham history (see ``HandMadeLog/oldham()``); every expected value is worked
/// out by hand from the events listed there.
@Suite struct ReplayTests {
    private let log = HandMadeLog.oldham()

    private func replay(_ date: String) -> ReplayResult {
        ReplayReport.compute(view: log.view(date), collaborative: slug("oldham"))
    }

    private func member(
        _ id: String, _ sector: Sector, since: String, name: String? = nil, organisation: String? = nil
    ) -> ActiveMember {
        ActiveMember(
            member: slug(id), name: name, erased: false, sector: sector, organisation: organisation, since: day(since))
    }

    private func holder(_ id: String, _ since: String, _ appointment: Appointment = .formal) -> RoleHolder {
        RoleHolder(member: slug(id), appointment: appointment, since: day(since))
    }

    private func slot(_ role: Role, _ subgroup: String? = nil) -> RoleSlot {
        RoleSlot(collaborative: slug("oldham"), role: role, subgroup: subgroup.map(slug))
    }

    @Test func replayInYearOneListsEveryMemberRoleAndSubGroup() {
        let state = replay("2022-03-15")
        #expect(state.name == "Oldham")
        #expect(state.formedOn == day("2021-09-01"))
        #expect(
            state.members == [
                member("ol-1", .secondarySchool, since: "2021-09-10", name: "Ada", organisation: "Hathershaw College"),
                member("ol-2", .primarySchool, since: "2021-09-10", organisation: "St Mary's"),
                member("ol-3", .socialCare, since: "2021-09-10"),
                member("ol-4", .health, since: "2021-10-01"),
                member("ol-5", .parentCarerForum, since: "2022-01-10"),
                member("st-1", .programmeStaff, since: "2021-09-10"),
            ])
        #expect(
            state.roles == [
                RoleSlotHolders(
                    slot: slot(.anchor), holders: [holder("ol-1", "2021-09-10"), holder("ol-4", "2022-02-01")]),
                RoleSlotHolders(slot: slot(.advisor), holders: [holder("st-1", "2021-09-10")]),
                RoleSlotHolders(
                    slot: slot(.subgroupLead, "behaviour"), holders: [holder("ol-1", "2022-02-01", .selfAppointed)]),
                RoleSlotHolders(
                    slot: slot(.subgroupLead, "transitions"), holders: [holder("ol-3", "2021-11-15", .selfAppointed)]),
                RoleSlotHolders(slot: slot(.pcfRepresentative), holders: [holder("ol-5", "2022-01-10")]),
            ])
        #expect(
            state.subgroups == [
                SubGroupSnapshot(
                    subgroup: slug("behaviour"), title: "Behaviour support networks", formedOn: day("2022-01-15"),
                    status: .inProgress, statusSince: day("2022-03-01"), leads: [slug("ol-1")],
                    members: [slug("ol-1"), slug("ol-5")], lastMilestone: nil),
                SubGroupSnapshot(
                    subgroup: slug("transitions"), title: "Transitions pilot", formedOn: day("2021-11-01"),
                    status: .inProgress, statusSince: day("2022-01-10"), leads: [slug("ol-3")],
                    members: [slug("ol-2"), slug("ol-3"), slug("ol-4")],
                    lastMilestone: MilestoneRecord(
                        day: day("2022-03-01"), kind: .pilotStarted, title: "Pilot in 4 schools")),
            ])
        #expect(
            state.counts
                == ReplayCounts(
                    members: 6, sectors: 6, roleSlots: 5, vacantRoleSlots: 0, roleHolders: 6, subgroups: 2,
                    subgroupsByStatus: [SubGroupStatusCount(status: .inProgress, count: 2)]))
    }

    @Test func memberWhoLeftIsGoneAndChangedOrganisationShowsOnTheDayOfTheChange() {
        let state = replay("2022-09-01")
        #expect(
            state.members == [
                member("ol-1", .secondarySchool, since: "2021-09-10", name: "Ada", organisation: "Oasis Academy"),
                member("ol-3", .socialCare, since: "2021-09-10"),
                member("ol-4", .health, since: "2021-10-01"),
                member("ol-5", .parentCarerForum, since: "2022-01-10"),
                member("st-1", .programmeStaff, since: "2021-09-10"),
                member("st-2", .programmeStaff, since: "2022-05-15"),
            ])
        #expect(state.roles.first { $0.slot == slot(.advisor) }?.holders == [holder("st-2", "2022-05-15")])
        #expect(state.counts.members == 6)
        #expect(state.counts.sectors == 5)
    }

    @Test func memberWhoLeftIsStillActiveOnTheDayBefore() {
        #expect(replay("2022-06-29").members.contains { $0.member == slug("ol-2") })
        #expect(!replay("2022-06-30").members.contains { $0.member == slug("ol-2") })
    }

    @Test func subGroupMembersMustAlsoBeActiveInTheCollaborative() {
        let transitions = replay("2022-09-01").subgroups.first { $0.subgroup == slug("transitions") }
        // ol-2 never left the sub-group but left Oldham on 2022-06-30; ol-4 leaves the sub-group on 2022-10-01.
        #expect(transitions?.members == [slug("ol-3"), slug("ol-4")])
        let dropIns = replay("2022-09-01").subgroups.first { $0.subgroup == slug("drop-ins") }
        #expect(dropIns?.status == .closed)
        #expect(dropIns?.statusSince == day("2022-08-01"))
        #expect(dropIns?.leads == [])
    }

    @Test func rejoinedMemberIsActiveSinceTheRejoiningDayWithTheNewDetails() {
        let state = replay("2023-06-30")
        #expect(
            state.members == [
                member("ol-1", .secondarySchool, since: "2021-09-10", name: "Ada", organisation: "Oasis Academy"),
                member("ol-2", .laEducation, since: "2023-01-15", organisation: "Oldham Council"),
                member("ol-4", .health, since: "2021-10-01"),
                member("ol-5", .parentCarerForum, since: "2022-01-10"),
                member("st-1", .programmeStaff, since: "2021-09-10"),
            ])
    }

    @Test func replayAtTheEndShowsVacantSlotsNewLeadsAndTheRedefinedTitle() {
        let state = replay("2023-06-30")
        #expect(
            state.roles == [
                RoleSlotHolders(
                    slot: slot(.anchor),
                    holders: [holder("ol-1", "2021-09-10"), holder("ol-5", "2023-01-01", .interim)]),
                RoleSlotHolders(slot: slot(.advisor), holders: []),
                RoleSlotHolders(
                    slot: slot(.subgroupLead, "behaviour"), holders: [holder("ol-1", "2022-02-01", .selfAppointed)]),
                RoleSlotHolders(slot: slot(.subgroupLead, "transitions"), holders: [holder("ol-2", "2023-03-10")]),
                RoleSlotHolders(slot: slot(.pcfRepresentative), holders: [holder("ol-2", "2023-01-20")]),
            ])
        #expect(
            state.subgroups.map(\.title) == ["Behaviour hubs", "Inclusion drop-ins", "Transitions pilot"])
        let transitions = state.subgroups.first { $0.subgroup == slug("transitions") }
        #expect(transitions?.status == .embedded)
        #expect(transitions?.leads == [slug("ol-2")])
        #expect(transitions?.members == [slug("ol-2")])
        #expect(
            transitions?.lastMilestone
                == MilestoneRecord(day: day("2022-11-20"), kind: .pilotCompleted, title: "Pilot evaluated"))
        #expect(
            state.counts
                == ReplayCounts(
                    members: 5, sectors: 5, roleSlots: 5, vacantRoleSlots: 1, roleHolders: 5, subgroups: 3,
                    subgroupsByStatus: [
                        SubGroupStatusCount(status: .inProgress, count: 1),
                        SubGroupStatusCount(status: .embedded, count: 1),
                        SubGroupStatusCount(status: .closed, count: 1),
                    ]))
    }

    @Test func replayBeforeAnyoneJoinedHasAnEmptyState() {
        let state = replay("2021-09-05")
        #expect(state.members.isEmpty)
        #expect(state.roles.isEmpty)
        #expect(state.subgroups.isEmpty)
        #expect(state.counts.members == 0)
    }
}
