import Foundation
import Testing

/// Issue 15, item 3: who may do what on a shared log is PostgreSQL's to enforce (`grant`, `revoke`), and the
/// recorder is the database user.
@Suite struct GrantTests {
    /// A member joining `collaborative` (a new member each time: `slug`).
    static func joining(_ collaborative: String, _ slug: String) -> [String] {
        [
            "record", "member-joined", "--collaborative", collaborative, "--member", slug, "--sector", "health",
            "--on", "2024-08-01",
        ]
    }

    // MARK: - Both backends

    @Test(
        .lmdbOnly("an LMDB store has no roles"),
        arguments: [["grant", "recorder", "ann"], ["revoke", "reader", "ann"]])
    func grantsOnAnLMDBStoreAreRefusedAsAUsageError(_ arguments: [String]) async throws {
        let sandbox = try await Sandbox.initialised()
        let result = try await sandbox.run(arguments)
        #expect(result.status == 64, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(
            result.stderrLines == [
                "chronicle: error: grants need a PostgreSQL store (--store postgresql://…); an LMDB store's access is "
                    + "its directory's file permissions"
            ], "\(result)")
    }

    @Test(arguments: ["reader", "admin"])
    func collaborativeLimitsARecorderOnly(_ access: String) async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run(["grant", access, "ann", "--collaborative", "oldham"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("--collaborative limits a recorder only"), "\(result)")
    }

    @Test func grantRefusesACollaborativeThatIsNotASlug() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run(["grant", "recorder", "ann", "--collaborative", "Oldham Town"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains(#"--collaborative: "Oldham Town" is not a slug"#), "\(result)")
    }

    @Test func grantRefusesAnAccessItDoesNotKnow() async throws {
        let sandbox = try Sandbox()
        let result = try await sandbox.run(["grant", "owner", "ann"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
    }

    // MARK: - PostgreSQL

    @Test(.postgresOnly("the format of a PostgreSQL schema"))
    func aFormatOneStoreIsReadAndRecordedAsItIsUntilItsOwnerUpgradesIt() async throws {
        let sandbox = try Sandbox()
        let database = try #require(sandbox.database)
        let fixture = try String(
            contentsOf: Locations.packageRoot.appendingPathComponent("Tests/Fixtures/postgresql-format-1-store.sql"),
            encoding: .utf8)
        // The tester, owner of the database, loads the store an earlier build made, and so owns it.
        let roles = ["reader", "recorder", "admin"].map { "CREATE ROLE \(database)_\($0) NOLOGIN;\n" }.joined()
        _ = try PostgresServer.psql(
            url: sandbox.storeLocation,
            sql: roles + "GRANT \(database)_reader TO \(database)_recorder;\n"
                + fixture.replacingOccurrences(of: "{database}", with: database),
            password: PostgresServer.testerPassword)
        let ann = try sandbox.createLoginRole("ann")
        try PostgresServer.execute("GRANT \(database)_recorder TO \(ann.role)")
        let format = {
            try PostgresServer.psql(
                url: sandbox.storeLocation, sql: "SELECT value FROM chronicle.meta WHERE key = 'format'",
                password: PostgresServer.testerPassword
            ).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        // Every role reads and records a format-1 store as it is (earlier builds, which refuse format 2, go on).
        let before = try await sandbox.log(["--collaborative", "oldham"]).events.count
        let recorded = try await sandbox.run(Self.joining("oldham", "ol-40"), environment: ann.environment)
        #expect(recorded.status == 0, "\(recorded)")
        let refused = try await sandbox.run(["init"], environment: ann.environment)
        #expect(refused.status == 77, "\(refused)")
        #expect(refused.stderrLines.count == 1, "\(refused)")
        #expect(refused.stderr.contains("is format 1 and this build writes format 2"), "\(refused)")
        #expect(refused.stderr.contains("only its owner (tester) or a superuser can upgrade it"), "\(refused)")
        // The owner's reads leave it so.
        #expect(try await sandbox.run(["verify", "--projections"]).status == 0)
        #expect(try format() == "1")

        // On a read-only connection, the owner is told the database is read-only, not that it may not.
        try PostgresServer.execute("ALTER DATABASE \(database) SET default_transaction_read_only = on")
        let readOnlyInit = try await sandbox.run(["init"])
        #expect(readOnlyInit.status == 74, "\(readOnlyInit)")
        #expect(readOnlyInit.stderr.contains("is format 1 and read-only here"), "\(readOnlyInit)")
        // So is anyone else: no role could upgrade it there.
        let readOnlyInitByAnn = try await sandbox.run(["init"], environment: ann.environment)
        #expect(readOnlyInitByAnn.status == 74, "\(readOnlyInitByAnn)")
        #expect(readOnlyInitByAnn.stderr.contains("is format 1 and read-only here"), "\(readOnlyInitByAnn)")
        let readOnlyRecord = try await sandbox.run(Self.joining("oldham", "ol-41"))
        #expect(readOnlyRecord.status == 74, "\(readOnlyRecord)")
        #expect(readOnlyRecord.stderr.contains("is read-only"), "\(readOnlyRecord)")
        #expect(!readOnlyRecord.stderr.contains("may not"), "\(readOnlyRecord)")
        try PostgresServer.execute("ALTER DATABASE \(database) RESET default_transaction_read_only")
        #expect(try format() == "1")

        // The owner's init upgrades it and says so; everyone goes on recording.
        let upgraded = try await sandbox.run(["init"])
        #expect(upgraded.status == 0, "\(upgraded)")
        #expect(upgraded.stdout.contains("upgraded it from format 1 to format 2"), "\(upgraded)")
        #expect(try format() == "2")
        let again = try await sandbox.run(Self.joining("oldham", "ol-41"), environment: ann.environment)
        #expect(again.status == 0, "\(again)")
        #expect(try await sandbox.log(["--collaborative", "oldham"]).events.count == before + 2)
        #expect(try await sandbox.run(["verify", "--projections"]).status == 0)
    }

    @Test(.postgresOnly("grants are PostgreSQL roles"))
    func aRecorderGrantedWithGrantRecordsUnderItsOwnName() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let ann = try sandbox.createLoginRole("ann")
        let granted = try await sandbox.succeed(["grant", "recorder", ann.role, "--json"])
        try await validateJSON(granted.stdout, schema: "output/grant.v1")
        #expect(
            try JSONSerialization.jsonObject(with: granted.stdoutData) as? NSDictionary
                == ["granted": "recorder", "role": ann.role, "collaboratives": NSNull()])
        let recorded = try await sandbox.run(Self.joining("oldham", "ol-40") + ["--json"], environment: ann.environment)
        #expect(recorded.status == 0, "\(recorded)")
        let report = try await sandbox.log(["--member", "ol-40"])
        #expect(report.events.map(\.event.recordedBy) == [ann.role])
    }

    @Test(.postgresOnly("grants are PostgreSQL roles"))
    func aReaderReadsButCannotRecordAndNothingIsWritten() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let eve = try sandbox.createLoginRole("eve")
        try await sandbox.succeed(["grant", "reader", eve.role])
        let before = try await sandbox.head()
        let log = try await sandbox.run(["log", "--json"], environment: eve.environment)
        #expect(log.status == 0, "\(log)")
        let refused = try await sandbox.run(Self.joining("oldham", "ol-40"), environment: eve.environment)
        #expect(refused.status == 77, "\(refused)")
        #expect(
            refused.stderrLines == [
                "chronicle: error: appending needs the \(sandbox.database ?? "")_recorder role (\(eve.role) does not "
                    + "have it); nothing was written"
            ], "\(refused)")
        #expect(refused.stdout.isEmpty, "\(refused)")
        #expect(try await sandbox.head() == before)
    }

    @Test(.postgresOnly("grants are PostgreSQL roles"))
    func aRecorderLimitedToOldhamCannotRecordForRochdale() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let ann = try sandbox.createLoginRole("ann")
        let granted = try await sandbox.succeed(["grant", "recorder", ann.role, "--collaborative", "oldham", "--json"])
        try await validateJSON(granted.stdout, schema: "output/grant.v1")
        #expect(
            try JSONSerialization.jsonObject(with: granted.stdoutData) as? NSDictionary
                == ["granted": "recorder", "role": ann.role, "collaboratives": ["oldham"]])
        let before = try await sandbox.head()
        let refused = try await sandbox.run(Self.joining("rochdale", "ro-40"), environment: ann.environment)
        #expect(refused.status == 77, "\(refused)")
        #expect(refused.stderrLines.count == 1, "\(refused)")
        #expect(
            refused.stderr.contains("role \(ann.role) may not record for collaborative rochdale (granted: oldham)"),
            "the refusal should name the collaborative: \(refused)")
        #expect(try await sandbox.head() == before)
        let allowed = try await sandbox.run(Self.joining("oldham", "ol-40"), environment: ann.environment)
        #expect(allowed.status == 0, "\(allowed)")
    }

    @Test(.postgresOnly("grants are PostgreSQL roles"))
    func anImportPastTenThousandLinesByARecorderLimitedToOldhamNamesTheLineForRochdale() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let ann = try sandbox.createLoginRole("ann")
        try await sandbox.succeed(["grant", "recorder", ann.role, "--collaborative", "oldham"])
        // The store writes a batch 10,000 events a call: the refused line is in the second call.
        let lines = (1...10_002).map { number in
            let collaborative = number == 10_001 ? "rochdale" : "oldham"
            return #"{"type":"MemberJoined","occurredAt":"2024-08-01","data":{"collaborative":""#
                + collaborative + #"","member":"m-\#(number)","sector":"health"}}"#
        }
        let path = try sandbox.file("large.ndjson", lines.joined(separator: "\n") + "\n")
        let before = try await sandbox.head()
        let refused = try await sandbox.run(["import", path], environment: ann.environment)
        #expect(refused.status == 77, "\(refused)")
        #expect(
            refused.stderrLines == [
                "chronicle: error: line 10001: role \(ann.role) may not record for collaborative rochdale (granted: "
                    + "oldham): event 10001 of the batch names it; nothing was written"
            ], "\(refused)")
        #expect(try await sandbox.head() == before)
    }

    @Test(.postgresOnly("grants are PostgreSQL roles"))
    func aStreamedImportByALimitedRecorderIsJudgedAsOneBatchRuleFirstAndEventByItsPlaceInTheFile() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let ann = try sandbox.createLoginRole("ann")
        try await sandbox.succeed(["grant", "recorder", ann.role, "--collaborative", "oldham"])
        func joining(_ collaborative: (Int) -> String) -> String {
            (1...7).map { number in
                #"{"type":"MemberJoined","occurredAt":"2024-08-01","data":{"collaborative":""#
                    + collaborative(number) + #"","member":"m-\#(number)","sector":"health"}}"# + "\n"
            }.joined()
        }
        // Two lines a stretch: the server refuses the first stretch's write before the rules are judged.
        var environment = ann.environment
        environment["CHRONICLE_TEST_IMPORT_STRETCH"] = "2"
        let before = try await sandbox.head()
        // A collaborative never formed, on line 1: the rule, as one batch judges it first (exit 65).
        let unformed = try sandbox.file("unformed.ndjson", joining { $0 == 1 ? "east-sussex" : "oldham" })
        let ruled = try await sandbox.run(["import", unformed], environment: environment)
        #expect(ruled.status == 65, "\(ruled)")
        #expect(ruled.stderr.contains("line 1: rule collaborative-exists"), "\(ruled)")
        // A formed collaborative not granted, on line 6 (the third stretch): named by its place in the file.
        let ungranted = try sandbox.file("ungranted.ndjson", joining { $0 == 6 ? "rochdale" : "oldham" })
        let refused = try await sandbox.run(["import", ungranted], environment: environment)
        #expect(refused.status == 77, "\(refused)")
        #expect(
            refused.stderrLines == [
                "chronicle: error: line 6: role \(ann.role) may not record for collaborative rochdale (granted: "
                    + "oldham): event 6 of the batch names it; nothing was written"
            ], "\(refused)")
        #expect(try await sandbox.head() == before)
    }

    @Test(.postgresOnly("grants are PostgreSQL roles"), arguments: [nil, "2"])
    func anImportRefusedForAnUngrantedCollaborativeNamesTheLinePastBlankLines(_ stretch: String?) async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let ann = try sandbox.createLoginRole("ann")
        try await sandbox.succeed(["grant", "recorder", ann.role, "--collaborative", "oldham"])
        // Seven events, a blank line before each of the first three and two before the sixth: the sixth
        // event, refused, is on line 11 of the file.
        var text = ""
        for number in 1...7 {
            if number <= 3 { text += "\n" }
            if number == 6 { text += "\n  \n" }
            let collaborative = number == 6 ? "rochdale" : "oldham"
            text +=
                #"{"type":"MemberJoined","occurredAt":"2024-08-01","data":{"collaborative":""#
                + collaborative + #"","member":"m-\#(number)","sector":"health"}}"# + "\n"
        }
        let path = try sandbox.file("blank-lines.ndjson", text)
        var environment = ann.environment
        // Two lines a stretch too: the server refuses a stretch's write, and one batch judges the file again.
        if let stretch { environment["CHRONICLE_TEST_IMPORT_STRETCH"] = stretch }
        let before = try await sandbox.head()
        let refused = try await sandbox.run(["import", path], environment: environment)
        #expect(refused.status == 77, "\(refused)")
        #expect(
            refused.stderrLines == [
                "chronicle: error: line 11: role \(ann.role) may not record for collaborative rochdale (granted: "
                    + "oldham): event 6 of the batch names it; nothing was written"
            ], "\(refused)")
        #expect(try await sandbox.head() == before)
    }

    @Test(.postgresOnly("grants are PostgreSQL roles"))
    func aRevokedRecorderCannotRecordAnyMore() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let ann = try sandbox.createLoginRole("ann")
        try await sandbox.succeed(["grant", "recorder", ann.role])
        #expect(try await sandbox.run(Self.joining("oldham", "ol-40"), environment: ann.environment).status == 0)
        let revoked = try await sandbox.succeed(["revoke", "recorder", ann.role, "--json"])
        try await validateJSON(revoked.stdout, schema: "output/revoke.v1")
        let before = try await sandbox.head()
        let refused = try await sandbox.run(Self.joining("oldham", "ol-41"), environment: ann.environment)
        #expect(refused.status == 77, "\(refused)")
        #expect(refused.stderrLines.count == 1, "\(refused)")
        #expect(try await sandbox.head() == before)
    }

    @Test(.postgresOnly("grants are PostgreSQL roles"))
    func aRecorderCannotEraseNorGrantAndNothingIsWritten() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let ann = try sandbox.createLoginRole("ann")
        try await sandbox.succeed(["grant", "recorder", ann.role])
        let before = try await sandbox.head()
        let database = sandbox.database ?? ""
        let erase = try await sandbox.run(
            ["erase", "member", "ol-02", "--reason", "request 1"], environment: ann.environment)
        #expect(erase.status == 77, "\(erase)")
        #expect(erase.stderrLines.count == 1, "\(erase)")
        #expect(erase.stderr.contains("erasing needs the \(database)_admin role"), "\(erase)")
        let grant = try await sandbox.run(["grant", "reader", ann.role], environment: ann.environment)
        #expect(grant.status == 77, "\(grant)")
        #expect(grant.stderrLines.count == 1, "\(grant)")
        #expect(grant.stderr.contains("granting needs the \(database)_admin role"), "\(grant)")
        #expect(try await sandbox.head() == before)
    }

    @Test(.postgresOnly("grants are PostgreSQL roles"))
    func grantingToARoleThatDoesNotExistIsTheServersErrorOnOneLine() async throws {
        let sandbox = try await Sandbox.initialised()
        let result = try await sandbox.run(["grant", "reader", "\(sandbox.database ?? "")_nobody"])
        #expect(result.status != 0 && !result.terminatedBySignal, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("nobody"), "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
    }

    @Test(.postgresOnly("a role without a grant"))
    func aLoginRoleWithoutAGrantCannotReadTheLog() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let mallory = try sandbox.createLoginRole("mallory")
        let result = try await sandbox.run(["log"], environment: mallory.environment)
        #expect(result.status == 77, "\(result)")
        #expect(result.stderrLines.count == 1, "\(result)")
        #expect(result.stderr.contains("role \(mallory.role) may not read the Chronicle store"), "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
    }

    @Test(.postgresOnly("init's group roles are PostgreSQL roles"))
    func initCreatesTheThreeGroupRolesAndMakesItsUserAnAdmin() async throws {
        let sandbox = try await Sandbox.initialised()
        let database = try #require(sandbox.database)
        let groups = try PostgresServer.execute(
            """
            SELECT r.rolname FROM pg_roles r WHERE r.rolname LIKE '\(database)\\_%' ORDER BY 1;
            SELECT pg_has_role('\(PostgresServer.testerRole)', '\(database)_admin', 'MEMBER');
            """)
        #expect(
            groups.split(separator: "\n") == ["\(database)_admin", "\(database)_reader", "\(database)_recorder", "t"],
            "\(groups)")
        let again = try await sandbox.succeed(["init"])
        #expect(again.stdout.hasPrefix("store already exists at "), "\(again)")
    }

    @Test(.postgresOnly("on LMDB CHRONICLE_NOW is everyone's clock"))
    func aRecordersEventsGetTheServersClockNotChronicleNow() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let ann = try sandbox.createLoginRole("ann")
        try await sandbox.succeed(["grant", "recorder", ann.role])
        let recorded = try await sandbox.run(
            Self.joining("oldham", "ol-40") + ["--json"], now: "2024-09-01T12:00:00Z", environment: ann.environment)
        #expect(recorded.status == 0, "\(recorded)")
        let report = try decode(AppendReport.self, from: recorded.stdout)
        let recordedAt = try #require(report.appended.first?.recordedAt)
        // The machine's clock is long past the pinned instant, and RFC 3339 instants in UTC sort as text.
        #expect(recordedAt > "2024-09-01T12:00:00Z", "\(recorded)")
    }

    // MARK: - The recorder is the database user

    @Test(.postgresOnly("on LMDB --recorded-by names the recorder"))
    func recordedByNamingAnotherUserIsRefusedOnPostgreSQL() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let before = try await sandbox.head()
        let result = try await sandbox.run(Self.joining("oldham", "ol-40") + ["--recorded-by", "bob"])
        #expect(result.status == 77, "\(result)")
        #expect(
            result.stderrLines == [
                "chronicle: error: on PostgreSQL the recorder is the database user tester; --recorded-by cannot name "
                    + "bob: connect as bob instead"
            ], "\(result)")
        #expect(try await sandbox.head() == before)
    }

    @Test(.postgresOnly("on LMDB CHRONICLE_USER names the recorder"))
    func theRecorderOnPostgreSQLIsTheDatabaseUserWhateverChronicleUserSays() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.run(
            Self.joining("oldham", "ol-40") + ["--recorded-by", "tester"],
            environment: ["CHRONICLE_USER": "someone-else"])
        #expect(result.status == 0, "\(result)")
        let report = try await sandbox.log(["--member", "ol-40"])
        #expect(report.events.map(\.event.recordedBy) == ["tester"])
    }

    @Test(.lmdbOnly("on PostgreSQL the database user is the recorder"))
    func recordedByNamesTheRecorderOnLMDB() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.record(Array(Self.joining("oldham", "ol-40").dropFirst()) + ["--recorded-by", "bob"])
        let report = try await sandbox.log(["--member", "ol-40"])
        #expect(report.events.map(\.event.recordedBy) == ["bob"])
    }
}
