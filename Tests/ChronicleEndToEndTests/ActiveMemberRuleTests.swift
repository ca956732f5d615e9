import Testing

/// EVENTS.md: "Workshop attendees, coaching attendees, role holders and sub-group members are
/// members active in the collaborative on `occurredAt`; the coaching `advisor` is any member with
/// programme-staff sector or an advisor role."
@Suite struct ActiveMemberRuleTests {
    @Test func workshopAttendeeWhoHadLeftIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "workshop", "--workshop", "ol-ws-02", "--collaborative", "oldham", "--kind",
                "collaborative", "--mode", "online", "--attendee", "ol-03", "--on", "2023-08-01",
            ],
            mentioning: ["member-active", "ol-03", "oldham"])
    }

    @Test func workshopAttendeeFromAnotherCollaborativeIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "workshop", "--workshop", "ol-ws-02", "--collaborative", "oldham", "--kind",
                "collaborative", "--mode", "online", "--attendee", "ol-17", "--attendee", "ro-01", "--on",
                "2023-08-01",
            ],
            mentioning: ["member-active", "ro-01"])
    }

    @Test func crossLocalityWorkshopAcceptsMembersOfEveryCollaborativeListed() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await sandbox.record([
            "workshop", "--workshop", "x-ws-01", "--collaborative", "oldham", "--collaborative", "rochdale",
            "--kind", "cross-locality", "--mode", "online", "--attendee", "ol-17", "--attendee", "ro-01", "--on",
            "2022-05-01",
        ])
        #expect(report.appended.first?.data.attendees == ["ol-17", "ro-01"])
    }

    @Test func coachingAttendeeWhoIsNotAnActiveMemberIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "coaching-session", "--collaborative", "oldham", "--kind", "group", "--advisor",
                "staff-01", "--attendee", "ro-01", "--on", "2023-08-01",
            ],
            mentioning: ["member-active", "ro-01"])
    }

    @Test func coachingSessionThatNobodyCameToIsAccepted() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await sandbox.record([
            "coaching-session", "--collaborative", "oldham", "--kind", "drop-in", "--advisor", "staff-01", "--on",
            "2022-01-05",
        ])
        #expect(report.appended.first?.data.attendees == [])
    }

    @Test func roleHolderWhoIsNotAnActiveMemberIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "role-assigned", "--collaborative", "oldham", "--role", "advisor", "--member", "ro-01",
                "--appointment", "formal", "--on", "2023-08-01",
            ],
            mentioning: ["member-active", "ro-01"])
    }

    @Test func subgroupMemberWhoHadLeftTheCollaborativeIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "subgroup-member-joined", "--subgroup", "ol-transitions", "--member", "ol-03", "--on",
                "2023-08-01",
            ],
            mentioning: ["member-active", "ol-03"])
    }

    @Test func coachingAdvisorWhoIsNeitherProgrammeStaffNorAnAdvisorIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "coaching-session", "--collaborative", "oldham", "--kind", "group", "--advisor", "ol-17",
                "--on", "2023-08-01",
            ],
            mentioning: ["coaching-advisor", "ol-17"])
    }

    @Test func advisorRoleInAnyCollaborativeQualifiesACoachFromItsFirstDay() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.record([
            "role-assigned", "--collaborative", "rochdale", "--role", "advisor", "--member", "ro-01",
            "--appointment", "formal", "--on", "2022-01-01",
        ])
        try await sandbox.expectRefusal(
            [
                "record", "coaching-session", "--collaborative", "oldham", "--kind", "one-to-one", "--advisor",
                "ro-01", "--attendee", "ol-17", "--on", "2021-12-01",
            ],
            mentioning: ["coaching-advisor", "ro-01", "2021-12-01"])
        let report = try await sandbox.record([
            "coaching-session", "--collaborative", "oldham", "--kind", "one-to-one", "--advisor", "ro-01",
            "--attendee", "ol-17", "--on", "2022-01-01",
        ])
        #expect(report.appended.map(\.type) == ["CoachingSessionHeld"])
    }

    @Test func sectorChangedToProgrammeStaffQualifiesACoachFromThatDay() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.record([
            "member-details-changed", "--member", "ol-17", "--sector", "programme-staff", "--on", "2023-01-01",
        ])
        try await sandbox.expectRefusal(
            [
                "record", "coaching-session", "--collaborative", "oldham", "--kind", "one-to-one", "--advisor",
                "ol-17", "--on", "2022-12-31",
            ],
            mentioning: ["coaching-advisor", "ol-17"])
        try await sandbox.record([
            "coaching-session", "--collaborative", "oldham", "--kind", "one-to-one", "--advisor", "ol-17", "--on",
            "2023-01-01",
        ])
    }
}
