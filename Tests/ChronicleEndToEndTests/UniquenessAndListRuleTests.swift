import Testing

/// EVENTS.md: slugs of collaboratives and sub-groups are unique; workshop slugs are unique among
/// events that are not retracted; `attendees` and `collaboratives` hold no duplicates and
/// `collaboratives` is never empty.
@Suite struct UniquenessAndListRuleTests {
    @Test func collaborativeSlugIsUnique() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "collaborative-formed", "--collaborative", "oldham", "--name", "Oldham again",
                "--anchor-organisation", "Oldham Council", "--programme-start", "2022-01-01", "--on", "2022-01-01",
            ],
            mentioning: ["unique-slug", "oldham", BaseHistory.oldhamFormed])
    }

    @Test func subgroupSlugIsUniqueAcrossCollaboratives() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "subgroup-formed", "--collaborative", "rochdale", "--subgroup", "ol-transitions", "--title",
                "Transitions", "--aim", "Another aim", "--on", "2022-05-01",
            ],
            mentioning: ["unique-slug", "ol-transitions"])
    }

    @Test func workshopSlugIsUniqueAmongEventsNotRetracted() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let workshop = [
            "record", "workshop", "--workshop", "ol-ws-01", "--collaborative", "oldham", "--kind", "collaborative",
            "--mode", "online", "--attendee", "ol-17", "--on", "2023-08-01",
        ]
        try await sandbox.expectRefusal(workshop, mentioning: ["unique-slug", "ol-ws-01", BaseHistory.workshop])
        try await sandbox.retract(BaseHistory.workshop, reason: "held online, not in person")
        try await sandbox.record(Array(workshop.dropFirst()))
    }

    @Test func attendeeListedTwiceIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "workshop", "--workshop", "ol-ws-04", "--collaborative", "oldham", "--kind",
                "collaborative", "--mode", "online", "--attendee", "ol-17", "--attendee", "ol-17", "--on",
                "2023-08-01",
            ],
            mentioning: ["--attendee", "ol-17", "twice"])
        try await sandbox.expectRefusal(
            [
                "record", "coaching-session", "--collaborative", "oldham", "--kind", "group", "--advisor",
                "staff-01", "--attendee", "ol-17", "--attendee", "ol-17", "--on", "2023-08-01",
            ],
            mentioning: ["--attendee", "ol-17", "twice"])
        try await sandbox.expectImportRefusal(
            [
                #"{"type":"WorkshopHeld","occurredAt":"2023-07-01","data":{"workshop":"w9","collaboratives":["oldham"],"kind":"launch","mode":"online","attendees":["ol-17","ol-17"]}}"#
            ],
            mentioning: ["line 1", "data.attendees", "ol-17"])
    }

    @Test func collaborativeListedTwiceIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "workshop", "--workshop", "ol-ws-04", "--collaborative", "oldham", "--collaborative",
                "oldham", "--kind", "collaborative", "--mode", "online", "--attendee", "ol-17", "--on", "2023-08-01",
            ],
            mentioning: ["--collaborative", "oldham", "twice"])
    }

    @Test func workshopForNoCollaborativeIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "workshop", "--workshop", "ol-ws-04", "--kind", "collaborative", "--mode", "online",
                "--attendee", "ol-17", "--on", "2023-08-01",
            ],
            mentioning: ["--collaborative"])
        try await sandbox.expectImportRefusal(
            [
                #"{"type":"WorkshopHeld","occurredAt":"2023-07-01","data":{"workshop":"w9","collaboratives":[],"kind":"launch","mode":"online","attendees":[]}}"#
            ],
            mentioning: ["line 1", "data.collaboratives"])
    }
}
