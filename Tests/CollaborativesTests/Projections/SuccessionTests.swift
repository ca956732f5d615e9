import Foundation
import Testing

@testable import Collaboratives

/// The succession audit of the hand-made Oldham history (see ``HandMadeLog/oldham()``), worked out by hand.
@Suite struct SuccessionTests {
    private let log = HandMadeLog.oldham()

    private func audit(_ date: String) -> SuccessionResult {
        SuccessionAudit.compute(view: log.view(date), collaborative: slug("oldham"))
    }

    private func slot(_ role: Role, _ subgroup: String? = nil) -> RoleSlot {
        RoleSlot(collaborative: slug("oldham"), role: role, subgroup: subgroup.map(slug))
    }

    private func chain(_ role: Role, _ subgroup: String? = nil, on date: String = "2023-06-30") -> SuccessionChain? {
        audit(date).chains.first { $0.slot == slot(role, subgroup) }
    }

    private func tenure(
        _ member: String, _ start: String, _ end: String?, appointment: Appointment = .formal,
        succeeds: String? = nil, previous: String? = nil, wrong: Bool = false, leaving: Bool = false,
        concurrent: [RoleSlot] = []
    ) -> SuccessionTenure {
        SuccessionTenure(
            member: slug(member), appointment: appointment, succeeds: succeeds.map(slug),
            previousHolder: previous.map(slug),
            succeedsSomeoneElse: wrong, start: day(start), end: end.map(day), endedByLeaving: leaving,
            concurrentSlots: concurrent)
    }

    @Test func chainsAreOnePerSlotInRoleOrder() {
        #expect(
            audit("2023-06-30").chains.map(\.slot) == [
                slot(.anchor), slot(.advisor), slot(.subgroupLead, "behaviour"), slot(.subgroupLead, "transitions"),
                slot(.pcfRepresentative),
            ])
    }

    @Test func twoAnchorsOverlapAndTheInterimTakesOverWithoutOverlap() {
        let anchor = chain(.anchor)
        #expect(
            anchor?.tenures == [
                tenure("ol-1", "2021-09-10", nil, concurrent: [slot(.subgroupLead, "behaviour")]),
                tenure("ol-4", "2022-02-01", "2023-01-01", previous: "ol-1"),
                tenure(
                    "ol-5", "2023-01-01", nil, appointment: .interim, succeeds: "ol-4", previous: "ol-4",
                    concurrent: [slot(.pcfRepresentative)]),
            ])
        #expect(
            anchor?.handovers == [
                Handover(
                    from: slug("ol-1"), to: slug("ol-4"), previousEnd: nil, nextStart: day("2022-02-01"), gapDays: nil,
                    kind: .overlap, isLongGap: false),
                Handover(
                    from: slug("ol-4"), to: slug("ol-5"), previousEnd: day("2023-01-01"), nextStart: day("2023-01-01"),
                    gapDays: 0, kind: .withoutOverlap, isLongGap: false),
            ])
        #expect(anchor?.isVacant == false)
        #expect(anchor?.flags == [.interim, .handoverWithoutOverlap, .concurrentHolding])
    }

    @Test func vacancyOfMoreThanThirtyDaysAndTenureEndedByLeaving() {
        let advisor = chain(.advisor)
        #expect(
            advisor?.tenures == [
                tenure("st-1", "2021-09-10", "2022-03-31"),
                tenure("st-2", "2022-05-15", "2023-06-30", succeeds: "st-1", previous: "st-1", leaving: true),
            ])
        // 2022-03-31 to 2022-05-15: 30 days of April and 15 of May.
        #expect(
            advisor?.handovers == [
                Handover(
                    from: slug("st-1"), to: slug("st-2"), previousEnd: day("2022-03-31"), nextStart: day("2022-05-15"),
                    gapDays: 45, kind: .vacancy, isLongGap: true)
            ])
        #expect(advisor?.isVacant == true)
        #expect(advisor?.vacantSince == day("2023-06-30"))
        #expect(advisor?.flags == [.vacant, .handoverWithoutOverlap, .longGap, .endedByLeaving])
    }

    @Test func slotIsVacantOnDatesBetweenHolders() {
        let during = chain(.advisor, on: "2022-04-15")
        #expect(during?.isVacant == true)
        #expect(during?.vacantSince == day("2022-03-31"))
        #expect(during?.handovers == [])
        #expect(chain(.advisor, on: "2022-05-15")?.isVacant == false)
        #expect(chain(.advisor, on: "2023-06-29")?.isVacant == false)
        #expect(chain(.advisor, on: "2023-06-29")?.tenures.last?.end == nil)
    }

    @Test func succeedsNamingSomeoneWhoWasNotThePreviousHolderIsFlagged() {
        let transitions = chain(.subgroupLead, "transitions")
        #expect(
            transitions?.tenures == [
                tenure("ol-3", "2021-11-15", "2023-03-01", appointment: .selfAppointed, leaving: true),
                tenure(
                    "ol-2", "2023-03-10", nil, succeeds: "ol-1", previous: "ol-3", wrong: true,
                    concurrent: [slot(.pcfRepresentative)]),
            ])
        #expect(transitions?.handovers.map(\.gapDays) == [9])
        #expect(transitions?.handovers.map(\.kind) == [.vacancy])
        #expect(transitions?.handovers.map(\.isLongGap) == [false])
        #expect(
            transitions?.flags == [
                .selfAppointed, .handoverWithoutOverlap, .endedByLeaving, .succeedsSomeoneElse, .concurrentHolding,
            ])
    }

    @Test func aShortVacancyIsAHandoverWithoutOverlapThoughNotALongGap() {
        let transitions = chain(.subgroupLead, "transitions")
        #expect(transitions?.handovers.map(\.isWithoutOverlap) == [true])
        #expect(transitions?.flags.contains(.handoverWithoutOverlap) == true)
        #expect(transitions?.flags.contains(.longGap) == false)
    }

    @Test func anOverlapIsNotAHandoverWithoutOverlap() {
        let pcf = chain(.pcfRepresentative)
        #expect(pcf?.handovers.map(\.isWithoutOverlap) == [false])
        #expect(pcf?.flags.contains(.handoverWithoutOverlap) == false)
    }

    @Test func overlapGivesANegativeGap() {
        let pcf = chain(.pcfRepresentative)
        // ol-2 from 2023-01-20, ol-5 until 2023-02-01: twelve days together.
        #expect(pcf?.handovers.map(\.gapDays) == [-12])
        #expect(pcf?.handovers.map(\.kind) == [.overlap])
        #expect(pcf?.tenures.map(\.succeedsSomeoneElse) == [false, false])
        #expect(pcf?.flags == [.concurrentHolding])
    }

    @Test func selfAppointedLeadIsFlagged() {
        let behaviour = chain(.subgroupLead, "behaviour")
        #expect(behaviour?.tenures.map(\.appointment) == [.selfAppointed])
        #expect(behaviour?.flags == [.selfAppointed, .concurrentHolding])
    }

    @Test func membersHoldingTwoSlotsAtOnceAreListedWithThePeriod() {
        #expect(
            audit("2023-06-30").concurrentHoldings == [
                ConcurrentHolding(
                    member: slug("ol-1"), slots: [slot(.anchor), slot(.subgroupLead, "behaviour")],
                    from: day("2022-02-01"), until: nil),
                ConcurrentHolding(
                    member: slug("ol-2"), slots: [slot(.subgroupLead, "transitions"), slot(.pcfRepresentative)],
                    from: day("2023-03-10"), until: nil),
                ConcurrentHolding(
                    member: slug("ol-5"), slots: [slot(.anchor), slot(.pcfRepresentative)], from: day("2023-01-01"),
                    until: day("2023-02-01")),
            ])
        #expect(audit("2022-01-31").concurrentHoldings == [])
    }

    @Test func firstHolderNamingAPredecessorIsFlagged() {
        var log = HandMadeLog()
        log.add("2021-09-01", Events.formed("oldham"))
        log.add("2021-09-10", Events.joined("ol-1", "oldham"))
        log.add("2021-09-10", Events.assigned("ol-1", .anchor, in: "oldham", succeeds: "ol-9"))
        let result = SuccessionAudit.compute(view: log.view("2022-01-01"), collaborative: slug("oldham"))
        #expect(result.chains.first?.tenures.first?.succeedsSomeoneElse == true)
        #expect(result.chains.first?.flags == [.succeedsSomeoneElse])
    }

    @Test func coAnchorWhoLeftLastMayBeNamedAfterAVacancy() {
        var log = HandMadeLog()
        log.add("2021-09-01", Events.formed("oldham"))
        for member in ["a", "b", "c"] { log.add("2021-09-10", Events.joined(member, "oldham")) }
        log.add("2021-09-10", Events.assigned("a", .anchor, in: "oldham"))
        log.add("2021-10-01", Events.assigned("b", .anchor, in: "oldham"))
        log.add("2022-03-01", Events.ended("a", .anchor, in: "oldham"))
        log.add("2022-06-01", Events.assigned("c", .anchor, in: "oldham", succeeds: "a"))
        let chain = SuccessionAudit.compute(view: log.view("2022-07-01"), collaborative: slug("oldham")).chains.first
        // b is the previous tenure in start order, but a left the slot last: c replaced a.
        #expect(chain?.tenures.map(\.previousHolder) == [nil, slug("a"), slug("b")])
        #expect(chain?.tenures.map(\.succeedsSomeoneElse) == [false, false, false])
        // b started 151 days before a ended (2021-10-01 to 2022-03-01), and still holds it when c starts.
        #expect(chain?.handovers.map(\.gapDays) == [-151, nil])
        #expect(chain?.handovers.map(\.kind) == [.overlap, .overlap])
        #expect(chain?.flags == [])
    }

    @Test func longGapLimitIsAParameter() {
        let result = SuccessionAudit.compute(
            view: log.view("2023-06-30"), collaborative: slug("oldham"), longGapDays: 45)
        #expect(result.chains.first { $0.slot == slot(.advisor) }?.handovers.map(\.isLongGap) == [false])
        #expect(result.longGapDays == 45)
    }
}
