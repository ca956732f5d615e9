import Foundation
import Testing

/// The provenance every query states: K and the last seq it saw.
private struct Provenance: Decodable {
    let knownAt: String
    let lastSeq: Int
}

/// `status --json`, the fields about the head.
private struct StatusHead: Decodable {
    let lastSeq: Int
    let lastRecordedAt: String?
}

/// Issue 16 ("Time"): one wrong clock must not hide what is recorded after it. An append whose clock is
/// far behind the log's last recordedAt is refused (or, with `--allow-clock-behind`, recorded at it); a
/// `$CHRONICLE_NOW` far ahead of the system clock warns; a query's default K is the whole log; `status`
/// shows the head's recordedAt.
@Suite struct ClockTests {
    /// A clock far ahead of both the system clock and `Sandbox.defaultNow`.
    static let future = "2099-01-01T00:00:00Z"

    /// The base history, then ol-99 joining oldham recorded with the clock at `future` (seq 14).
    private static func historyWithAnEventFromTheFuture() async throws -> Sandbox {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.record(
            [
                "member-joined", "--collaborative", "oldham", "--member", "ol-99", "--sector", "health", "--on",
                "2024-08-01",
            ],
            now: future)
        return sandbox
    }

    private static let nextJoin = [
        "record", "member-joined", "--collaborative", "oldham", "--member", "ol-98", "--sector", "health", "--on",
        "2024-08-02",
    ]

    @Test func aRecordWhoseClockIsFarBehindTheLastRecordedAtIsRefusedNamingBothInstants() async throws {
        let sandbox = try await Self.historyWithAnEventFromTheFuture()
        try await sandbox.expectRefusal(
            Self.nextJoin, mentioning: [Sandbox.defaultNow, Self.future, "--allow-clock-behind"])
    }

    @Test func aClockAFewMinutesBehindTheLastRecordedAtIsRecordedAtIt() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await sandbox.record(Array(Self.nextJoin.dropFirst()), now: "2024-09-01T11:56:00Z")
        #expect(report.appended.first?.recordedAt == Sandbox.defaultNow)
    }

    @Test func withAllowClockBehindTheRecordIsAcceptedAtTheLastRecordedAt() async throws {
        let sandbox = try await Self.historyWithAnEventFromTheFuture()
        let report = try await sandbox.record(Array(Self.nextJoin.dropFirst()) + ["--allow-clock-behind"])
        #expect(report.appended.first?.seq == 15)
        #expect(report.appended.first?.recordedAt == Self.future)
        #expect(try await sandbox.verify().sound)
    }

    @Test func importRetractCorrectAndEraseAreRefusedTooAndAcceptTheFlag() async throws {
        let sandbox = try await Self.historyWithAnEventFromTheFuture()
        let line =
            #"{"id":"00000000-0000-4000-8000-000000000099","type":"MemberJoined","occurredAt":"2024-08-03","#
            + #""data":{"collaborative":"rochdale","member":"ro-09","sector":"health"}}"#
        let path = try sandbox.file("late.ndjson", line + "\n")
        let refused: [[String]] = [
            ["import", path], ["retract", BaseHistory.workshop, "--reason", "entered twice"],
            ["correct", BaseHistory.coaching, "--reason", "misread", "--set", "minutes=90"],
            ["erase", "member", "ol-02", "--reason", "request 1"],
        ]
        for arguments in refused {
            try await sandbox.expectRefusal(arguments, mentioning: [Sandbox.defaultNow, Self.future])
        }
        let report = try await sandbox.importNDJSON(line, extra: ["--allow-clock-behind"])
        #expect(report.appended == 1 && report.head.recordedAt == Self.future)
        let retraction = try await sandbox.retract(BaseHistory.workshop, extra: ["--allow-clock-behind"])
        #expect(retraction.appended.first?.recordedAt == Self.future)
    }

    @Test func importRegisterIsRefusedTooAndAcceptsTheFlag() async throws {
        let sandbox = try await RegisterImportTests.sandbox()
        try await sandbox.record(Array(Self.nextJoin.dropFirst()), now: Self.future)
        let path = try RegisterImportTests.write(RegisterImportTests.register, in: sandbox)
        try await sandbox.expectRefusal(["import", "register", path], mentioning: [Sandbox.defaultNow, Self.future])
        let report = try await RegisterImportTests.importRegister([path, "--allow-clock-behind"], in: sandbox)
        #expect(report.head.recordedAt == Self.future)
    }

    @Test func aRetryOfARecordedEventSucceedsWithAClockFarBehind() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let id = "00000000-0000-4000-8000-0000000000aa"
        let arguments = Array(Self.nextJoin.dropFirst()) + ["--id", id]
        try await sandbox.record(arguments, now: Self.future)
        let retry = try await sandbox.record(arguments)
        #expect(retry.appended.isEmpty && retry.duplicates.count == 1)
    }

    @Test func aClockFarAheadOfTheSystemClockWarnsWhenRecording() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let normal = try await sandbox.succeed(["record"] + Array(Self.nextJoin.dropFirst()))
        #expect(normal.stderr.isEmpty, "a clock in the past does not warn: \(normal)")
        let result = try await sandbox.succeed(
            [
                "record", "member-joined", "--collaborative", "oldham", "--member", "ol-97", "--sector", "health",
                "--on", "2024-08-02",
            ],
            now: Self.future)
        #expect(
            result.stderr.hasPrefix("chronicle: warning: $CHRONICLE_NOW (\(Self.future)) is more than a day ahead"),
            "\(result)")
    }

    @Test func queriesWithoutKnownAtShowAnEventRecordedInTheFuture() async throws {
        let sandbox = try await Self.historyWithAnEventFromTheFuture()
        let replay = try await sandbox.succeed(["replay", "--collaborative", "oldham", "--json"])
        try await validateJSON(replay.stdout, schema: "output/replay.v1")
        #expect(replay.stdout.contains(#""member":"ol-99""#), "\(replay)")
        for (arguments, schema) in [
            (["replay"], "replay"), (["report", "attendance"], "report-attendance"),
            (["report", "attrition"], "report-attrition"), (["report", "progress"], "report-progress"),
            (["report", "coaching"], "report-coaching"), (["audit", "succession"], "audit-succession"),
            (["report", "surveys"], "report-surveys"),
        ] {
            let result = try await sandbox.succeed(arguments + ["--json"])
            try await validateJSON(result.stdout, schema: "output/\(schema).v1")
            let provenance = try decode(Provenance.self, from: result.stdout)
            #expect(provenance.lastSeq == 14 && provenance.knownAt == Self.future, "\(arguments): \(result)")
        }
        let text = try await sandbox.succeed(["report", "attendance"])
        #expect(text.stdout.contains("known at \(Self.future) (transaction time)"), "\(text)")
        let diff = try await sandbox.succeed(["diff", "--known-at", Sandbox.defaultNow, "--json"])
        try await validateJSON(diff.stdout, schema: "output/diff.v1")
        #expect(diff.stdout.contains(#""member":"ol-99""#), "\(diff)")
    }

    @Test func queriesWithoutKnownAtStateNowWhenTheClockIsAheadOfTheLog() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.succeed(["replay", "--json"], now: "2024-10-01T00:00:00Z")
        let provenance = try decode(Provenance.self, from: result.stdout)
        #expect(provenance.knownAt == "2024-10-01T00:00:00Z" && provenance.lastSeq == BaseHistory.count)
    }

    @Test func aQueryWithAClockInThePastStillSeesTheWholeLog() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.succeed(["report", "attendance", "--json"], now: "2020-01-01T00:00:00Z")
        let provenance = try decode(Provenance.self, from: result.stdout)
        #expect(provenance.knownAt == Sandbox.defaultNow && provenance.lastSeq == BaseHistory.count, "\(result)")
    }

    @Test func statusShowsTheHeadsRecordedAt() async throws {
        let empty = try await Sandbox.initialised()
        let none = try await empty.succeed(["status", "--json"])
        try await validateJSON(none.stdout, schema: "output/status.v1")
        #expect(try decode(StatusHead.self, from: none.stdout).lastRecordedAt == nil)

        let sandbox = try await Self.historyWithAnEventFromTheFuture()
        let json = try await sandbox.succeed(["status", "--json"])
        try await validateJSON(json.stdout, schema: "output/status.v1")
        let head = try decode(StatusHead.self, from: json.stdout)
        #expect(head.lastSeq == 14 && head.lastRecordedAt == Self.future)
        let table = try await sandbox.succeed(["status"])
        #expect(table.stdout.contains("last recordedAt \(Self.future)"), "\(table)")
    }
}
