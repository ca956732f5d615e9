import Foundation
import Testing

@testable import Collaboratives

@Suite struct CodecRoundTripTests {
    /// One event of every type, with every optional field present, and again with none.
    static let samples: [DomainEvent] = [
        Events.formed("oldham"),
        Events.joined("ol-17", "oldham", name: "Ada \"Al\" O'Neil", organisation: "Hathershaw College / Ærø"),
        Events.joined("ol-18", "oldham", sector: .parentCarerForum),
        Events.changed("ol-17", name: "Ada", sector: .laSENDInclusion, organisation: "Oldham Council"),
        Events.changed("ol-17"),
        .memberLeft(
            MemberLeft(collaborative: slug("oldham"), member: slug("ol-17"), reason: .roleChange, note: "head")),
        Events.left("ol-17", "oldham", reason: .unknown),
        Events.assigned("ol-17", .subgroupLead, in: "oldham", subgroup: "transitions", succeeds: "ol-2"),
        Events.assigned("ol-17", .anchor, in: "oldham", appointment: .selfAppointed),
        .roleEnded(
            RoleEnded(
                collaborative: slug("oldham"), role: .subgroupLead, subgroup: slug("transitions"),
                member: slug("ol-17"),
                reason: "stepped down")),
        Events.ended("ol-17", .pcfRepresentative, in: "oldham"),
        Events.subgroupFormed("transitions", in: "oldham"),
        Events.subgroupJoined("ol-17", "transitions"),
        .subGroupMemberLeft(SubGroupMemberLeft(subgroup: slug("transitions"), member: slug("ol-17"), reason: "busy")),
        Events.subgroupLeft("ol-17", "transitions"),
        .subGroupRedefined(
            SubGroupRedefined(subgroup: slug("transitions"), title: "Y6-7", aim: "new", reason: "scope")),
        .subGroupRedefined(SubGroupRedefined(subgroup: slug("transitions"), aim: "new", reason: "scope")),
        .subGroupStatusChanged(SubGroupStatusChanged(subgroup: slug("transitions"), status: .inProgress, note: "ok")),
        Events.status("transitions", .closed),
        .milestoneReached(
            MilestoneReached(subgroup: slug("transitions"), kind: .pilotStarted, title: "Pilot", note: "6 schools")),
        .milestoneReached(MilestoneReached(subgroup: slug("transitions"), kind: .other, title: "Other")),
        .workshopHeld(
            WorkshopHeld(
                workshop: slug("x-2023"), collaboratives: [slug("oldham"), slug("worcestershire")],
                kind: .crossLocality, mode: .online, title: "Cross-locality", attendees: [slug("ol-1")], guests: 3)),
        Events.workshop("w1", for: ["oldham"], attendees: []),
        .coachingSessionHeld(
            CoachingSessionHeld(
                collaborative: slug("oldham"), subgroup: slug("transitions"), kind: .adminSupport,
                advisor: slug("staff-1"), attendees: [slug("ol-1"), slug("ol-2")], minutes: 45)),
        Events.coaching(in: "oldham", advisor: "staff-1", attendees: []),
        Events.survey(in: "oldham"),
        Events.retract(UUID(uuid: (0x3F, 0x1C, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 1))),
        Events.erased("ol-17"),
    ]

    @Test func everyCatalogTypeHasASample() {
        #expect(Set(Self.samples.map(\.typeName)) == Set(DomainEvent.typeNames))
        #expect(DomainEvent.typeNames.count == 17)
    }

    @Test(arguments: CodecRoundTripTests.samples)
    func encodingIsCanonicalAndRoundTripsByteForByte(_ event: DomainEvent) throws {
        let bytes = EventCodec.encode(event)
        let decoded = try EventCodec.decode(type: event.typeName, schemaVersion: 1, data: bytes)
        #expect(decoded == event)
        #expect(EventCodec.encode(decoded) == bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains(" :") && !text.contains(": ") && !text.contains("\\/") && !text.contains("null"))
    }

    @Test func canonicalJSONSortsKeysAndLeavesOutAbsentFields() {
        let text = String(
            decoding: EventCodec.encode(
                Events.joined("ol-17", "oldham", organisation: "Hathershaw College / Ærø")),
            as: UTF8.self)
        #expect(
            text
                == #"{"collaborative":"oldham","member":"ol-17","organisation":"Hathershaw College / Ærø","sector":"secondary-school"}"#
        )
    }

    @Test func nonCanonicalInputIsWrittenBackCanonically() throws {
        let input = #" { "sector" : "health", "member":"ol-5" ,"collaborative":"oldham", "name":"A\/B \u00e9\n" } "#
        let event = try EventCodec.decode(type: "MemberJoined", schemaVersion: 1, data: Array(input.utf8))
        let text = String(decoding: EventCodec.encode(event), as: UTF8.self)
        #expect(text == #"{"collaborative":"oldham","member":"ol-5","name":"A/B é\n","sector":"health"}"#)
    }

    @Test func retractionIDsAreWrittenInLowerCase() throws {
        let input = #"{"event":"3F1C0000-0000-4000-8000-000000000001","reason":"typo"}"#
        let event = try EventCodec.decode(type: "EventRetracted", schemaVersion: 1, data: Array(input.utf8))
        #expect(
            String(decoding: EventCodec.encode(event), as: UTF8.self)
                == #"{"event":"3f1c0000-0000-4000-8000-000000000001","reason":"typo"}"#)
    }

    @Test(arguments: [
        (Events.formed("oldham"), "collaborative-oldham"),
        (Events.joined("ol-1", "oldham"), "collaborative-oldham"),
        (Events.left("ol-1", "oldham"), "collaborative-oldham"),
        (Events.assigned("ol-1", .anchor, in: "oldham"), "collaborative-oldham"),
        (Events.ended("ol-1", .anchor, in: "oldham"), "collaborative-oldham"),
        (Events.subgroupFormed("transitions", in: "oldham"), "collaborative-oldham"),
        (Events.coaching(in: "oldham", advisor: "staff-1", attendees: []), "collaborative-oldham"),
        (Events.survey(in: "oldham"), "collaborative-oldham"),
        (Events.changed("ol-1", name: "A"), "member-ol-1"),
        (Events.erased("ol-1"), "member-ol-1"),
        (Events.subgroupJoined("ol-1", "transitions"), "subgroup-transitions"),
        (Events.subgroupLeft("ol-1", "transitions"), "subgroup-transitions"),
        (Events.status("transitions", .delivered), "subgroup-transitions"),
        (Events.workshop("w1", for: ["oldham", "worcs"], attendees: []), "workshop-w1"),
        (Events.retract(UUID()), "retractions"),
    ])
    func eachEventBelongsToTheStreamOfItsAggregate(_ event: DomainEvent, _ stream: String) {
        #expect(event.stream == stream)
    }
}
