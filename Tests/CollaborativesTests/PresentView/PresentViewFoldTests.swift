import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// A log folded by hand into a present view, without a store: each event gets the next `seq`, and a
/// retraction brings its target, as ``EventDecoder/recordedEntry(of:in:)`` does.
private struct FoldedLog {
    var present = PresentView.empty
    var entries: [UUID: TimelineEntry] = [:]
    var organisations: [UInt64: String] = [:]

    @discardableResult
    mutating func add(_ date: String, _ event: DomainEvent, id: UUID = UUID()) -> UUID {
        let seq = present.lastSeq + 1
        let entry = TimelineEntry(id: id, seq: seq, occurredAt: occurred(date), event: event)
        var target: TimelineEntry?
        if case .eventRetracted(let retraction) = event { target = entries[retraction.event] }
        entries[id] = entry
        switch event {
        case .memberJoined(let joined): organisations[seq] = joined.organisation?.plainText
        case .memberDetailsChanged(let changed): organisations[seq] = changed.organisation?.plainText
        default: break
        }
        present.apply(RecordedEntry(seq: seq, hash: .genesis, entry: entry, retracted: target))
        return id
    }

    /// The summary's only collaborative.
    func oldham() throws -> PresentCollaborative {
        let summary = present.summary { organisations[$0] }
        return try #require(summary.collaboratives.first { $0.collaborative == slug("oldham") })
    }

    static func formed() -> FoldedLog {
        var log = FoldedLog()
        log.add("2021-01-01", Events.formed("oldham", start: "2021-01-01"))
        return log
    }
}

/// How single events, late ones and retractions change the present view.
@Suite struct PresentViewFoldTests {
    @Test func lateEventsTakeTheirPlaceOnTheTimelineNotInTheOrderFolded() throws {
        var log = FoldedLog.formed()
        log.add("2021-02-01", Events.joined("ol-1", "oldham"))
        log.add("2023-01-01", Events.left("ol-1", "oldham"))
        // Recorded late: a leave and re-join in 2022, before the 2023 leave. The last event folded is a join,
        // yet on the timeline the member left last.
        log.add("2022-01-01", Events.left("ol-1", "oldham"))
        log.add("2022-02-01", Events.joined("ol-1", "oldham"))
        #expect(try log.oldham().members.isEmpty)
    }

    @Test func theLatestDetailsOnTheTimelineWinAndARetractionRestoresTheEarlierOnes() throws {
        var log = FoldedLog.formed()
        log.add("2021-02-01", Events.joined("ol-1", "oldham", sector: .primarySchool, organisation: "A"))
        let latest = log.add("2023-01-01", Events.changed("ol-1", sector: .health))
        log.add("2022-01-01", Events.changed("ol-1", sector: .socialCare, organisation: "B"))
        #expect(try log.oldham().members.map(\.sector) == [.health])
        #expect(try log.oldham().members.map(\.organisation) == ["B"])
        log.add("2024-01-01", Events.retract(latest))
        #expect(try log.oldham().members.map(\.sector) == [.socialCare])
    }

    @Test func aRetractedJoinTakesTheMemberAndTheirDetailsOut() throws {
        var log = FoldedLog.formed()
        let joined = log.add("2021-02-01", Events.joined("ol-1", "oldham", sector: .health))
        log.add("2021-03-01", Events.workshop("w1", for: ["oldham"], attendees: ["ol-1"]))
        log.add("2024-01-01", Events.retract(joined))
        let oldham = try log.oldham()
        #expect(oldham.members.isEmpty && oldham.workshops == 1)
        #expect(log.present.members.isEmpty && log.present.memberships.isEmpty)
        #expect(log.present.retractedCount == 1)
    }

    @Test func retractingWorkshopsAndSessionsTakesBackTheirCounts() throws {
        var log = FoldedLog.formed()
        log.add("2021-01-01", Events.formed("rochdale", start: "2021-01-01"))
        log.add("2021-02-01", Events.joined("st-1", "oldham", sector: .programmeStaff))
        let workshop = log.add("2021-03-01", Events.workshop("w1", for: ["oldham", "rochdale"], attendees: []))
        let session = log.add("2021-03-02", Events.coaching(in: "oldham", advisor: "st-1", attendees: []))
        #expect(try log.oldham().workshops == 1 && log.oldham().coachingSessions == 1)
        log.add("2024-01-01", Events.retract(workshop))
        log.add("2024-01-01", Events.retract(session))
        #expect(try log.oldham().workshops == 0 && log.oldham().coachingSessions == 0)
        #expect(log.present.summary { _ in nil }.collaboratives.map(\.workshops) == [0, 0])
    }

    @Test func aRetractionRecordedBeforeItsTargetKeepsTheTargetOut() throws {
        var log = FoldedLog.formed()
        let id = UUID()
        log.add("2024-01-01", Events.retract(id))
        log.add("2021-03-01", Events.workshop("w1", for: ["oldham"], attendees: []), id: id)
        #expect(try log.oldham().workshops == 0)
        // Retracting it again changes nothing more.
        log.add("2024-01-02", Events.retract(id))
        #expect(try log.oldham().workshops == 0)
    }

    @Test func leavingEndsEveryRoleHeldAndReJoiningDoesNotGiveItBack() throws {
        var log = FoldedLog.formed()
        log.add("2021-02-01", Events.joined("ol-1", "oldham"))
        log.add("2021-02-02", Events.assigned("ol-1", .anchor, in: "oldham"))
        log.add("2022-01-01", Events.left("ol-1", "oldham"))
        log.add("2022-02-01", Events.joined("ol-1", "oldham"))
        let oldham = try log.oldham()
        #expect(oldham.members.map(\.since) == [day("2022-02-01")])
        #expect(oldham.vacantRoleSlots == [RoleSlot(collaborative: slug("oldham"), role: .anchor, subgroup: nil)])
    }

    @Test func erasureHidesTheOrganisationAndKeepsTheSector() throws {
        var log = FoldedLog.formed()
        log.add("2021-02-01", Events.joined("ol-1", "oldham", sector: .camhs, organisation: "Clinic"))
        log.add("2022-01-01", Events.erased("ol-1"))
        let member = try #require(try log.oldham().members.first)
        #expect(member.erased && member.organisation == nil && member.sector == .camhs)
    }

    @Test func aSubGroupsLastChangeIsItsLatestStatusChangeOrMilestoneNotARedefinition() throws {
        var log = FoldedLog.formed()
        log.add("2021-02-01", Events.subgroupFormed("transitions", in: "oldham"))
        log.add("2021-05-01", HandMadeLog.milestone("transitions", .pilotStarted, "pilot"))
        log.add("2021-04-01", Events.status("transitions", .inProgress))
        log.add("2021-09-01", HandMadeLog.redefined("transitions", title: "Transitions 2"))
        let subgroup = try #require(try log.oldham().subgroups.first)
        #expect(subgroup.status == .inProgress && subgroup.statusSince == day("2021-04-01"))
        #expect(subgroup.lastChange == day("2021-05-01") && subgroup.title == "Transitions 2")
        #expect(subgroup.milestones == 1)
    }

    @Test func foldingAnEventTwiceCountsItOnce() throws {
        var log = FoldedLog.formed()
        let entry = TimelineEntry(
            id: UUID(), seq: 2, occurredAt: occurred("2021-03-01"),
            event: Events.workshop("w1", for: ["oldham"], attendees: []))
        log.present.apply(RecordedEntry(seq: 2, hash: .genesis, entry: entry))
        log.present.apply(RecordedEntry(seq: 2, hash: .genesis, entry: entry))
        #expect(try log.oldham().workshops == 1)
    }

    @Test func anEmptyLogHasAnEmptyViewWithAStableDigest() throws {
        #expect(PresentView.empty.summary { _ in nil }.collaboratives.isEmpty)
        #expect(try PresentView(decoding: PresentView.empty.encoded()) == .empty)
        #expect(PresentView.empty.digest == PresentView().digest)
    }
}
