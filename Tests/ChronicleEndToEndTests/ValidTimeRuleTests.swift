import Testing

/// EVENTS.md: "`occurredAt` is not after the store's current date" (today in Europe/London);
/// "validity is judged on the timeline ordered by `occurredAt`. An event that would make an
/// already-stored later event invalid … is refused, naming that event"; `recordedAt` never decreases.
@Suite struct ValidTimeRuleTests {
    @Test func eventDatedAfterTodayIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-joined", "--collaborative", "oldham", "--member", "ol-99", "--sector", "health",
                "--on", "2024-09-02",
            ],
            mentioning: ["not-in-future", "2024-09-02"])
    }

    @Test func instantThatIsAlreadyTomorrowInLondonIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        // 23:30 UTC on 1 September is 00:30 BST on 2 September.
        try await sandbox.expectRefusal(
            [
                "record", "member-joined", "--collaborative", "oldham", "--member", "ol-99", "--sector", "health",
                "--on", "2024-09-01T23:30:00Z",
            ],
            mentioning: ["not-in-future", "2024-09-01T23:30:00Z (2024-09-02 in London) is after today (2024-09-01"])
    }

    @Test func eventDatedTodayIsAccepted() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await sandbox.record([
            "member-joined", "--collaborative", "oldham", "--member", "ol-99", "--sector", "health", "--on",
            "2024-09-01",
        ])
        #expect(report.appended.first?.occurredAt == "2024-09-01")
    }

    @Test func lateLeaveBeforeAStoredCoachingSessionIsRefusedNamingIt() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-left", "--collaborative", "oldham", "--member", "ol-17", "--reason", "capacity",
                "--on", "2022-03-01",
            ],
            mentioning: ["member-active", BaseHistory.coaching, "CoachingSessionHeld", "2022-03-02", "ol-17"])
    }

    @Test func lateLeaveBeforeAStoredWorkshopIsRefusedNamingIt() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-left", "--collaborative", "oldham", "--member", "ol-17", "--reason", "capacity",
                "--on", "2022-03-05",
            ],
            mentioning: ["member-active", BaseHistory.workshop, "WorkshopHeld", "2022-03-10", "ol-17"])
    }

    @Test func lateJoinBeforeAStoredJoinIsRefusedNamingIt() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "member-joined", "--collaborative", "rochdale", "--member", "ro-01", "--sector", "health",
                "--on", "2021-09-20",
            ],
            mentioning: ["join-when-not-active", BaseHistory.ro01Joined, "MemberJoined", "2021-10-01"])
    }

    @Test func lateRoleEndBeforeAStoredRoleEndIsRefusedNamingIt() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let stored = try await sandbox.record([
            "role-ended", "--collaborative", "oldham", "--role", "anchor", "--member", "ol-02", "--on", "2023-03-31",
        ])
        let storedEnd = try #require(stored.appended.first)
        try await sandbox.expectRefusal(
            [
                "record", "role-ended", "--collaborative", "oldham", "--role", "anchor", "--member", "ol-02", "--on",
                "2022-01-01",
            ],
            mentioning: ["role-ended-by-holder", storedEnd.id, "RoleEnded", "2023-03-31"])
    }

    @Test func lateCollaborativeFormedBeforeAStoredOneWithTheSameSlugIsRefusedNamingIt() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "collaborative-formed", "--collaborative", "oldham", "--name", "Oldham",
                "--anchor-organisation", "Oldham Council", "--programme-start", "2020-01-01", "--on", "2020-01-01",
            ],
            mentioning: ["unique-slug", BaseHistory.oldhamFormed, "CollaborativeFormed", "2021-09-01"])
    }

    @Test func lateEventThatBreaksNothingIsAccepted() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await sandbox.record([
            "workshop", "--workshop", "ol-ws-00", "--collaborative", "oldham", "--kind", "launch", "--mode",
            "in-person", "--attendee", "ol-02", "--attendee", "staff-01", "--on", "2021-09-20",
        ])
        let event = try #require(report.appended.first)
        #expect(event.seq == BaseHistory.count + 1 && event.occurredAt == "2021-09-20")
    }

    @Test func recordedAtNeverDecreasesWhenTheClockGoesBackALittle() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let later = try await sandbox.record(
            [
                "member-joined", "--collaborative", "rochdale", "--member", "ro-02", "--sector", "camhs", "--on",
                "2024-08-01",
            ],
            now: "2024-09-03T09:00:00Z")
        let earlier = try await sandbox.record(
            [
                "member-joined", "--collaborative", "rochdale", "--member", "ro-03", "--sector", "camhs", "--on",
                "2024-08-01",
            ],
            now: "2024-09-03T08:57:00Z")
        let laterEvent = try #require(later.appended.first)
        let earlierEvent = try #require(earlier.appended.first)
        #expect(laterEvent.recordedAt == "2024-09-03T09:00:00Z")
        let laterInstant = try #require(Instant(laterEvent.recordedAt))
        let earlierInstant = try #require(Instant(earlierEvent.recordedAt))
        #expect(earlierInstant >= laterInstant)
        #expect(try await sandbox.verify().sound)
    }
}
