import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// The present view of a hand-made history recorded in three batches, with late entries and retractions:
/// every figure is written out by hand below, not computed by the code under test.
@Suite struct PresentViewTests {
    /// Batch 1, recorded 2024-01-10 (seq 1…16).
    static let first: [(String, DomainEvent)] = [
        ("2021-09-01", Events.formed("oldham")),
        ("2021-09-15", Events.formed("rochdale", start: "2021-09-15")),
        ("2021-09-01", Events.joined("ol-1", "oldham", sector: .secondarySchool, organisation: "Hathershaw College")),
        ("2021-09-01", Events.joined("ol-2", "oldham", sector: .primarySchool)),
        ("2021-10-01", Events.joined("ol-3", "oldham", sector: .health, organisation: "NHS Oldham")),
        ("2021-10-01", Events.joined("st-1", "oldham", sector: .programmeStaff)),
        ("2021-10-01", Events.joined("ro-1", "rochdale", sector: .socialCare)),
        ("2021-09-10", Events.assigned("ol-1", .anchor, in: "oldham")),
        ("2021-10-01", Events.assigned("st-1", .advisor, in: "oldham")),
        ("2022-01-20", Events.subgroupFormed("transitions", in: "oldham")),
        (
            "2022-02-01",
            Events.assigned("ol-3", .subgroupLead, in: "oldham", subgroup: "transitions", appointment: .selfAppointed)
        ),
        ("2022-03-01", Events.status("transitions", .inProgress)),
        ("2022-03-10", Events.workshop("w1", for: ["oldham", "rochdale"], attendees: ["ol-1", "ro-1"])),
        ("2022-03-15", Events.coaching(in: "oldham", advisor: "st-1", attendees: ["ol-2"])),
        ("2022-06-30", Events.left("ol-2", "oldham")),
        ("2022-09-01", Events.changed("ol-1", organisation: "Oasis Academy")),
    ]

    /// Records the three batches and returns the store and the ids of batch 1.
    private func recorded() throws -> (ClockedChronicle, [UUID]) {
        let store = try ClockedChronicle(checkpointInterval: 1)
        let ids = try store.record(at: "2024-01-10T09:00:00Z", Self.first)
        // Batch 2, seq 17…21: everything dated before 2022-09-01, which is already folded.
        try store.record(
            at: "2024-02-01T09:00:00Z",
            [
                ("2022-05-01", HandMadeLog.milestone("transitions", .planAgreed, "plan agreed")),
                ("2022-08-01", Events.left("ol-3", "oldham")),
                ("2022-04-01", Events.workshop("w2", for: ["oldham"], attendees: ["ol-1"])),
                ("2024-01-31", Events.retract(ids[13])),
                ("2022-07-15", Events.joined("ol-2", "oldham", sector: .laEducation)),
            ])
        // Batch 3, seq 22…25.
        try store.record(
            at: "2024-03-01T09:00:00Z",
            [
                ("2024-02-29", Events.retract(ids[15])),
                ("2023-01-10", Events.status("transitions", .delivered)),
                ("2023-03-01", Events.ended("ol-1", .anchor, in: "oldham")),
                ("2023-03-02", Events.assigned("ol-2", .anchor, in: "oldham", succeeds: "ol-1", appointment: .interim)),
            ])
        return (store, ids)
    }

    private func summary(_ store: ClockedChronicle) throws -> (PresentView, PresentSummary) {
        try store.chronicle.log.read { view in
            let (present, state) = try store.chronicle.reader.presentView(in: view)
            #expect(state == .current)
            return (present, try store.chronicle.reader.summary(of: present, in: view))
        }
    }

    @Test func presentViewOfTheHandMadeHistoryIsTheOneWorkedOutByHand() throws {
        let (store, _) = try recorded()
        let (present, summary) = try summary(store)
        #expect(present.lastSeq == 25)
        #expect(summary.retracted == 2)
        #expect(summary.collaboratives.map(\.collaborative) == [slug("oldham"), slug("rochdale")])
        let oldham = try #require(summary.collaboratives.first)
        #expect(oldham.name == "Oldham" && oldham.anchorOrganisation == "Oldham Council")
        #expect(oldham.formedOn == day("2021-09-01") && oldham.programmeStart == day("2021-09-01"))
        // ol-3 left on 2022-08-01 (late); ol-2 left and re-joined (late) as la-education; ol-1's change of
        // organisation was retracted.
        #expect(
            oldham.members == [
                PresentMember(
                    member: slug("ol-1"), sector: .secondarySchool, organisation: "Hathershaw College", erased: false,
                    since: day("2021-09-01")),
                PresentMember(
                    member: slug("ol-2"), sector: .laEducation, organisation: nil, erased: false,
                    since: day("2022-07-15")),
                PresentMember(
                    member: slug("st-1"), sector: .programmeStaff, organisation: nil, erased: false,
                    since: day("2021-10-01")),
            ])
        #expect(
            oldham.membersBySector == [
                SectorCount(sector: .secondarySchool, count: 1), SectorCount(sector: .laEducation, count: 1),
                SectorCount(sector: .programmeStaff, count: 1),
            ])
        #expect(
            oldham.roles == [
                RoleSlotHolders(
                    slot: RoleSlot(collaborative: slug("oldham"), role: .anchor, subgroup: nil),
                    holders: [RoleHolder(member: slug("ol-2"), appointment: .interim, since: day("2023-03-02"))]),
                RoleSlotHolders(
                    slot: RoleSlot(collaborative: slug("oldham"), role: .advisor, subgroup: nil),
                    holders: [RoleHolder(member: slug("st-1"), appointment: .formal, since: day("2021-10-01"))]),
                // ol-3's self-appointed lead ended when they left.
                RoleSlotHolders(
                    slot: RoleSlot(collaborative: slug("oldham"), role: .subgroupLead, subgroup: slug("transitions")),
                    holders: []),
            ])
        #expect(
            oldham.vacantRoleSlots == [
                RoleSlot(collaborative: slug("oldham"), role: .subgroupLead, subgroup: slug("transitions"))
            ])
        #expect(
            oldham.subgroups == [
                PresentSubGroup(
                    subgroup: slug("transitions"), title: "transitions", formedOn: day("2022-01-20"),
                    status: .delivered, statusSince: day("2023-01-10"), lastChange: day("2023-01-10"), milestones: 1)
            ])
        #expect(oldham.subgroupsByStatus == [SubGroupStatusCount(status: .delivered, count: 1)])
        #expect(oldham.workshops == 2 && oldham.coachingSessions == 0)

        let rochdale = try #require(summary.collaboratives.last)
        #expect(rochdale.formedOn == day("2021-09-15"))
        #expect(rochdale.members.map(\.member) == [slug("ro-1")] && rochdale.members.first?.sector == .socialCare)
        #expect(rochdale.roles.isEmpty && rochdale.subgroups.isEmpty)
        #expect(rochdale.workshops == 1 && rochdale.coachingSessions == 0)
    }

    @Test func presentViewAfterTheFirstBatchIsTheOneWorkedOutByHand() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        try store.record(at: "2024-01-10T09:00:00Z", Self.first)
        let (_, summary) = try summary(store)
        let oldham = try #require(summary.collaboratives.first)
        #expect(oldham.members.map(\.member.rawValue) == ["ol-1", "ol-3", "st-1"])
        #expect(oldham.members.first?.organisation == "Oasis Academy")
        #expect(oldham.roles.map(\.holders.count) == [1, 1, 1])
        #expect(oldham.subgroups.map(\.status) == [.inProgress])
        #expect(oldham.subgroups.first?.lastChange == day("2022-03-01"))
        #expect(oldham.workshops == 1 && oldham.coachingSessions == 1)
    }

    @Test func presentViewAgreesWithReplayOnTheLatestDay() throws {
        let (store, _) = try recorded()
        let (_, summary) = try summary(store)
        let view = try HistoryView.load(
            from: store.chronicle.reader, asOf: day("2030-01-01"), knownAt: Timestamp(microsecondsSinceEpoch: .max))
        for collaborative in summary.collaboratives {
            let replay = ReplayReport.compute(view: view, collaborative: collaborative.collaborative)
            #expect(collaborative.members.map(\.member) == replay.members.map(\.member))
            #expect(collaborative.members.map(\.sector) == replay.members.map(\.sector))
            #expect(collaborative.members.map(\.organisation) == replay.members.map(\.organisation))
            #expect(collaborative.members.map(\.since) == replay.members.map(\.since))
            #expect(collaborative.roles == replay.roles)
            #expect(collaborative.subgroups.map(\.status) == replay.subgroups.map(\.status))
        }
    }

    @Test func encodingRoundTripsAndIsStable() throws {
        let (store, _) = try recorded()
        let (present, _) = try summary(store)
        let bytes = present.encoded()
        #expect(try PresentView(decoding: bytes) == present)
        #expect(try PresentView(decoding: bytes).encoded() == bytes)
        #expect(present.digest == ProjectionDigest(of: bytes))
        #expect(present.digest.description.count == 64)
    }

    @Test func damagedEncodingsAreRefusedNotMisread() throws {
        let (store, _) = try recorded()
        let (present, _) = try summary(store)
        let bytes = present.encoded()
        #expect(throws: PresentViewDecodingError.self) { try PresentView(decoding: Array(bytes.dropLast())) }
        #expect(throws: PresentViewDecodingError.self) { try PresentView(decoding: bytes + [0]) }
        // Versions 1 (slugs as text at every use) and 2 (the symbol table first), and any later version, are
        // refused, not read as version 3.
        for version: UInt8 in [1, 2, 4] {
            #expect(throws: PresentViewDecodingError.self) { try PresentView(decoding: [version] + bytes.dropFirst()) }
        }
        #expect(throws: PresentViewDecodingError.self) { try PresentView(decoding: []) }
    }

    @Test func encodingStatesEachSlugOnceAndRoundTripsInstantsAroundMidnight() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        // Instants whose London day starts before their UTC one (the sort key lies before that day's UTC
        // midnight) and after it, besides events dated by their day.
        try store.record(
            at: "2024-01-10T09:00:00Z",
            [
                ("2021-09-01", Events.formed("oldham")),
                ("2021-09-02T00:30:00+01:00", Events.joined("a-member-with-a-long-slug", "oldham", sector: .health)),
                ("2021-12-31T23:59:59Z", Events.changed("a-member-with-a-long-slug", organisation: "NHS")),
                ("2022-01-01", Events.joined("ol-2", "oldham", sector: .primarySchool)),
            ])
        let (present, _) = try summary(store)
        let bytes = present.encoded()
        #expect(try PresentView(decoding: bytes) == present)
        #expect(try PresentView(decoding: bytes).encoded() == bytes)
        let long = Array("a-member-with-a-long-slug".utf8)
        let occurrences = (0...(bytes.count - long.count)).filter { Array(bytes[$0..<$0 + long.count]) == long }
        #expect(occurrences.count == 1, "the member's slug is in the symbol table only")
    }

    @Test func varintsAndZigZaggedValuesRoundTripAtTheirExtremes() throws {
        let unsigned: [UInt64] = [0, 1, 127, 128, 16_383, 16_384, UInt64(UInt32.max), .max - 1, .max]
        let signed: [Int64] = [0, -1, 1, -64, 64, .min, .min + 1, .max, .max - 1]
        var writer = BinaryWriter()
        for value in unsigned { writer.varint(value) }
        for value in signed { writer.signed(value) }
        var reader = BinaryReader(bytes: writer.buffer)
        #expect(try unsigned.map { _ in try reader.varint() } == unsigned)
        #expect(try signed.map { _ in try reader.signed() } == signed)
        #expect(reader.isAtEnd)
        // Eleven bytes, or a tenth byte above 1, would not fit in 64 bits: refused, not wrapped.
        var tooLong = BinaryReader(bytes: [UInt8](repeating: 0xff, count: 9) + [0x02])
        #expect(throws: PresentViewDecodingError.self) { try tooLong.varint() }
    }

    @Test func aMarkWhoseDayNoStoredDayCanHoldIsRefused() throws {
        // One mark at seq 5 on day Int32.max: its midnight in microseconds would not fit in 64 bits.
        var writer = BinaryWriter()
        writer.varint(1)
        writer.varint(5)
        writer.signed(Int64(Int32.max))
        writer.signed(0)
        writer.varint(0)
        var reader = BinaryReader(bytes: writer.buffer)
        #expect(throws: PresentViewDecodingError.self) { try reader.marks { try $0.varint() } }
    }

    @Test func aMarkOfAOneByteValueTakesTwentyFourBytes() {
        #expect(MemoryLayout<TimelineMarks<Bool>.Mark>.stride == 24)
        #expect(MemoryLayout<TimelineMarks<DetailsMark>.Mark>.stride == 24)
        #expect(MemoryLayout<TimelineMarks<Appointment?>.Mark>.stride == 24)
        #expect(MemoryLayout<TimelineMarks<SubGroupStatus>.Mark>.stride == 24)
    }
}
