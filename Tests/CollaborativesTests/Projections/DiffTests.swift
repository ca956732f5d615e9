import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// What late entries and a correction recorded between K1 and K2 change, for D = 2022-12-31, on a real store.
@Suite struct DiffTests {
    /// Ids of the events the expectations name.
    struct Recorded {
        var wrongStatus = UUID()
        var lateLeave = UUID()
        var retraction = UUID()
        var correctStatus = UUID()
    }

    /// K0 (2023-01-10): Oldham with ol-1 (anchor), ol-2 (PCF representative), ol-3; transitions "delivered"
    /// on 2022-06-01 (wrong); a workshop on 2022-10-12 attended by ol-1 and ol-3; Worcestershire formed.
    /// After K1: ol-2's leave dated 2022-09-30 (recorded 2023-02-15), wo-1 joining Worcestershire (02-16), the
    /// correction of the status to "in-progress" (02-20), ol-4 joining on 2023-02-01 (02-25, after D), and
    /// after K2 ol-3's leave (03-05).
    private func history(_ store: ClockedChronicle) throws -> Recorded {
        var ids = Recorded()
        let base = try store.record(
            at: "2023-01-10T10:00:00Z",
            [
                ("2021-09-01", Events.formed("oldham")),
                ("2021-09-10", Events.joined("ol-1", "oldham", sector: .secondarySchool)),
                ("2021-09-10", Events.joined("ol-2", "oldham", sector: .primarySchool)),
                ("2021-09-10", Events.joined("ol-3", "oldham", sector: .health)),
                ("2021-09-10", Events.assigned("ol-1", .anchor, in: "oldham")),
                ("2021-09-10", Events.assigned("ol-2", .pcfRepresentative, in: "oldham")),
                ("2021-11-01", Events.subgroupFormed("transitions", in: "oldham")),
                ("2022-06-01", Events.status("transitions", .delivered)),
                ("2022-10-12", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1", "ol-3"])),
                ("2021-09-01", Events.formed("worcs")),
            ])
        ids.wrongStatus = base[7]
        ids.lateLeave = try store.record(at: "2023-02-15T09:00:00Z", [("2022-09-30", Events.left("ol-2", "oldham"))])[0]
        try store.record(
            at: "2023-02-16T09:00:00Z", [("2022-05-01", Events.joined("wo-1", "worcs", sector: .voluntarySector))])
        let correction = try store.record(
            at: "2023-02-20T09:00:00Z",
            [
                ("2023-02-20", Events.retract(ids.wrongStatus)),
                ("2022-06-01", Events.status("transitions", .inProgress)),
            ])
        ids.retraction = correction[0]
        ids.correctStatus = correction[1]
        try store.record(at: "2023-02-25T09:00:00Z", [("2023-02-01", Events.joined("ol-4", "oldham"))])
        try store.record(at: "2023-03-05T09:00:00Z", [("2022-12-01", Events.left("ol-3", "oldham"))])
        return ids
    }

    private func instant(_ text: String) throws -> Timestamp { try #require(Timestamp(rfc3339: text)) }

    private func load(_ store: ClockedChronicle, from first: String, to second: String) throws -> DiffInput {
        try DiffReport.load(
            from: store.chronicle.reader, asOf: day("2022-12-31"), knownAt: try instant(first),
            against: try instant(second))
    }

    private func oldhamSlot(_ role: Role) -> RoleSlot {
        RoleSlot(collaborative: slug("oldham"), role: role, subgroup: nil)
    }

    @Test func lateLeaveAndCorrectionAreListedWithTheEventsTheyChanged() throws {
        let store = try ClockedChronicle()
        let ids = try history(store)
        let input = try load(store, from: "2023-01-31T23:59:59Z", to: "2023-03-01T00:00:00Z")
        #expect(input.before.lastSeq == 10)
        #expect(input.after.lastSeq == 15)
        let result = DiffReport.compute(input)
        #expect(
            result.recorded == [
                RecordedChange(
                    kind: .added, seq: 11, recordedAt: try instant("2023-02-15T09:00:00Z"),
                    entry: TimelineEntry(
                        id: ids.lateLeave, seq: 11, occurredAt: occurred("2022-09-30"),
                        event: Events.left("ol-2", "oldham")),
                    retractionID: nil, reason: nil),
                RecordedChange(
                    kind: .added, seq: 12, recordedAt: try instant("2023-02-16T09:00:00Z"),
                    entry: try #require(input.after.timeline.entries.first { $0.seq == 12 }), retractionID: nil,
                    reason: nil),
                RecordedChange(
                    kind: .retracted, seq: 13, recordedAt: try instant("2023-02-20T09:00:00Z"),
                    entry: TimelineEntry(
                        id: ids.wrongStatus, seq: 8, occurredAt: occurred("2022-06-01"),
                        event: Events.status("transitions", .delivered)),
                    retractionID: ids.retraction, reason: "recorded in error"),
                RecordedChange(
                    kind: .added, seq: 14, recordedAt: try instant("2023-02-20T09:00:00Z"),
                    entry: TimelineEntry(
                        id: ids.correctStatus, seq: 14, occurredAt: occurred("2022-06-01"),
                        event: Events.status("transitions", .inProgress)),
                    retractionID: nil, reason: nil),
            ])
    }

    @Test func stateDifferencesAndHeadlineFiguresAtBothTimes() throws {
        let store = try ClockedChronicle()
        _ = try history(store)
        let result = DiffReport.compute(try load(store, from: "2023-01-31T23:59:59Z", to: "2023-03-01T00:00:00Z"))
        #expect(result.asOf == day("2022-12-31"))
        #expect(result.collaboratives.map(\.collaborative) == [slug("oldham"), slug("worcs")])
        let oldham = try #require(result.collaboratives.first)
        #expect(
            oldham.members == [
                MemberChange(
                    kind: .removed, member: slug("ol-2"),
                    before: ActiveMember(
                        member: slug("ol-2"), name: nil, erased: false, sector: .primarySchool, organisation: nil,
                        since: day("2021-09-10")),
                    after: nil)
            ])
        #expect(
            oldham.roleHolders == [
                RoleHolderChange(
                    slot: oldhamSlot(.pcfRepresentative), member: slug("ol-2"),
                    before: RoleHolder(member: slug("ol-2"), appointment: .formal, since: day("2021-09-10")), after: nil
                )
            ])
        #expect(
            oldham.subgroupStatuses == [
                SubGroupStatusDifference(
                    subgroup: slug("transitions"), before: .delivered, beforeSince: day("2022-06-01"),
                    after: .inProgress, afterSince: day("2022-06-01"))
            ])
        // The workshop of 2022-10-12: 2 attendees of 3 active members at K1, of 2 at K2 (ol-2 had left).
        #expect(
            oldham.before
                == HeadlineFigures(
                    activeMembers: 3, roleSlots: 2, vacantRoles: 0,
                    subgroupsByStatus: [SubGroupStatusCount(status: .delivered, count: 1)], workshops: 1,
                    meanAttendanceRate: 2.0 / 3.0))
        #expect(
            oldham.after
                == HeadlineFigures(
                    activeMembers: 2, roleSlots: 2, vacantRoles: 1,
                    subgroupsByStatus: [SubGroupStatusCount(status: .inProgress, count: 1)], workshops: 1,
                    meanAttendanceRate: 1.0))
        let worcs = try #require(result.collaboratives.last)
        #expect(worcs.members.map(\.kind) == [.added])
        #expect(worcs.before?.activeMembers == 0)
        #expect(worcs.before?.meanAttendanceRate == nil)
        #expect(worcs.after?.activeMembers == 1)
    }

    @Test func collaborativeFilterKeepsOnlyItsEventsAndState() throws {
        let store = try ClockedChronicle()
        _ = try history(store)
        let input = try load(store, from: "2023-01-31T23:59:59Z", to: "2023-03-01T00:00:00Z")
        let result = DiffReport.compute(input, collaborative: slug("oldham"))
        #expect(result.recorded.map(\.seq) == [11, 13, 14])
        #expect(result.collaboratives.map(\.collaborative) == [slug("oldham")])
    }

    @Test func eventsRecordedAfterK2OrDatedAfterDAreLeftOut() throws {
        let store = try ClockedChronicle()
        _ = try history(store)
        // Up to now: ol-3's leave (seq 16, dated 2022-12-01) counts; ol-4's join (dated 2023-02-01) never does.
        let input = try load(store, from: "2023-01-31T23:59:59Z", to: "2024-01-01T00:00:00Z")
        let result = DiffReport.compute(input, collaborative: slug("oldham"))
        #expect(result.recorded.map(\.seq) == [11, 13, 14, 16])
        #expect(result.collaboratives.first?.members.map(\.member) == [slug("ol-2"), slug("ol-3")])
        #expect(result.collaboratives.first?.after?.activeMembers == 1)
    }

    @Test func sameKnownTimeGivesNoDifference() throws {
        let store = try ClockedChronicle()
        _ = try history(store)
        let result = DiffReport.compute(try load(store, from: "2023-02-16T12:00:00Z", to: "2023-02-16T12:00:00Z"))
        #expect(result.recorded.isEmpty)
        #expect(result.collaboratives.allSatisfy { $0.isEmpty })
    }

    @Test func eventRecordedAndRetractedInsideTheWindowLeavesNothing() throws {
        let store = try ClockedChronicle()
        try store.record(
            at: "2023-01-10T10:00:00Z",
            [("2021-09-01", Events.formed("oldham")), ("2021-09-10", Events.joined("ol-1", "oldham"))])
        let late = try store.record(at: "2023-02-01T10:00:00Z", [("2022-03-01", Events.left("ol-1", "oldham"))])
        try store.record(at: "2023-02-02T10:00:00Z", [("2023-02-02", Events.retract(late[0]))])
        let result = DiffReport.compute(try load(store, from: "2023-01-31T00:00:00Z", to: "2023-03-01T00:00:00Z"))
        #expect(result.recorded.isEmpty)
        #expect(result.collaboratives.allSatisfy { $0.isEmpty })
    }
}
