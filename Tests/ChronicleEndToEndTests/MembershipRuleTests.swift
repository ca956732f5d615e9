import Testing

/// EVENTS.md: "A member joins a collaborative only while not active in it (re-joining after leaving
/// is allowed), leaves only while active, and on or after the day they joined."
@Suite struct MembershipRuleTests {
    @Test func joiningWhileAlreadyActiveIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-joined", "--collaborative", "oldham", "--member", "ol-17", "--sector", "health",
                "--on", "2022-01-01",
            ],
            mentioning: ["join-when-not-active", "ol-17", "oldham"])
    }

    @Test func rejoiningAfterLeavingIsAccepted() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await sandbox.record([
            "member-joined", "--collaborative", "oldham", "--member", "ol-03", "--sector", "primary-school", "--on",
            "2023-09-01",
        ])
        let event = try #require(report.appended.first)
        #expect(event.type == "MemberJoined" && event.seq == BaseHistory.count + 1)
        #expect(report.head.seq == BaseHistory.count + 1)
    }

    @Test func leavingAfterHavingLeftIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-left", "--collaborative", "oldham", "--member", "ol-03", "--reason", "capacity",
                "--on", "2023-08-01",
            ],
            mentioning: ["leave-when-active", "ol-03"])
    }

    @Test func leavingACollaborativeNeverJoinedIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-left", "--collaborative", "rochdale", "--member", "ol-17", "--reason", "capacity",
                "--on", "2022-11-01",
            ],
            mentioning: ["leave-when-active", "ol-17", "rochdale"])
    }

    @Test func leavingBeforeTheDayOfJoiningIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-left", "--collaborative", "oldham", "--member", "ol-17", "--reason", "capacity",
                "--on", "2021-11-01",
            ],
            mentioning: ["leave-when-active", "ol-17", "2021-11-01"])
    }

    @Test func leavingOnTheDayOfJoiningIsAccepted() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await sandbox.record([
            "member-left", "--collaborative", "rochdale", "--member", "ro-01", "--reason", "relevance", "--on",
            "2021-10-01",
        ])
        #expect(report.appended.map(\.type) == ["MemberLeft"])
    }
}
