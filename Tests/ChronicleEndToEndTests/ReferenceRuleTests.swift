import Testing

/// EVENTS.md: "Every referenced collaborative, member, subgroup and event exists", on the timeline
/// ("Existence is on the timeline").
@Suite struct ReferenceRuleTests {
    @Test func joiningACollaborativeThatWasNeverFormedIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-joined", "--collaborative", "wigan", "--member", "wi-01", "--sector", "health",
                "--on", "2022-01-01",
            ],
            mentioning: ["collaborative-exists", "wigan"])
    }

    @Test func joiningACollaborativeBeforeItWasFormedIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-joined", "--collaborative", "rochdale", "--member", "ro-05", "--sector",
                "health", "--on", "2021-09-10",
            ],
            mentioning: ["collaborative-exists", "rochdale", "2021-09-15"])
    }

    @Test func changingTheDetailsOfSomeoneWhoNeverJoinedIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            ["record", "member-details-changed", "--member", "ghost", "--sector", "health", "--on", "2022-01-01"],
            mentioning: ["member-exists", "ghost"])
    }

    @Test func changingTheDetailsOfAMemberBeforeTheyJoinedIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            ["record", "member-details-changed", "--member", "ol-17", "--sector", "health", "--on", "2021-10-01"],
            mentioning: ["member-exists", "ol-17"])
    }

    @Test func joiningASubgroupThatWasNeverFormedIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            ["record", "subgroup-member-joined", "--subgroup", "nope", "--member", "ol-17", "--on", "2022-03-01"],
            mentioning: ["subgroup-exists", "nope"])
    }

    @Test func joiningASubgroupBeforeItWasFormedIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "subgroup-member-joined", "--subgroup", "ol-transitions", "--member", "ol-02", "--on",
                "2021-12-01",
            ],
            mentioning: ["subgroup-exists", "ol-transitions", "2022-01-20"])
    }

    @Test func retractingAnEventThatDoesNotExistIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let missing = "00000000-0000-4000-8000-000000000099"
        try await sandbox.expectRefusal(["retract", missing, "--reason", "typo"], mentioning: [missing])
        try await sandbox.expectImportRefusal(
            [
                #"{"type":"EventRetracted","occurredAt":"2024-09-01","data":{"event":"\#(missing)","reason":"typo"}}"#
            ],
            mentioning: ["line 1", "retraction-target-exists", missing])
    }
}
