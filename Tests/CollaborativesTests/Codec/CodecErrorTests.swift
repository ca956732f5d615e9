import Testing

@testable import Collaboratives

@Suite struct CodecErrorTests {
    /// Decodes `json` as `type` v1 and returns the error, if any.
    private func error(_ type: String, _ json: String, version: Int = 1) -> DomainError? {
        do {
            _ = try EventCodec.decode(type: type, schemaVersion: version, data: Array(json.utf8))
            return nil
        } catch {
            return error
        }
    }

    private let joined = #""collaborative":"oldham","member":"ol-17","sector":"health""#
    private let workshop = #""workshop":"w1","collaboratives":["oldham"],"kind":"convening","mode":"online""#

    @Test func anUnknownTypeIsNamedAtTheTypeField() {
        let error = error("MemberJoinedd", "{}")
        #expect(error?.kind == .unknownType)
        #expect(error?.field == "type")
        #expect(error?.description.hasPrefix(#"type: unknown event type "MemberJoinedd""#) == true)
    }

    @Test func anUnsupportedSchemaVersionIsNamed() {
        #expect(error("MemberJoined", "{\(joined)}", version: 2)?.field == "schemaVersion")
        #expect(error("MemberJoined", "{\(joined)}", version: 0)?.kind == .unsupportedSchemaVersion)
        #expect(
            error("MemberJoined", "{\(joined)}", version: 2)?.description
                == "schemaVersion: schemaVersion 2 of MemberJoined is newer than this build reads (latest 1)")
    }

    @Test(arguments: ["[]", "\"x\"", "3", "null"])
    func dataThatIsNotAnObjectIsRefused(_ json: String) {
        let error = error("MemberJoined", json)
        #expect(error?.kind == .notAnObject)
        #expect(error?.field == "data")
    }

    @Test func invalidJSONGivesTheByteOffset() {
        let error = error("MemberJoined", #"{"member":}"#)
        #expect(error?.description == "data: invalid JSON at byte 10: unexpected character")
    }

    @Test func anUnknownFieldIsNamedWithItsPath() {
        let error = error("MemberJoined", #"{\#(joined),"colour":"red"}"#)
        #expect(error?.kind == .unknownField)
        #expect(error?.field == "data.colour")
        #expect(error?.description.hasPrefix("data.colour: unknown field") == true)
    }

    @Test func anUnknownFieldWithAStrangeNameIsQuoted() {
        #expect(error("MemberJoined", #"{\#(joined),"a b\n":1}"#)?.field == #"data["a b\n"]"#)
    }

    @Test func aMissingRequiredFieldIsNamed() {
        let error = error("MemberJoined", #"{"collaborative":"oldham","member":"ol-17"}"#)
        #expect(error?.description == "data.sector: missing required field")
    }

    @Test(arguments: [
        ("MemberJoined", #"{"collaborative":"oldham","member":17,"sector":"health"}"#, "data.member"),
        ("MemberJoined", #"{"collaborative":"oldham","member":"ol-17","sector":"health","name":null}"#, "data.name"),
        (
            "WorkshopHeld",
            #"{"workshop":"w1","collaboratives":"oldham","kind":"convening","mode":"online","attendees":[]}"#,
            "data.collaboratives"
        ),
        (
            "WorkshopHeld",
            #"{"workshop":"w1","collaboratives":["oldham"],"kind":"convening","mode":"online","attendees":["a",2]}"#,
            "data.attendees[1]"
        ),
        (
            "WorkshopHeld",
            #"{"workshop":"w1","collaboratives":["oldham"],"kind":"convening","mode":"online","attendees":[],"guests":"3"}"#,
            "data.guests"
        ),
        (
            "WorkshopHeld",
            #"{"workshop":"w1","collaboratives":["oldham"],"kind":"convening","mode":"online","attendees":[],"guests":1.5}"#,
            "data.guests"
        ),
        ("EventRetracted", #"{"event":true,"reason":"x"}"#, "data.event"),
    ])
    func aFieldOfTheWrongJSONTypeIsNamed(_ type: String, _ json: String, _ field: String) {
        let error = error(type, json)
        #expect(error?.kind == .wrongType)
        #expect(error?.field == field)
    }

    @Test func aValueOutsideAClosedEnumerationListsTheAllowedValues() {
        let error = error("MemberLeft", #"{"collaborative":"oldham","member":"ol-17","reason":"bored"}"#)
        #expect(error?.kind == .valueNotAllowed)
        #expect(
            error?.description
                == #"data.reason: value "bored" is not allowed (allowed: capacity, relevance, role-change, "#
                + "left-organisation, programme-ended, other, unknown)")
    }

    @Test(arguments: [
        (#"{"collaborative":"Oldham","member":"ol-17","sector":"health"}"#, "data.collaborative"),
        (#"{"collaborative":"oldham","member":"-ol","sector":"health"}"#, "data.member"),
        (#"{"collaborative":"oldham","member":"ol_17","sector":"health"}"#, "data.member"),
        (#"{"collaborative":"oldham","member":"","sector":"health"}"#, "data.member"),
        (
            #"{"collaborative":"\#(String(repeating: "a", count: 65))","member":"ol","sector":"health"}"#,
            "data.collaborative"
        ),
    ])
    func aBadSlugIsNamed(_ json: String, _ field: String) {
        let error = error("MemberJoined", json)
        #expect(error?.kind == .invalidSlug)
        #expect(error?.field == field)
    }

    @Test func aSlugOfSixtyFourCharactersIsAccepted() {
        let long = String(repeating: "a", count: 64)
        #expect(error("MemberJoined", #"{"collaborative":"\#(long)","member":"ol","sector":"health"}"#) == nil)
    }

    @Test func aBadSlugInAListIsNamedByPosition() {
        let error = error("WorkshopHeld", #"{\#(workshop),"attendees":["ol-1","OL-2"]}"#)
        #expect(error?.field == "data.attendees[1]")
        #expect(error?.kind == .invalidSlug)
    }

    @Test func aBadDateIsNamed() {
        let error = error(
            "CollaborativeFormed",
            #"{"collaborative":"oldham","name":"Oldham","anchorOrganisation":"OC","programmeStart":"2021-02-30"}"#)
        #expect(error?.kind == .invalidDate)
        #expect(error?.description == #"data.programmeStart: "2021-02-30" is not a valid YYYY-MM-DD date"#)
    }

    @Test func aNegativeCountIsNamed() {
        let error = error("SurveyWaveClosed", #"{"collaborative":"oldham","wave":"2023","invited":44,"responded":-1}"#)
        #expect(error?.kind == .negativeCount)
        #expect(error?.field == "data.responded")
    }

    @Test func aDuplicateInAListIsNamedAtItsSecondOccurrence() {
        let error = error("WorkshopHeld", #"{\#(workshop),"attendees":["ol-1","ol-2","ol-1"]}"#)
        #expect(error?.kind == .duplicateInList)
        #expect(error?.description == "data.attendees[2]: ol-1 is listed twice")
    }

    /// Short lists are scanned, long ones go through a set: either way the first repeat is named, and a list
    /// without one is accepted.
    @Test(arguments: [3, 16, 17, 60]) func aRepeatInAListOfAnyLengthIsNamedAndDistinctOnesPass(count: Int) {
        let distinct = (0..<count).map { "\"ol-\($0)\"" }
        #expect(error("WorkshopHeld", #"{\#(workshop),"attendees":[\#(distinct.joined(separator: ","))]}"#) == nil)
        let repeated = distinct + [distinct[count / 2], distinct[0]]
        let error = error("WorkshopHeld", #"{\#(workshop),"attendees":[\#(repeated.joined(separator: ","))]}"#)
        #expect(error?.kind == .duplicateInList)
        #expect(error?.description == "data.attendees[\(count)]: ol-\(count / 2) is listed twice")
    }

    @Test func anEmptyCollaborativesListIsRefused() {
        let error = error(
            "WorkshopHeld", #"{"workshop":"w1","collaboratives":[],"kind":"convening","mode":"online","attendees":[]}"#)
        #expect(error?.kind == .emptyList)
        #expect(error?.field == "data.collaboratives")
    }

    @Test func anEmptyCoachingAttendeeListIsAccepted() {
        let json = #"{"collaborative":"oldham","kind":"drop-in","advisor":"staff-1","attendees":[]}"#
        #expect(error("CoachingSessionHeld", json) == nil)
    }

    @Test(arguments: ["RoleAssigned", "RoleEnded"])
    func aSubgroupLeadWithoutASubgroupIsRefused(_ type: String) {
        let json =
            type == "RoleAssigned"
            ? #"{"collaborative":"oldham","role":"subgroup-lead","member":"ol-1","appointment":"formal"}"#
            : #"{"collaborative":"oldham","role":"subgroup-lead","member":"ol-1"}"#
        let error = error(type, json)
        #expect(error?.kind == .missingSubgroup)
        #expect(error?.description == "data.subgroup: required when role is subgroup-lead")
    }

    @Test func aMalformedEventIDIsNamed() {
        let error = error("EventRetracted", #"{"event":"3f1c","reason":"x"}"#)
        #expect(error?.kind == .invalidIdentifier)
        #expect(error?.field == "data.event")
    }

    @Test func messagesStayOnOneLineWhateverTheInput() {
        let error = error("MemberLeft", #"{"collaborative":"oldham","member":"ol-17","reason":"a\nb\u2028c"}"#)
        #expect(error?.description.contains("\n") == false)
        #expect(error?.description.contains(#""a\nb"#) == true)
    }

    /// The optional `data` fields of each type, as marked `?` in EVENTS.md.
    private static let optionalFields: [String: Set<String>] = [
        "MemberJoined": ["name", "organisation"], "MemberDetailsChanged": ["name", "sector", "organisation"],
        "MemberLeft": ["note"], "RoleAssigned": ["subgroup", "succeeds"], "RoleEnded": ["subgroup", "reason"],
        "SubGroupMemberLeft": ["reason"], "SubGroupRedefined": ["title"], "SubGroupStatusChanged": ["note"],
        "MilestoneReached": ["note"], "WorkshopHeld": ["title", "guests"],
        "CoachingSessionHeld": ["subgroup", "minutes"],
    ]

    @Test(arguments: CodecRoundTripTests.samples)
    func everyFieldIsRequiredOrOptionalAsInTheCatalog(_ event: DomainEvent) throws {
        guard case .object(let complete) = EventCodec.dataValue(of: event) else {
            Issue.record("data is not an object")
            return
        }
        let optional = Self.optionalFields[event.typeName, default: []]
        let isSubgroupLead = complete["role"] == .string("subgroup-lead")
        for field in complete.keys {
            var data = complete
            data[field] = nil
            let error = error(event.typeName, String(decoding: JSONValue.object(data).canonicalBytes, as: UTF8.self))
            if field == "subgroup", isSubgroupLead {
                #expect(error?.kind == .missingSubgroup)
            } else if optional.contains(field) {
                #expect(error == nil, "\(event.typeName).\(field) is optional")
            } else {
                #expect(error?.kind == .missingField, "\(event.typeName).\(field) is required")
                #expect(error?.field == "data.\(field)")
            }
        }
    }
}
