import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// The stored binary layout: lossless for every event, compact, and safe on damaged bytes.
@Suite struct BinaryPayloadTests {
    /// Every event of a generated history (every type, optional fields present and absent).
    static let events: [DomainEvent] = HistoryGeneratorTests.history.compactMap { bytes in
        guard let line = try? InterchangeLine.parse(bytes) else { return nil }
        return try? EventCodec.decode(type: line.type, schemaVersion: line.schemaVersion, data: line.data)
    }

    static func decode(_ event: DomainEvent, _ payload: [UInt8]) throws(DomainError) -> DomainEvent {
        try EventCodec.decode(type: event.typeName, schemaVersion: 1, storedPayload: payload)
    }

    static let sealedEvents: [DomainEvent] = [
        .memberJoined(
            MemberJoined(
                collaborative: Slug(trusted: "oldham"), member: Slug(trusted: "ol-1"),
                name: .sealed(Array(repeating: 7, count: 40)), sector: .health, organisation: "NHS")),
        .memberLeft(
            MemberLeft(
                collaborative: Slug(trusted: "oldham"), member: Slug(trusted: "ol-1"), reason: .capacity,
                note: .sealed((0..<200).map { UInt8($0) }))),
    ]

    @Test func everyGeneratedEventReadsBackIdenticalFromItsStoredBytes() throws {
        #expect(Self.events.count == HistoryGeneratorTests.history.count)
        #expect(Set(Self.events.map(\.typeName)).count >= 15)
        for event in Self.events + Self.sealedEvents {
            let payload = EventCodec.storedPayload(of: event)
            #expect(BinaryPayload.isBinary(payload))
            #expect(try Self.decode(event, payload) == event)
        }
    }

    @Test func theStoredBytesAreAtMostSixTenthsOfTheJSON() {
        let binary = Self.events.reduce(0) { $0 + EventCodec.storedPayload(of: $1).count }
        let json = Self.events.reduce(0) { $0 + EventCodec.encode($1).count }
        #expect(binary * 10 <= json * 6, "binary \(binary) bytes, JSON \(json) bytes")
    }

    @Test func everyTruncationIsRefusedNamingAField() {
        for event in Self.events.prefix(400) + Self.sealedEvents {
            let payload = EventCodec.storedPayload(of: event)
            for length in 0..<payload.count {
                do {
                    _ = try Self.decode(event, Array(payload.prefix(length)))
                    Issue.record("\(event.typeName) cut to \(length) of \(payload.count) bytes was read")
                } catch {
                    #expect(error.field?.hasPrefix("data") == true || error.kind == .invalidJSON)
                }
            }
        }
    }

    @Test func bytesAfterTheLastFieldAreRefused() {
        for event in Self.events.prefix(200) {
            #expect(throws: DomainError.self) { try Self.decode(event, EventCodec.storedPayload(of: event) + [0]) }
        }
    }

    @Test func anyChangedByteEitherFailsOrReadsAsAValidEvent() throws {
        var random = SeededGenerator(seed: 5)
        for event in Self.events.prefix(300) + Self.sealedEvents {
            var payload = EventCodec.storedPayload(of: event)
            for _ in 0..<20 {
                let position = Int(random.next() % UInt64(payload.count - 1)) + 1
                let original = payload[position]
                payload[position] = UInt8(truncatingIfNeeded: random.next())
                // What decodes must be an event whose JSON reads back as itself: no invalid slug, date or
                // text can come out of damaged bytes.
                if let damaged = try? Self.decode(event, payload) {
                    let json = EventCodec.dataValue(of: damaged)
                    #expect(try EventCodec.decode(type: event.typeName, schemaVersion: 1, data: json) == damaged)
                }
                payload[position] = original
            }
        }
    }

    /// Bytes the writer never produces but damage could: each must be refused, not read as an event the
    /// JSON reader would refuse.
    @Test func aRepeatedAttendeeAPaddedNumberAndOverlongTextAreRefused() throws {
        let workshop = try #require(
            Self.events.first { if case .workshopHeld(let w) = $0, !w.attendees.isEmpty { true } else { false } })
        guard case .workshopHeld(let held) = workshop else { return }
        let first = Array(held.attendees[0].rawValue.utf8)
        let doubled = WorkshopHeld(
            workshop: held.workshop, collaboratives: held.collaboratives, kind: held.kind, mode: held.mode,
            title: held.title, attendees: [held.attendees[0]], guests: held.guests)
        var twice = EventCodec.storedPayload(of: .workshopHeld(doubled))
        // The list's count byte (1) is followed by the attendee: list it twice by rewriting count and body.
        let body = [UInt8(first.count)] + first
        let at = try #require(twice.firstRange(of: [1] + body))
        twice.replaceSubrange(at, with: [2] + body + body)
        #expect(throws: DomainError.self) { try Self.decode(workshop, twice) }

        let left = Self.sealedEvents[1]
        let padded = EventCodec.storedPayload(of: left)
        // `reason` is the byte after the two slugs; the note's length varint follows the kind byte 2. A
        // varint of 200 is [0xC8, 0x01]; written as [0xC8, 0x81, 0x00] it is the same number, padded.
        let lengthAt = try #require(padded.firstRange(of: [2, 0xC8, 0x01])).lowerBound + 1
        var paddedBytes = padded
        paddedBytes.replaceSubrange(lengthAt..<(lengthAt + 2), with: [0xC8, 0x81, 0x00])
        #expect(throws: DomainError.self) { try Self.decode(left, paddedBytes) }

        let long = String(repeating: "é", count: 201)
        let named = DomainEvent.memberJoined(
            MemberJoined(
                collaborative: Slug(trusted: "oldham"), member: Slug(trusted: "ol-1"), name: .plain(long),
                sector: .health))
        #expect(throws: DomainError.self) { try Self.decode(named, EventCodec.storedPayload(of: named)) }
    }

    /// The repeat check compares the stored bytes of each slug with those before it: a repeat anywhere in
    /// the list is refused naming the slug, and slugs that differ in one byte only (first, middle or last,
    /// or in length) all pass.
    @Test func aStoredListRefusesEveryRepeatAndAcceptsSlugsDifferingInOneByte() throws {
        func workshop(_ attendees: [String]) -> DomainEvent {
            .workshopHeld(
                WorkshopHeld(
                    workshop: Slug(trusted: "w1"), collaboratives: [Slug(trusted: "oldham")], kind: .convening,
                    mode: .online, attendees: attendees.map { Slug(trusted: $0) }))
        }
        let nearMisses = ["oldham-m17", "oldham-m71", "oldham-m1", "oldham-m170", "oldham-n17", "pldham-m17", "a"]
        let accepted = workshop(nearMisses)
        #expect(try Self.decode(accepted, EventCodec.storedPayload(of: accepted)) == accepted)
        for (position, slug) in nearMisses.enumerated() {
            for insert in [0, position, position + 1, nearMisses.count] where insert != position {
                var repeated = nearMisses
                repeated.insert(slug, at: insert)
                let event = workshop(repeated)
                do {
                    _ = try Self.decode(event, EventCodec.storedPayload(of: event))
                    Issue.record("\(repeated) was read")
                } catch {
                    #expect(error.description == "data.attendees: stored payload: \(slug) is listed twice")
                }
            }
        }
    }

    /// Only a slug whose bit in the list's 64-bit mask an earlier slug set is compared with those before it:
    /// a list of a hundred, which sets every bit, still refuses a repeat of any of its slugs, first or last.
    @Test func aListLongerThanTheRepeatMaskStillRefusesARepeatOfAnyOfItsSlugs() throws {
        func workshop(_ attendees: [String]) -> DomainEvent {
            .workshopHeld(
                WorkshopHeld(
                    workshop: Slug(trusted: "w1"), collaboratives: [Slug(trusted: "oldham")], kind: .convening,
                    mode: .online, attendees: attendees.map { Slug(trusted: $0) }))
        }
        let distinct = (1...100).map { "oldham-m\($0)" } + (1...9).map { "a\($0)" }
        let accepted = workshop(distinct)
        #expect(try Self.decode(accepted, EventCodec.storedPayload(of: accepted)) == accepted)
        for slug in distinct {
            let event = workshop(distinct + [slug])
            do {
                _ = try Self.decode(event, EventCodec.storedPayload(of: event))
                Issue.record("a repeat of \(slug) was read")
            } catch {
                #expect(error.description == "data.attendees: stored payload: \(slug) is listed twice")
            }
        }
    }

    /// A slug holds `a`…`z`, `0`…`9` and `-` (not first), and no other byte, wherever it stands.
    @Test func aSlugAcceptsExactlyItsBytesInEveryPosition() {
        let allowed = Set(Array("abcdefghijklmnopqrstuvwxyz0123456789-".utf8))
        for byte in UInt8.min...UInt8.max {
            let isAllowed = allowed.contains(byte)
            #expect(Slug.isValid(utf8: [byte]) == (isAllowed && byte != UInt8(ascii: "-")), "byte \(byte) alone")
            #expect(Slug.isValid(utf8: [UInt8(ascii: "a"), byte]) == isAllowed, "byte \(byte) second")
            #expect(
                Slug.isValid(utf8: [UInt8(ascii: "a"), byte, UInt8(ascii: "z")]) == isAllowed, "byte \(byte) inside")
        }
    }

    /// The check of stored bytes, eight at a time, against the byte-by-byte definition: every byte value at
    /// the first, a middle and the last place of slugs of every length up to one past the longest.
    @Test func aStoredSlugIsCheckedEightBytesAtATimeAsByteByByte() {
        for length in 0...(Slug.maximumLength + 1) {
            let base = (0..<length).map { Array("a0-z9m".utf8)[$0 % 6] }
            for place in Set([0, length / 2, length - 1]) where place >= 0 && place < length {
                for byte in UInt8.min...UInt8.max {
                    var bytes = base
                    bytes[place] = byte
                    let stored = bytes.withUnsafeBytes { Slug.isValid(utf8: $0) }
                    #expect(stored == Slug.isValid(utf8: bytes[...]), "length \(length), byte \(byte) at \(place)")
                }
            }
            #expect(
                base.withUnsafeBytes { Slug.isValid(utf8: $0) } == Slug.isValid(utf8: base[...]), "length \(length)")
        }
    }

    /// The present view's fold decodes without attendee lists: every event reads as it does in full but
    /// for `attendees` (`[]`), and a damaged payload is refused with the same error, the lists' included.
    @Test func decodingWithoutAttendeesChecksTheListsAsAlwaysAndLeavesThemOut() throws {
        func withoutAttendees(_ event: DomainEvent) -> DomainEvent {
            switch event {
            case .workshopHeld(let held):
                .workshopHeld(
                    WorkshopHeld(
                        workshop: held.workshop, collaboratives: held.collaboratives, kind: held.kind, mode: held.mode,
                        title: held.title, attendees: [], guests: held.guests))
            case .coachingSessionHeld(let held):
                .coachingSessionHeld(
                    CoachingSessionHeld(
                        collaborative: held.collaborative, subgroup: held.subgroup, kind: held.kind,
                        advisor: held.advisor, attendees: [], minutes: held.minutes))
            default: event
            }
        }
        func outcome(_ type: String, _ payload: [UInt8], keeping: Bool) -> Result<DomainEvent, DomainError> {
            Result { () throws(DomainError) in
                try EventCodec.decode(
                    type: type, schemaVersion: 1, storedPayload: payload, upcasters: .empty, keepingAttendees: keeping)
            }
        }
        var listsLeftOut = 0
        for event in Self.events {
            let payload = EventCodec.storedPayload(of: event)
            #expect(try outcome(event.typeName, payload, keeping: false).get() == withoutAttendees(event))
            if withoutAttendees(event) != event { listsLeftOut += 1 }
        }
        #expect(listsLeftOut > 100)
        let withLists = Self.events.filter { withoutAttendees($0) != $0 }.prefix(40)
        for event in withLists {
            let payload = EventCodec.storedPayload(of: event)
            for index in payload.indices {
                for value: UInt8 in [0, 1, 2, UInt8(ascii: "-"), UInt8(ascii: "a"), 0xFF] where value != payload[index]
                {
                    var damaged = payload
                    damaged[index] = value
                    switch (
                        outcome(event.typeName, damaged, keeping: true),
                        outcome(event.typeName, damaged, keeping: false)
                    ) {
                    case (.success(let full), .success(let folded)):
                        #expect(folded == withoutAttendees(full))
                    case (.failure(let full), .failure(let folded)):
                        #expect(folded.description == full.description)
                    case (let full, let folded):
                        Issue.record("byte \(index) = \(value): \(full) in full, \(folded) without attendees")
                    }
                }
            }
            // A repeated attendee, which only the list's own check finds.
            if case .workshopHeld(let held) = event, let first = held.attendees.first {
                let repeated = DomainEvent.workshopHeld(
                    WorkshopHeld(
                        workshop: held.workshop, collaboratives: held.collaboratives, kind: held.kind, mode: held.mode,
                        title: held.title, attendees: held.attendees + [first], guests: held.guests))
                let payload = EventCodec.storedPayload(of: repeated)
                #expect(throws: DomainError.self) { try outcome(event.typeName, payload, keeping: false).get() }
            }
        }
    }

    /// The codec picks the type by the name's length first: every catalog name must still reach its own
    /// reader (an empty payload then lacks a field rather than naming an unknown type), and a name of a
    /// catalog name's length that is not one is still unknown.
    @Test func everyCatalogTypeNameReachesItsReader() {
        for name in DomainEvent.typeNames {
            do {
                _ = try EventCodec.decode(type: name, schemaVersion: 1, storedPayload: [BinaryPayload.layout])
                Issue.record("\(name) read from no fields")
            } catch {
                #expect(error.kind != .unknownType, "\(name): \(error)")
            }
            let lookalike = String(name.dropLast()) + "x"
            #expect(throws: DomainError(.unknownType, field: "type", message: "unknown event type \"\(lookalike)\"")) {
                try EventCodec.decode(type: lookalike, schemaVersion: 1, storedPayload: [BinaryPayload.layout])
            }
        }
    }

    @Test func aBinaryPayloadInAnOlderSchemaVersionIsRefused() {
        let event = Self.events[0]
        #expect(throws: DomainError.self) {
            try EventCodec.decode(
                type: event.typeName, schemaVersion: 0, storedPayload: EventCodec.storedPayload(of: event))
        }
    }

    @Test func aJSONPayloadOfAnEarlierStoreStillReads() throws {
        for event in Self.events.prefix(300) {
            #expect(try Self.decode(event, EventCodec.encode(event)) == event)
        }
    }

    /// The codes stored for enumeration values, pinned: changing this table breaks every stored payload.
    @Test func enumerationCodesNeverMove() {
        func codes<Value: StoredEnumeration>(_ type: Value.Type) -> [String] { Value.storedOrder.map(\.rawValue) }
        func listsEveryCaseOnce<Value: StoredEnumeration>(_ type: Value.Type) -> Bool {
            Value.storedOrder.count == Value.allCases.count
                && Set(Value.storedOrder.map(\.rawValue)) == Set(Value.allCases.map(\.rawValue))
        }
        #expect(codes(Appointment.self) == ["formal", "self-appointed", "interim"])
        #expect(codes(WorkshopMode.self) == ["in-person", "online"])
        #expect(codes(WorkshopKind.self) == ["launch", "convening", "collaborative", "cross-locality"])
        #expect(codes(Role.self) == ["anchor", "advisor", "subgroup-lead", "pcf-representative"])
        #expect(
            codes(SubGroupStatus.self)
                == ["planned", "in-progress", "delivered", "embedded", "extended", "paused", "stalled", "closed"])
        #expect(
            codes(LeaveReason.self)
                == ["capacity", "relevance", "role-change", "left-organisation", "programme-ended", "other", "unknown"])
        #expect(
            codes(CoachingKind.self)
                == ["one-to-one", "group", "drop-in", "catch-up", "leadership", "admin-support", "consultation"])
        #expect(
            codes(MilestoneKind.self)
                == [
                    "plan-agreed", "terms-of-reference", "pilot-started", "pilot-completed", "service-launched",
                    "expanded", "funding-secured", "evidence-gathered", "handed-over", "other",
                ])
        #expect(
            codes(Sector.self)
                == [
                    "primary-school", "secondary-school", "special-school", "alternative-provision", "virtual-school",
                    "la-education", "la-early-help", "la-send-inclusion", "social-care", "health", "camhs",
                    "educational-psychology", "parent-carer-forum", "voluntary-sector", "programme-staff", "other",
                ])
        #expect(listsEveryCaseOnce(Appointment.self) && listsEveryCaseOnce(WorkshopMode.self))
        #expect(listsEveryCaseOnce(WorkshopKind.self) && listsEveryCaseOnce(Role.self))
        #expect(listsEveryCaseOnce(SubGroupStatus.self) && listsEveryCaseOnce(LeaveReason.self))
        #expect(listsEveryCaseOnce(CoachingKind.self) && listsEveryCaseOnce(MilestoneKind.self))
        #expect(listsEveryCaseOnce(Sector.self))
    }
}
