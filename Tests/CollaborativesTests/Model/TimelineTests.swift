import Foundation
import Testing

@testable import Collaboratives

@Suite struct TimelineTests {
    private func timeline(_ events: [(String, DomainEvent)]) -> Timeline {
        Timeline(
            entries: events.enumerated().map { index, pair in
                TimelineEntry(id: UUID(), seq: UInt64(index + 1), occurredAt: occurred(pair.0), event: pair.1)
            })
    }

    @Test func membershipIsActiveFromTheJoiningDayUntilTheDayBeforeLeaving() {
        let timeline = timeline([
            ("2021-09-01", Events.formed("oldham")),
            ("2021-11-15", Events.joined("ol-1", "oldham")),
            ("2023-07-20", Events.left("ol-1", "oldham")),
        ])
        #expect(!timeline.isActive(slug("ol-1"), in: slug("oldham"), on: day("2021-11-14")))
        #expect(timeline.isActive(slug("ol-1"), in: slug("oldham"), on: day("2021-11-15")))
        #expect(timeline.isActive(slug("ol-1"), in: slug("oldham"), on: day("2023-07-19")))
        #expect(!timeline.isActive(slug("ol-1"), in: slug("oldham"), on: day("2023-07-20")))
    }

    @Test func rejoiningOpensANewInterval() {
        let timeline = timeline([
            ("2021-11-15", Events.joined("ol-1", "oldham")),
            ("2022-03-01", Events.left("ol-1", "oldham")),
            ("2022-09-01", Events.joined("ol-1", "oldham")),
        ])
        #expect(
            timeline.membershipIntervals(of: slug("ol-1"), in: slug("oldham")) == [
                DayInterval(start: day("2021-11-15"), end: day("2022-03-01")),
                DayInterval(start: day("2022-09-01"), end: nil),
            ])
        #expect(!timeline.isActive(slug("ol-1"), in: slug("oldham"), on: day("2022-06-01")))
        #expect(timeline.isActive(slug("ol-1"), in: slug("oldham"), on: day("2024-06-01")))
    }

    @Test func detailsOnADayAreThoseOfTheLatestChangeOnOrBeforeIt() {
        let timeline = timeline([
            ("2021-11-15", Events.joined("ol-1", "oldham", name: "Ada", organisation: "Hathershaw College")),
            ("2022-09-01", Events.changed("ol-1", sector: .laEducation)),
            ("2023-01-01", Events.joined("ol-1", "worcs", sector: .health)),
        ])
        let member = slug("ol-1")
        #expect(timeline.details(of: member, on: day("2021-11-14")) == nil)
        #expect(
            timeline.details(of: member, on: day("2022-08-31"))
                == MemberDetails(name: "Ada", sector: .secondarySchool, organisation: "Hathershaw College"))
        #expect(
            timeline.details(of: member, on: day("2022-09-01"))
                == MemberDetails(name: "Ada", sector: .laEducation, organisation: "Hathershaw College"))
        #expect(timeline.details(of: member, on: day("2024-01-01"))?.sector == .health)
        #expect(timeline.details(of: member, on: day("2024-01-01"))?.organisation == "Hathershaw College")
    }

    @Test func erasureHidesNameAndOrganisationOnEveryDayButKeepsTheSector() {
        let timeline = timeline([
            ("2021-11-15", Events.joined("ol-1", "oldham", name: "Ada", organisation: "Hathershaw College")),
            ("2024-01-01", Events.erased("ol-1")),
        ])
        #expect(timeline.isErased(slug("ol-1")))
        #expect(
            timeline.details(of: slug("ol-1"), on: day("2022-01-01"))
                == MemberDetails(name: nil, sector: .secondarySchool, organisation: nil))
    }

    @Test func aTenureEndsOnTheDayItsHolderLeavesTheCollaborative() throws {
        let timeline = timeline([
            ("2021-11-15", Events.joined("ol-1", "oldham")),
            ("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham")),
            ("2023-07-20", Events.left("ol-1", "oldham")),
        ])
        let tenure = try #require(timeline.tenures(in: slug("oldham")).first)
        #expect(tenure.interval == DayInterval(start: day("2022-01-10"), end: day("2023-07-20")))
        #expect(tenure.ending == .leftCollaborative)
        #expect(timeline.holders(of: .anchor, in: slug("oldham"), on: day("2023-07-19")) == [slug("ol-1")])
        #expect(timeline.holders(of: .anchor, in: slug("oldham"), on: day("2023-07-20")).isEmpty)
    }

    @Test func aRoleEndedOnTheLeavingDayIsTheExplicitEnd() throws {
        let timeline = timeline([
            ("2021-11-15", Events.joined("ol-1", "oldham")),
            ("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham")),
            ("2023-07-20", Events.left("ol-1", "oldham")),
            ("2023-07-20", Events.ended("ol-1", .anchor, in: "oldham")),
        ])
        #expect(timeline.issues.isEmpty)
        #expect(timeline.tenures(in: slug("oldham")).first?.ending == .roleEnded)
    }

    @Test func aRoleCanHaveSeveralHoldersAtOnce() {
        let timeline = timeline([
            ("2021-11-15", Events.joined("ol-1", "oldham")),
            ("2021-11-15", Events.joined("ol-2", "oldham")),
            ("2022-01-10", Events.assigned("ol-1", .anchor, in: "oldham")),
            ("2022-02-10", Events.assigned("ol-2", .anchor, in: "oldham", succeeds: "ol-1")),
        ])
        #expect(
            timeline.holders(of: .anchor, in: slug("oldham"), on: day("2022-03-01")) == [slug("ol-1"), slug("ol-2")])
        #expect(timeline.roleTenures.last?.succeeds == slug("ol-1"))
    }

    @Test func anAdvisorIsProgrammeStaffOrHoldsAnAdvisorRoleThatDay() {
        let timeline = timeline([
            ("2021-11-15", Events.joined("staff-1", "oldham", sector: .programmeStaff)),
            ("2021-11-15", Events.joined("ol-1", "oldham")),
            ("2022-01-10", Events.assigned("ol-1", .advisor, in: "oldham")),
            ("2022-06-10", Events.ended("ol-1", .advisor, in: "oldham")),
        ])
        #expect(timeline.isAdvisor(slug("staff-1"), on: day("2021-11-15")))
        #expect(!timeline.isAdvisor(slug("staff-1"), on: day("2021-11-14")))
        #expect(!timeline.isAdvisor(slug("ol-1"), on: day("2022-01-09")))
        #expect(timeline.isAdvisor(slug("ol-1"), on: day("2022-01-10")))
        #expect(!timeline.isAdvisor(slug("ol-1"), on: day("2022-06-10")))
    }

    @Test func subGroupsExistFromTheirFormationAndBelongToTheirCollaborative() {
        let timeline = timeline([
            ("2021-09-01", Events.formed("oldham")),
            ("2021-12-01", Events.subgroupFormed("transitions", in: "oldham")),
            ("2021-12-01", Events.joined("ol-1", "oldham")),
            ("2022-01-01", Events.subgroupJoined("ol-1", "transitions")),
            ("2022-05-01", Events.subgroupLeft("ol-1", "transitions")),
        ])
        #expect(!timeline.subgroupExists(slug("transitions"), on: day("2021-11-30")))
        #expect(timeline.subgroupExists(slug("transitions"), on: day("2021-12-01")))
        #expect(timeline.collaborative(ofSubgroup: slug("transitions")) == slug("oldham"))
        #expect(timeline.subgroups(of: slug("oldham")) == [slug("transitions")])
        #expect(timeline.collaborativeExists(slug("oldham"), on: day("2021-09-01")))
        #expect(!timeline.collaborativeExists(slug("oldham"), on: day("2021-08-31")))
        #expect(timeline.isInSubgroup(slug("ol-1"), slug("transitions"), on: day("2022-04-30")))
        #expect(!timeline.isInSubgroup(slug("ol-1"), slug("transitions"), on: day("2022-05-01")))
        #expect(timeline.memberExists(slug("ol-1"), on: day("2021-12-01")))
    }

    @Test func entriesAreOrderedByLondonDayThenInstantThenLogPositionWithPendingEventsLast() {
        let early = TimelineEntry(
            id: UUID(), seq: 9, occurredAt: occurred("2023-07-01T23:30:00Z"), event: Events.survey(in: "a"))
        let dayOnly = TimelineEntry(
            id: UUID(), seq: 5, occurredAt: occurred("2023-07-02"), event: Events.survey(in: "b"))
        let storedLater = TimelineEntry(
            id: UUID(), seq: 7, occurredAt: occurred("2023-07-02T09:00:00Z"), event: Events.survey(in: "c"))
        let storedEarlierSeq = TimelineEntry(
            id: UUID(), seq: 3, occurredAt: occurred("2023-07-02T09:00:00Z"), event: Events.survey(in: "d"))
        let pendingFirst = TimelineEntry(
            id: UUID(), seq: nil, occurredAt: occurred("2023-07-02T09:00:00Z"), event: Events.survey(in: "e"))
        let pendingSecond = TimelineEntry(
            id: UUID(), seq: nil, occurredAt: occurred("2023-07-02T09:00:00Z"), event: Events.survey(in: "f"))
        let timeline = Timeline(entries: [pendingFirst, storedLater, pendingSecond, dayOnly, storedEarlierSeq, early])
        // 23:30 UTC on 1 July is 00:30 on 2 July in London, before that day's UTC midnight.
        #expect(
            timeline.entries.map(\.id) == [
                early.id, dayOnly.id, storedEarlierSeq.id, storedLater.id, pendingFirst.id, pendingSecond.id,
            ])
    }
}
