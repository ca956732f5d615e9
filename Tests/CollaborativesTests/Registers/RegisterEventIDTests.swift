import Foundation
import Testing

@testable import Collaboratives

/// Register event ids: name-based, SHA-256, version 8 (RFC 9562, §B.2).
@Suite struct RegisterEventIDTests {
    @Test func theIdOfAKeyIsFixedByTheDocumentedAlgorithm() {
        // Computed independently: SHA-256(namespace bytes ‖ key), first 16 bytes, version 8, variant 10.
        let id = RegisterEventID.id(forKey: "register|workshop|ol-ws-07|2023-10-12")
        #expect(id.uuidString.lowercased() == "43edd2e0-2b70-89a0-afac-260ba30099f1")
    }

    @Test func differentKeysGiveDifferentIdsOfVersion8() {
        let first = RegisterEventID.id(forKey: RegisterEventID.workshopKey(slug("ol-ws-07"), on: day("2023-10-12")))
        let second = RegisterEventID.id(forKey: RegisterEventID.workshopKey(slug("ol-ws-07"), on: day("2023-10-13")))
        #expect(first != second)
        for id in [first, second] {
            #expect(id.uuid.6 >> 4 == 8)
            #expect(id.uuid.8 >> 6 == 0b10)
        }
    }

    @Test func coachingKeysNameTheCollaborativeTheAdvisorAndForAOneToOneTheMember() {
        let session = RegisterEventID.coachingSessionKey(
            collaborative: slug("oldham"), advisor: slug("staff-1"), session: "Drop-in", on: day("2023-10-12"))
        #expect(session == "register|coaching-session|oldham|staff-1|Drop-in|2023-10-12")
        // Computed independently, as above.
        #expect(RegisterEventID.id(forKey: session).uuidString.lowercased() == "12d46fbd-247b-8063-97f3-306f3a5c8d61")
        let other = RegisterEventID.coachingSessionKey(
            collaborative: slug("oldham"), advisor: slug("staff-2"), session: "Drop-in", on: day("2023-10-12"))
        #expect(RegisterEventID.id(forKey: session) != RegisterEventID.id(forKey: other))
        let oneToOne = RegisterEventID.oneToOneKey(
            collaborative: slug("oldham"), advisor: slug("staff-1"), member: "ol-1", session: "a|b",
            on: day("2023-10-12"))
        #expect(oneToOne == "register|one-to-one|oldham|staff-1|ol-1|a%7Cb|2023-10-12")
        #expect(RegisterEventID.id(forKey: oneToOne).uuidString.lowercased() == "eb7b8732-3567-89be-a16b-c506190fd97e")
    }

    @Test func theLegacyCoachingKeyIsThePreviousSchemes() {
        let legacy = RegisterEventID.legacyCoachingKey(
            collaborative: slug("oldham"), session: "Drop-in", on: day("2023-03-01"))
        #expect(legacy == "register|coaching|oldham|Drop-in|2023-03-01")
        #expect(RegisterEventID.id(forKey: legacy).uuidString.lowercased() == "93948d0e-dc06-8d7f-9c6b-eb112950a2ed")
    }
}
