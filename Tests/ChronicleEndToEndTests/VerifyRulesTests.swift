import Collaboratives
import EventLog
import Foundation
import Testing

/// `chronicle verify --rules`: every stored event checked against the domain rules as an append of it at its
/// place in the log would have been. A store the command line writes passes every rule, so the store that
/// breaks them is written here through the library, past the rules, as a recorder's own code could write
/// one on PostgreSQL (where the rules run in the client).
@Suite struct VerifyRulesTests {
    /// Appends `events` (date, event) to the sandbox's store straight through the log, past every rule,
    /// recorded at `Sandbox.defaultNow`.
    static func writePastTheRules(_ sandbox: Sandbox, _ events: [(String, DomainEvent)]) throws -> [UUID] {
        let log = try sandbox.openStore()
        let drafts = try events.map { date, event in
            Draft(occurredAt: try OccurredAt.parse(date), recordedBy: "own-code", event: event)
        }
        try log.append(drafts.map(\.newEvent))
        return drafts.map(\.id)
    }

    static func slug(_ text: String) throws -> Slug { try #require(Slug(text)) }

    /// ol-17 joins oldham again while active (seq 14), and leaves it on a day before the workshop and the
    /// coaching session they attended (seq 15, recorded late).
    static func brokenStore() async throws -> (sandbox: Sandbox, ids: [UUID]) {
        let sandbox = try await Sandbox.withBaseHistory()
        let oldham = try slug("oldham")
        let member = try slug("ol-17")
        let ids = try writePastTheRules(
            sandbox,
            [
                (
                    "2022-05-01",
                    .memberJoined(
                        MemberJoined(
                            collaborative: oldham, member: member, name: nil, sector: .secondarySchool,
                            organisation: nil))
                ),
                ("2022-01-10", .memberLeft(MemberLeft(collaborative: oldham, member: member, reason: .capacity))),
            ])
        return (sandbox, ids)
    }

    @Test func theDemoHistoryPassesEveryRule() async throws {
        let sandbox = try Sandbox()
        try await sandbox.succeed(["demo"])
        let result = try await sandbox.succeed(["verify", "--rules", "--projections"])
        #expect(result.stdout.contains("events pass the domain rules"), "\(result)")
        let json = try await sandbox.succeed(["verify", "--rules", "--json"])
        try await validateJSON(json.stdout, schema: "output/verify.v1")
        let report = try decode(VerifyRulesReport.self, from: json.stdout)
        #expect(report.sound && report.fault == nil)
        #expect(report.rules.sound && report.rules.count == 0 && report.rules.violations.isEmpty)
        #expect(report.rules.checkedThrough == report.events && report.events > 0)
    }

    @Test func eventsWrittenPastTheRulesAreListedAndFailTheVerify() async throws {
        let (sandbox, ids) = try await Self.brokenStore()
        // The chain is sound: only the rules tell.
        try await sandbox.succeed(["verify"])

        let result = try await sandbox.run(["verify", "--rules"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.contains("SEQ"), "\(result)")
        let rows = result.stdout.split(separator: "\n").filter {
            $0.contains("MemberJoined") || $0.contains("MemberLeft")
        }
        #expect(rows.count == 2, "\(result)")
        #expect(rows.first?.contains("join-when-not-active") == true, "\(result)")
        #expect(rows.last?.contains("member-active") == true, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(
            result.stderr.contains("2 events break a domain rule")
                && result.stderr.contains("\(ids[0].uuidString.lowercased()) (seq 14, MemberJoined"),
            "\(result)")
    }

    @Test func theJSONListsEachEventWithItsSeqRuleAndTheEventItMadeInvalid() async throws {
        let (sandbox, ids) = try await Self.brokenStore()
        let result = try await sandbox.run(["verify", "--rules", "--projections", "--json"])
        #expect(result.status == 1, "\(result)")
        try await validateJSON(result.stdout, schema: "output/verify.v1")
        let report = try decode(VerifyRulesReport.self, from: result.stdout)
        #expect(!report.sound && report.fault?.seq == 14)
        #expect(!report.rules.sound && report.rules.count == 2 && report.rules.unlisted == 0)
        #expect(report.rules.violations.map(\.seq) == [14, 15])
        #expect(report.rules.violations.map(\.id) == ids.map { $0.uuidString.lowercased() })
        #expect(report.rules.violations.map(\.rule) == ["join-when-not-active", "member-active"])
        #expect(report.rules.violations[0].invalidated == nil)
        // ol-17's sub-group join (seq 10) is the first entry on the timeline the late leave makes invalid.
        #expect(report.rules.violations[1].invalidated == BaseHistory.ol17JoinedSubgroup)
    }

    @Test func withoutTheFlagTheOutputHasNoRulesMember() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.succeed(["verify", "--json"])
        #expect(!result.stdout.contains("\"rules\""), "\(result)")
    }
}

/// `verify --rules --json`, the parts these tests read.
struct VerifyRulesReport: Decodable {
    struct Fault: Decodable {
        let seq: Int?
        let problem: String
    }

    struct Rules: Decodable {
        let checkedThrough: Int
        let sound: Bool
        let count: Int
        let unlisted: Int
        let violations: [Violation]
    }

    struct Violation: Decodable {
        let seq: Int
        let id: String
        let type: String
        let occurredAt: String
        let rule: String
        let message: String
        let invalidated: String?
    }

    let sound: Bool
    let events: Int
    let fault: Fault?
    let rules: Rules
}
