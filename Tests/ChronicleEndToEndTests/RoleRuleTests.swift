import Testing

/// EVENTS.md: "A role is ended only by its current holder; a role may have several holders at
/// once", "A role cannot be assigned to its current holder again", a tenure ends on the day its
/// holder leaves, and `subgroup-lead` needs a sub-group of that collaborative.
@Suite struct RoleRuleTests {
    @Test func roleEndedBySomeoneWhoDoesNotHoldItIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "role-ended", "--collaborative", "oldham", "--role", "anchor", "--member", "ol-17", "--on",
                "2023-08-01",
            ],
            mentioning: ["role-ended-by-holder", "ol-17", "anchor"])
    }

    @Test func roleAssignedAgainToItsCurrentHolderIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "role-assigned", "--collaborative", "oldham", "--role", "anchor", "--member", "ol-02",
                "--appointment", "interim", "--on", "2023-08-01",
            ],
            mentioning: ["role-not-reassigned", "ol-02", "anchor"])
    }

    @Test func roleMayHaveSeveralHoldersAtOnce() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await sandbox.record([
            "role-assigned", "--collaborative", "oldham", "--role", "anchor", "--member", "ol-17", "--appointment",
            "interim", "--on", "2022-06-01",
        ])
        #expect(report.appended.first?.data.member == "ol-17")
        let ended = try await sandbox.record([
            "role-ended", "--collaborative", "oldham", "--role", "anchor", "--member", "ol-02", "--on", "2023-03-31",
        ])
        #expect(ended.appended.map(\.type) == ["RoleEnded"])
    }

    @Test func tenureEndsOnTheDayTheHolderLeaves() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.record([
            "member-left", "--collaborative", "oldham", "--member", "ol-02", "--reason", "role-change", "--on",
            "2023-01-01",
        ])
        try await sandbox.expectRefusal(
            [
                "record", "role-ended", "--collaborative", "oldham", "--role", "anchor", "--member", "ol-02", "--on",
                "2023-01-02",
            ],
            mentioning: ["role-ended-by-holder", "ol-02"])
        try await sandbox.record([
            "role-ended", "--collaborative", "oldham", "--role", "anchor", "--member", "ol-02", "--on", "2023-01-01",
        ])
    }

    @Test func subgroupLeadWithoutASubgroupIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "role-assigned", "--collaborative", "oldham", "--role", "subgroup-lead", "--member",
                "ol-17", "--appointment", "formal", "--on", "2023-08-01",
            ],
            mentioning: ["--subgroup", "subgroup-lead"])
        try await sandbox.expectRefusal(
            [
                "record", "role-ended", "--collaborative", "oldham", "--role", "subgroup-lead", "--member", "ol-17",
                "--on", "2023-08-01",
            ],
            mentioning: ["--subgroup", "subgroup-lead"])
        try await sandbox.expectImportRefusal(
            [
                #"{"type":"RoleAssigned","occurredAt":"2023-07-01","data":{"collaborative":"oldham","role":"subgroup-lead","member":"ol-17","appointment":"formal"}}"#
            ],
            mentioning: ["line 1", "data.subgroup", "subgroup-lead"])
    }

    @Test func subgroupLeadOfASubgroupOfAnotherCollaborativeIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "role-assigned", "--collaborative", "rochdale", "--role", "subgroup-lead", "--subgroup",
                "ol-transitions", "--member", "ro-01", "--appointment", "interim", "--on", "2023-08-01",
            ],
            mentioning: ["subgroup-of-collaborative", "ol-transitions", "rochdale"])
    }

    @Test func subgroupLeadOfItsOwnCollaborativesSubgroupIsAccepted() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await sandbox.record([
            "role-assigned", "--collaborative", "oldham", "--role", "subgroup-lead", "--subgroup", "ol-transitions",
            "--member", "ol-17", "--appointment", "self-appointed", "--on", "2022-02-01",
        ])
        #expect(report.appended.map(\.type) == ["RoleAssigned"])
    }
}
