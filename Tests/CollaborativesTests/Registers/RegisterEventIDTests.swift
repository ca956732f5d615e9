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

    @Test func coachingKeysNameTheCollaborative() {
        let oldham = RegisterEventID.coachingKey(collaborative: slug("oldham"), session: "S1", on: day("2023-10-12"))
        let rochdale = RegisterEventID.coachingKey(
            collaborative: slug("rochdale"), session: "S1", on: day("2023-10-12"))
        #expect(oldham == "register|coaching|oldham|S1|2023-10-12")
        #expect(RegisterEventID.id(forKey: oldham) != RegisterEventID.id(forKey: rochdale))
    }
}
