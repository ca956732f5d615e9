import Foundation
import Testing

/// Issue 17, item 5: `chronicle members`, the roster and its search, and the names a register's unknown
/// name is closest to.
@Suite struct MembersTests {
    /// `members --json`.
    struct Roster: Decodable {
        struct Member: Decodable {
            struct Membership: Decodable, Equatable {
                let collaborative: String
                let joined: String
                let left: String?
            }
            struct Role: Decodable, Equatable {
                let collaborative: String
                let role: String
                let subgroup: String?
                let appointment: String
                let since: String
            }
            let member: String
            let name: String?
            let organisation: String?
            let sector: String
            let erased: Bool
            let memberships: [Membership]
            let roles: [Role]
        }
        let asOf: String
        let members: [Member]

        func member(_ slug: String) -> Member? { members.first { $0.member == slug } }
    }

    /// The register tests' history (two Sam Smiths in oldham, Jo Bloggs in rochdale) and José Álvarez in
    /// rochdale.
    static func sandbox() async throws -> Sandbox {
        let sandbox = try await RegisterImportTests.sandbox()
        try await sandbox.importNDJSON(
            #"{"type":"MemberJoined","occurredAt":"2022-02-01","data":{"collaborative":"rochdale","member":"ro-03","sector":"primary-school","name":"José Álvarez","organisation":"Castleton Primary"}}"#
                + "\n")
        return sandbox
    }

    static func roster(
        _ arguments: [String], in sandbox: Sandbox, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Roster {
        let result = try await sandbox.succeed(["members", "--json"] + arguments, sourceLocation: sourceLocation)
        try await validateJSON(result.stdout, schema: "output/members.v1", sourceLocation: sourceLocation)
        return try decode(Roster.self, from: result.stdout)
    }

    @Test func theRosterListsEveryonesDetailsMembershipsAndCurrentRoles() async throws {
        let sandbox = try await Self.sandbox()
        let roster = try await Self.roster([], in: sandbox)
        #expect(
            roster.members.map(\.member) == [
                "ol-02", "ol-03", "ol-17", "ol-21", "ol-22", "ro-01", "ro-02", "ro-03", "staff-01",
            ])
        let anchor = try #require(roster.member("ol-02"))
        #expect(anchor.name == "Pat Anchor" && anchor.sector == "la-education" && !anchor.erased)
        #expect(
            anchor.roles == [
                .init(
                    collaborative: "oldham", role: "anchor", subgroup: nil, appointment: "formal", since: "2021-09-01")
            ])
        #expect(roster.member("ol-17")?.organisation == "Hathershaw College")
        #expect(
            roster.member("ol-03")?.memberships == [
                .init(collaborative: "oldham", joined: "2021-11-15", left: "2023-07-20")
            ])
    }

    @Test func theRosterIsAsOfDAndKnownAtK() async throws {
        let sandbox = try await Self.sandbox()
        let before = try await Self.roster(["--as-of", "2022-01-01"], in: sandbox)
        #expect(before.member("ol-03")?.memberships.map(\.left) == [nil])
        #expect(before.member("ol-21") == nil, "ol-21 joined on 2022-01-10")
        let known = try await Self.roster(["--known-at", "2020-01-01"], in: sandbox)
        #expect(known.members.isEmpty)
    }

    @Test(arguments: ["jose", "ÁLVAREZ", "  josé   alv", "Jose Alvarez"])
    func nameSearchIgnoresCaseAccentsAndSpaces(_ text: String) async throws {
        let sandbox = try await Self.sandbox()
        let roster = try await Self.roster(["--name", text], in: sandbox)
        #expect(roster.members.map(\.member) == ["ro-03"])
        #expect(roster.member("ro-03")?.name == "José Álvarez")
    }

    @Test func collaborativeAndSectorNarrowTheRoster() async throws {
        let sandbox = try await Self.sandbox()
        let rochdale = try await Self.roster(["--collaborative", "rochdale"], in: sandbox)
        #expect(rochdale.members.map(\.member) == ["ro-01", "ro-02", "ro-03"])
        let health = try await Self.roster(["--collaborative", "oldham", "--sector", "health"], in: sandbox)
        #expect(health.members.map(\.member) == ["ol-21", "ol-22"])
        let unknown = try await sandbox.run(["members", "--sector", "helth"])
        #expect(unknown.status == 64 && unknown.stderr.contains("--sector"), "\(unknown)")
        let misspelt = try await sandbox.run(["members", "--collaborative", "oldam"])
        #expect(misspelt.status == 65 && misspelt.stderr.contains("did you mean oldham"), "\(misspelt)")
    }

    @Test func anErasedPersonHasNoNameAndIsNeverFoundByName() async throws {
        let sandbox = try await Self.sandbox()
        try await sandbox.succeed(["erase", "member", "ro-03", "--reason", "erasure request 2024-031"])
        let roster = try await Self.roster([], in: sandbox)
        let erased = try #require(roster.member("ro-03"))
        #expect(erased.erased && erased.name == nil && erased.organisation == nil)
        #expect(try await Self.roster(["--name", "jose"], in: sandbox).members.isEmpty)
        let table = try await sandbox.succeed(["members", "--collaborative", "rochdale"])
        #expect(!table.stdout.contains("José") && !table.stdout.contains("Castleton"), "\(table)")
        let csv = try await sandbox.succeed(["members", "--csv"])
        #expect(!csv.stdout.contains("José") && !csv.stdout.contains("Castleton"), "\(csv)")
    }

    @Test func theTableAndTheCSVShowTheSamePeople() async throws {
        let sandbox = try await Self.sandbox()
        let table = try await sandbox.succeed(["members", "--collaborative", "oldham"])
        #expect(table.stdout.contains("MEMBER"), "\(table)")
        #expect(table.stdout.contains("Pat Anchor"), "\(table)")
        #expect(table.stdout.contains("anchor of oldham since 2021-09-01"), "\(table)")
        #expect(table.stdout.contains("oldham joined 2021-11-15, left 2023-07-20"), "\(table)")
        let csv = try await sandbox.succeed(["members", "--csv", "--collaborative", "oldham"])
        let lines = csv.stdout.split(separator: "\r\n")
        #expect(
            lines.first
                == "as_of,known_at,last_seq,last_hash,member,name,sector,organisation,erased,memberships,roles",
            "\(csv)")
        #expect(lines.count == 1 + 6, "\(csv)")
    }

    // MARK: - A register's unknown name

    @Test func aRegistersUnknownNameSuggestsTheClosestActiveNames() async throws {
        let sandbox = try await Self.sandbox()
        let path = try RegisterImportTests.write(
            RegisterImportTests.register + ["26/10/2023,ol-ws-22,,Pat Anchr,yes", "26/10/2023,ol-ws-22,,Smith,yes"],
            in: sandbox)
        try await RegisterImportTests.expectRefusal(
            [path], in: sandbox,
            lines: [
                [
                    #"line 7: column "Name" (D): unknown name: no member named "Pat Anchr" is active in oldham"#,
                    "; closest names: Pat Anchor (ol-02)",
                ],
                [
                    #"line 8: column "Name" (D): unknown name: no member named "Smith""#,
                    "; closest names: Sam Smith (ol-21), Sam Smith (ol-22)",
                ],
            ])
    }
}
