import Testing

/// `chronicle retract` and `chronicle correct` (retraction and replacement in one atomic batch).
@Suite struct CorrectionTests {
    @Test func retractionKeepsTheEventInTheLogAndMarksIt() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await sandbox.retract(BaseHistory.workshop, reason: "entered twice")
        let retraction = try #require(report.appended.first)
        #expect(retraction.seq == BaseHistory.count + 1 && retraction.occurredAt == "2024-09-01")
        #expect(retraction.data.event == BaseHistory.workshop)
        let log = try await sandbox.log(["--type", "WorkshopHeld"])
        #expect(log.events.map(\.retractedBy) == [retraction.id])
        let export = try await sandbox.export()
        #expect(export.contains(BaseHistory.workshop) && export.contains(retraction.id))
    }

    @Test func retractionByIdPrefixIsAccepted() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await sandbox.record([
            "survey-wave-closed", "--collaborative", "oldham", "--wave", "2023", "--invited", "12", "--responded", "9",
            "--on", "2023-07-14",
        ])
        let survey = try #require(report.appended.first)
        let retraction = try await sandbox.retract(String(survey.id.prefix(8)), reason: "wrong wave")
        #expect(retraction.appended.first?.data.event == survey.id)
    }

    @Test func dryRunRetractionWritesNothing() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let head = try await sandbox.head()
        let report = try await sandbox.retract(BaseHistory.workshop, extra: ["--dry-run"])
        #expect(report.dryRun && report.appended.count == 1)
        #expect(try await sandbox.head() == head)
    }

    @Test func correctionRetractsAndReplacesInOneBatchReusingTheWorkshopSlug() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await sandbox.correct(
            BaseHistory.workshop,
            ["--reason", "register misread", "--remove", "attendee=ol-03", "--add", "attendee=ol-02"])
        #expect(report.appended.map(\.type) == ["EventRetracted", "WorkshopHeld"])
        #expect(report.appended.map(\.seq) == [BaseHistory.count + 1, BaseHistory.count + 2])
        let retraction = try #require(report.appended.first)
        let replacement = try #require(report.appended.last)
        #expect(retraction.data.event == BaseHistory.workshop)
        #expect(replacement.data.workshop == "ol-ws-01")
        #expect(replacement.data.attendees == ["ol-17", "ol-02"])
        #expect(replacement.occurredAt == "2022-03-10")
        let log = try await sandbox.log(["--type", "WorkshopHeld"])
        #expect(log.events.map(\.event.id) == [BaseHistory.workshop, replacement.id])
        #expect(log.events.map(\.retractedBy) == [retraction.id, nil])
    }

    @Test func correctionWithSetChangesOneField() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await sandbox.correct(
            BaseHistory.ol03Joined, ["--reason", "wrong sector", "--set", "sector=health"])
        let replacement = try #require(report.appended.last)
        #expect(replacement.type == "MemberJoined" && replacement.data.sector == "health")
        #expect(replacement.data.member == "ol-03" && replacement.occurredAt == "2021-11-15")
    }

    @Test func correctionThatBreaksARuleWritesNeitherEvent() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            ["correct", BaseHistory.coaching, "--reason", "wrong date", "--on", "2021-10-01"],
            mentioning: ["member-active", "ol-17", "2021-10-01"])
        try await sandbox.expectRefusal(
            ["correct", BaseHistory.coaching, "--reason", "bad kind", "--set", "kind=nonsense"],
            mentioning: ["data.kind", "nonsense"])
    }

    @Test func correctingARetractedEventIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.retract(BaseHistory.workshop)
        try await sandbox.expectRefusal(
            ["correct", BaseHistory.workshop, "--reason", "again", "--add", "attendee=ol-02"],
            mentioning: ["retraction-final", BaseHistory.workshop])
    }

    @Test func dryRunCorrectionWritesNothing() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let head = try await sandbox.head()
        let report = try await sandbox.correct(
            BaseHistory.coaching, ["--reason", "minutes misread", "--set", "minutes=90", "--dry-run"])
        #expect(report.dryRun && report.appended.last?.data.minutes == 90)
        #expect(try await sandbox.head() == head)
    }
}
