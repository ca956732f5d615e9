import Foundation
import Testing

/// Inputs that were accepted but should not be (issue 16, item 13), refused by `record` and `import`:
/// survey counts and waves, succession, sub-groups of roles, one-to-one sessions, dates out of range,
/// negative counts on the command line; and an NDJSON file starting with a byte order mark, now accepted.
@Suite struct InputShapeRuleTests {
    static let survey = [
        "record", "survey-wave-closed", "--collaborative", "oldham", "--wave", "2023", "--invited", "9",
        "--responded", "8", "--on", "2023-07-14",
    ]

    // MARK: - Surveys

    @Test func aSurveyWithMoreResponsesThanInvitationsIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "survey-wave-closed", "--collaborative", "oldham", "--wave", "2023", "--invited", "9",
                "--responded", "12", "--on", "2023-07-14",
            ],
            mentioning: ["survey-counts", "responded 12 is more than invited 9"])
        try await sandbox.expectImportRefusal(
            [
                #"{"type":"SurveyWaveClosed","occurredAt":"2023-07-14","data":{"collaborative":"oldham","wave":"2023","invited":9,"responded":8}}"#,
                #"{"type":"SurveyWaveClosed","occurredAt":"2023-07-14","data":{"collaborative":"oldham","wave":"2024","invited":9,"responded":10}}"#,
            ],
            mentioning: ["line 2", "survey-counts"])
    }

    @Test func theSameWaveClosedTwiceIsRefusedUntilTheFirstIsRetracted() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let first = try await sandbox.record(Array(Self.survey.dropFirst()))
        let firstID = try #require(first.appended.first?.id)
        var again = Self.survey
        again[again.count - 1] = "2023-07-21"
        try await sandbox.expectRefusal(again, mentioning: ["survey-wave-once", "wave 2023 of oldham", firstID])
        try await sandbox.expectImportRefusal(
            [
                #"{"type":"SurveyWaveClosed","occurredAt":"2023-07-01","data":{"collaborative":"oldham","wave":"2023","invited":9,"responded":8}}"#
            ],
            mentioning: ["survey-wave-once", firstID])
        try await sandbox.retract(firstID, reason: "the counts were for June")
        try await sandbox.record(Array(again.dropFirst()))
    }

    @Test func aCorrectionOfASurveyWaveIsAccepted() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let first = try await sandbox.record(Array(Self.survey.dropFirst()))
        let firstID = try #require(first.appended.first?.id)
        try await sandbox.correct(firstID, ["--reason", "miscounted", "--set", "responded=7"])
    }

    @Test func theSameWaveTwiceInOneImportIsRefusedNamingTheSecondLine() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let line =
            #"{"type":"SurveyWaveClosed","occurredAt":"2023-07-14","data":{"collaborative":"oldham","wave":"2023","invited":9,"responded":8}}"#
        try await sandbox.expectImportRefusal([line, line], mentioning: ["line 2", "survey-wave-once"])
    }

    // MARK: - Roles

    @Test func aHolderSucceedingThemselfIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "role-assigned", "--collaborative", "oldham", "--role", "anchor", "--member", "ol-17",
                "--appointment", "formal", "--succeeds", "ol-17", "--on", "2023-01-10",
            ],
            mentioning: ["succeeds-other", "ol-17 cannot succeed themself"])
        try await sandbox.expectImportRefusal(
            [
                #"{"type":"RoleAssigned","occurredAt":"2023-01-10","data":{"collaborative":"oldham","role":"anchor","member":"ol-17","appointment":"formal","succeeds":"ol-17"}}"#
            ],
            mentioning: ["line 1", "succeeds-other"])
    }

    @Test func aSubgroupOnARoleOtherThanSubgroupLeadIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "role-assigned", "--collaborative", "oldham", "--role", "pcf-representative", "--subgroup",
                "ol-transitions", "--member", "ol-17", "--appointment", "formal", "--on", "2023-01-10",
            ],
            mentioning: ["subgroup-role", "role pcf-representative does not take a subgroup (ol-transitions)"])
        try await sandbox.expectRefusal(
            [
                "record", "role-ended", "--collaborative", "oldham", "--role", "anchor", "--subgroup",
                "ol-transitions", "--member", "ol-02", "--on", "2023-01-10",
            ],
            mentioning: ["subgroup-role", "role anchor does not take a subgroup"])
        try await sandbox.expectImportRefusal(
            [
                #"{"type":"RoleAssigned","occurredAt":"2023-01-10","data":{"collaborative":"oldham","role":"advisor","subgroup":"ol-transitions","member":"ol-17","appointment":"formal"}}"#
            ],
            mentioning: ["line 1", "subgroup-role"])
        try await sandbox.record([
            "role-assigned", "--collaborative", "oldham", "--role", "subgroup-lead", "--subgroup", "ol-transitions",
            "--member", "ol-17", "--appointment", "formal", "--on", "2023-01-10",
        ])
    }

    // MARK: - Coaching

    @Test func aOneToOneSessionWithSeveralAttendeesIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let session = [
            "record", "coaching-session", "--collaborative", "oldham", "--kind", "one-to-one", "--advisor",
            "staff-01", "--attendee", "ol-17", "--on", "2023-01-10",
        ]
        try await sandbox.expectRefusal(
            session + ["--attendee", "ol-02"],
            mentioning: ["one-to-one-attendees", "at most one attendee, this one lists 2"])
        try await sandbox.expectImportRefusal(
            [
                #"{"type":"CoachingSessionHeld","occurredAt":"2023-01-10","data":{"collaborative":"oldham","kind":"one-to-one","advisor":"staff-01","attendees":["ol-17","ol-02"]}}"#
            ],
            mentioning: ["line 1", "one-to-one-attendees"])
        try await sandbox.record(Array(session.dropFirst()))
    }

    // MARK: - Dates

    @Test func anEventDatedBefore1900IsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            Array(Self.survey.dropLast()) + ["0000-01-01"],
            mentioning: [
                "date-in-range", "occurredAt 0000-01-01 is outside the accepted dates 1900-01-01 to 2200-12-31",
            ])
        try await sandbox.expectImportRefusal(
            [
                #"{"type":"SurveyWaveClosed","occurredAt":"1899-12-31T23:00:00Z","data":{"collaborative":"oldham","wave":"1899","invited":9,"responded":8}}"#
            ],
            mentioning: ["line 1", "date-in-range"])
    }

    @Test func aProgrammeStartBefore1900IsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.expectRefusal(
            [
                "record", "collaborative-formed", "--collaborative", "bury", "--name", "Bury", "--anchor-organisation",
                "Bury Council", "--programme-start", "0000-01-01", "--on", "2022-01-01",
            ],
            mentioning: ["date-in-range", "programmeStart 0000-01-01"])
    }

    @Test func aReportForADayOutsideTheAcceptedDatesIsAUsageError() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        for arguments in [
            ["report", "attendance", "--from", "0000-01-01"], ["report", "attendance", "--to", "2201-01-01"],
            ["report", "attendance", "--as-of", "1899-12-31"], ["replay", "--known-at", "0000-06-01T00:00:00Z"],
            ["diff", "--known-at", "1899-01-01"],
        ] {
            let result = try await sandbox.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result)")
            #expect(result.stderrLines.count == 1 && result.stdout.isEmpty, "\(arguments): \(result)")
            #expect(result.stderr.contains("outside the accepted dates 1900-01-01 to 2200-12-31"), "\(result)")
        }
        let accepted = try await sandbox.run(["report", "attendance", "--from", "1900-01-01", "--json"])
        #expect(accepted.status == 0, "\(accepted)")
    }

    // MARK: - Counts on the command line

    @Test func aNegativeCountIsReportedAsNegativeInEitherSpelling() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let workshop = [
            "record", "workshop", "--workshop", "ol-ws-30", "--collaborative", "oldham", "--kind", "collaborative",
            "--mode", "online", "--attendee", "ol-17", "--on", "2023-01-10",
        ]
        for guests in [["--guests", "-1"], ["--guests=-1"]] {
            let result = try await sandbox.expectRefusal(workshop + guests, mentioning: ["guests", "-1 is negative"])
            #expect(!result.stderr.contains("Missing value"), "\(result)")
        }
        try await sandbox.expectRefusal(
            Array(Self.survey.prefix(7)) + ["-3", "--responded", "0", "--on", "2023-07-14"],
            mentioning: ["invited", "-3 is negative"])
    }

    // MARK: - Byte order mark

    @Test func anNDJSONFileStartingWithAByteOrderMarkIsImported() async throws {
        let sandbox = try await Sandbox.initialised()
        let path = try sandbox.file("bom.ndjson", Data([0xEF, 0xBB, 0xBF]) + Data(BaseHistory.ndjson.utf8))
        let result = try await sandbox.succeed(["import", "--json", path])
        #expect(try decode(ImportReport.self, from: result.stdout).appended == BaseHistory.count)
    }

    @Test func aBrokenLineAfterAByteOrderMarkIsNamedByItsOwnNumber() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let text =
            #"{"type":"SurveyWaveClosed","occurredAt":"2023-07-14","data":{"collaborative":"oldham","wave":"2023","invited":9,"responded":8}}"#
            + "\n" + #"{"type":"SurveyWaveClosed","occurredAt":"2023-07-14","data":{"collaborative":"oldham"}}"# + "\n"
        let path = try sandbox.file("bom-broken.ndjson", Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8))
        try await sandbox.expectRefusal(["import", path], mentioning: ["line 2", "data.wave"])
    }
}
