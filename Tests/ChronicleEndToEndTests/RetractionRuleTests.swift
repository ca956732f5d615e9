import Testing

/// EVENTS.md, "Retractions are final: a retraction cannot be retracted, and an event cannot be
/// retracted twice. A retraction is checked like a late event: the log without its target must
/// stay valid." A retracted event no longer counts for validation.
@Suite struct RetractionRuleTests {
    @Test func eventCannotBeRetractedTwice() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.retract(BaseHistory.workshop, reason: "entered twice")
        try await sandbox.expectRefusal(
            ["retract", BaseHistory.workshop, "--reason", "again"],
            mentioning: ["retraction-final", BaseHistory.workshop, "already retracted"])
    }

    @Test func eventCannotBeRetractedTwiceInOneImport() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let target = BaseHistory.coaching
        try await sandbox.expectImportRefusal(
            [
                #"{"type":"EventRetracted","occurredAt":"2024-09-01","data":{"event":"\#(target)","reason":"a"}}"#,
                #"{"type":"EventRetracted","occurredAt":"2024-09-01","data":{"event":"\#(target)","reason":"b"}}"#,
            ],
            mentioning: ["line 2", "retraction-final", target])
    }

    @Test func retractionCannotBeRetracted() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let retraction = try #require(try await sandbox.retract(BaseHistory.workshop).appended.first)
        #expect(retraction.type == "EventRetracted" && retraction.data.event == BaseHistory.workshop)
        try await sandbox.expectRefusal(
            ["retract", retraction.id, "--reason", "undo"],
            mentioning: ["retraction-final", retraction.id, "retraction"])
    }

    @Test func retractionThatWouldLeaveALaterEventInvalidIsRefusedNamingIt() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            ["retract", BaseHistory.ol17Joined, "--reason", "wrong person"],
            mentioning: ["member-active", BaseHistory.ol17JoinedSubgroup, "SubGroupMemberJoined", "2022-02-01"])
        try await sandbox.expectRefusal(
            ["retract", BaseHistory.oldhamFormed, "--reason", "wrong locality"],
            mentioning: ["collaborative-exists", "oldham"])
    }

    @Test func retractedEventNoLongerCountsForTheRules() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let leave = [
            "member-left", "--collaborative", "oldham", "--member", "ol-17", "--reason", "capacity", "--on",
            "2022-03-05",
        ]
        try await sandbox.expectRefusal(["record"] + leave, mentioning: ["member-active", BaseHistory.workshop])
        try await sandbox.retract(BaseHistory.workshop, reason: "never took place")
        let report = try await sandbox.record(leave)
        #expect(report.appended.map(\.type) == ["MemberLeft"])
    }
}
