import Testing

/// EVENTS.md, "Sub-group membership": the interval [SubGroupMemberJoined, SubGroupMemberLeft);
/// join only when not in it, leave only when in it; a sub-group named by a role or coaching session
/// belongs to that collaborative.
@Suite struct SubGroupRuleTests {
    @Test func joiningASubgroupAlreadyInIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "subgroup-member-joined", "--subgroup", "ol-transitions", "--member", "ol-17", "--on",
                "2023-08-01",
            ],
            mentioning: ["subgroup-join-when-not-member", "ol-17", "ol-transitions"])
    }

    @Test func leavingASubgroupNeverJoinedIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "subgroup-member-left", "--subgroup", "ol-transitions", "--member", "ol-02", "--on",
                "2023-08-01",
            ],
            mentioning: ["subgroup-leave-when-member", "ol-02", "ol-transitions"])
    }

    @Test func leavingASubgroupBeforeJoiningItIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "subgroup-member-left", "--subgroup", "ol-transitions", "--member", "ol-17", "--on",
                "2022-01-25",
            ],
            mentioning: ["subgroup-leave-when-member", "ol-17"])
    }

    @Test func rejoiningASubgroupAfterLeavingItIsAccepted() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.record([
            "subgroup-member-left", "--subgroup", "ol-transitions", "--member", "ol-17", "--on", "2022-06-01",
        ])
        try await sandbox.expectRefusal(
            [
                "record", "subgroup-member-left", "--subgroup", "ol-transitions", "--member", "ol-17", "--on",
                "2022-06-15",
            ],
            mentioning: ["subgroup-leave-when-member", "ol-17"])
        let report = try await sandbox.record([
            "subgroup-member-joined", "--subgroup", "ol-transitions", "--member", "ol-17", "--on", "2022-07-01",
        ])
        #expect(report.appended.map(\.type) == ["SubGroupMemberJoined"])
    }

    @Test func coachingForASubgroupOfAnotherCollaborativeIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "coaching-session", "--collaborative", "rochdale", "--subgroup", "ol-transitions",
                "--kind", "group", "--advisor", "staff-01", "--on", "2023-08-01",
            ],
            mentioning: ["subgroup-of-collaborative", "ol-transitions", "rochdale"])
    }
}
