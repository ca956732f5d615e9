import Foundation
import Testing

/// Issue 17, item 8: `chronicle log` shows who recorded each event, the members' names and the attendees,
/// and links a retraction to the event it retracts and to the event that replaced it, both ways.
@Suite struct LogDetailTests {
    /// `log --json`, with the correction links.
    struct Linked: Decodable {
        struct Entry: Decodable {
            struct Event: Decodable {
                let id: String
                let seq: Int
            }
            let event: Event
            let retractedBy: String?
            let replacedBy: String?
            let replaces: String?
        }
        let events: [Entry]
    }

    static func row(_ table: CommandResult, seq: Int) -> String? {
        table.stdout.split(separator: "\n").map(String.init).first {
            $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(seq) ")
        }
    }

    @Test func theTableShowsTheRecorderTheNamesAndTheAttendees() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let table = try await sandbox.succeed(["log"])
        let header = try #require(table.stdout.split(separator: "\n").first)
        #expect(header.split(separator: " ").contains("BY"), "\(table)")
        let anchor = try #require(Self.row(table, seq: 4), "\(table)")
        #expect(anchor.contains(" tester "), "\(anchor)")
        #expect(anchor.contains("ol-02 (Pat Anchor) joined oldham"), "\(anchor)")
        let workshop = try #require(Self.row(table, seq: 12), "\(table)")
        #expect(workshop.contains("2 attendees: ol-17, ol-03"), "\(workshop)")
    }

    @Test func aCorrectionIsLinkedToTheEventItReplacesBothWays() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.correct(
            BaseHistory.workshop, ["--reason", "ol-03 was not there", "--remove", "attendee=ol-03"])
        let result = try await sandbox.succeed(["log", "--json"])
        try await validateJSON(result.stdout, schema: "output/log.v1")
        let log = try decode(Linked.self, from: result.stdout)
        let original = try #require(log.events.first { $0.event.seq == 12 })
        let retraction = try #require(log.events.first { $0.event.seq == 14 })
        let replacement = try #require(log.events.first { $0.event.seq == 15 })
        #expect(original.retractedBy == retraction.event.id)
        #expect(original.replacedBy == replacement.event.id)
        #expect(replacement.replaces == original.event.id)
        #expect(retraction.replaces == nil && retraction.replacedBy == nil)

        let table = try await sandbox.succeed(["log"])
        #expect(
            Self.row(table, seq: 12)?.contains("[retracted] (by seq 14; replaced by seq 15)") == true, "\(table)")
        #expect(Self.row(table, seq: 14)?.contains("(seq 12, replaced by seq 15)") == true, "\(table)")
        #expect(Self.row(table, seq: 15)?.contains("[replaces seq 12]") == true, "\(table)")
    }

    @Test func aPlainRetractionHasNoReplacement() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.retract(BaseHistory.ol03Left)
        try await sandbox.record([
            "member-joined", "--collaborative", "rochdale", "--member", "ro-09", "--sector", "health",
            "--on", "2024-08-01",
        ])
        let log = try decode(Linked.self, from: try await sandbox.succeed(["log", "--json"]).stdout)
        #expect(log.events.allSatisfy { $0.replacedBy == nil && $0.replaces == nil })
        let table = try await sandbox.succeed(["log"])
        #expect(Self.row(table, seq: 13)?.contains("[retracted] (by seq 14)") == true, "\(table)")
        #expect(Self.row(table, seq: 14)?.contains("(seq 13)") == true, "\(table)")
    }

    @Test func anUnrelatedEventImportedRightAfterARetractionIsNotItsReplacement() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        // One import batch: the retraction of ol-ws-01 and another workshop, at one recordedAt.
        try await sandbox.importNDJSON(
            #"{"type":"EventRetracted","occurredAt":"2024-09-01","data":{"event":"\#(BaseHistory.workshop)","reason":"cancelled"}}"#
                + "\n"
                + #"{"type":"WorkshopHeld","occurredAt":"2023-11-02","data":{"workshop":"ol-ws-30","collaboratives":["oldham"],"kind":"collaborative","mode":"online","attendees":["ol-17"]}}"#
                + "\n")
        let log = try decode(Linked.self, from: try await sandbox.succeed(["log", "--json"]).stdout)
        #expect(log.events.allSatisfy { $0.replacedBy == nil && $0.replaces == nil })
        let table = try await sandbox.succeed(["log"])
        #expect(Self.row(table, seq: 12)?.contains("[retracted] (by seq 14)") == true, "\(table)")
        #expect(table.stdout.contains("replaced by") == false, "\(table)")
        #expect(Self.row(table, seq: 15)?.contains("[replaces") == false, "\(table)")
    }

    @Test func aNameGoesBesideItsOwnSlugNotInsideALongerOne() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.importNDJSON(
            #"{"type":"MemberJoined","occurredAt":"2022-01-03","data":{"collaborative":"oldham","member":"ham","sector":"health","name":"Hamish Ham"}}"#
                + "\n"
                + #"{"type":"MemberJoined","occurredAt":"2022-01-03","data":{"collaborative":"oldham","member":"ol-ham","sector":"health","name":"Olive Ham"}}"#
                + "\n"
                + #"{"type":"RoleAssigned","occurredAt":"2022-01-04","data":{"collaborative":"oldham","role":"anchor","member":"ol-ham","appointment":"interim","succeeds":"ham"}}"#
                + "\n")
        let table = try await sandbox.succeed(["log"])
        let row = try #require(Self.row(table, seq: 16), "\(table)")
        #expect(row.contains("ol-ham (Olive Ham) interim anchor"), "\(row)")
        #expect(!row.contains("Hamish"), "\(row)")
    }
}
