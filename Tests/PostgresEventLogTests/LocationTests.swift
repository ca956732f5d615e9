import EventLog
import Foundation
import Testing

@testable import PostgresEventLog

@Suite struct LocationTests {
    @Test func everyPartOfAURIIsReadAndPercentDecoded() throws {
        let location = try PostgresLocation(
            uri: "postgresql://ann%40north:p%3Ass%2Fw@db.example.org:6543/programme%20one"
                + "?sslmode=verify-full&application_name=chronicle&connect_timeout=7",
            environment: ["PGPASSWORD": "ignored", "PGHOST": "ignored", "PGPORT": "1"])
        #expect(location.user == "ann@north")
        #expect(location.password == "p:ss/w")
        #expect(location.host == "db.example.org")
        #expect(location.port == 6543)
        #expect(location.database == "programme one")
        #expect(location.sslMode == "verify-full")
        #expect(location.applicationName == "chronicle")
        #expect(location.connectTimeout == 7)
    }

    @Test func whatTheURILeavesOutComesFromThePGVariables() throws {
        let location = try PostgresLocation(
            uri: "postgres://",
            environment: [
                "PGHOST": "pg.internal", "PGPORT": "5433", "PGUSER": "bob", "PGPASSWORD": "hunter2",
                "PGDATABASE": "records", "PGSSLMODE": "require", "PGAPPNAME": "nightly",
            ])
        #expect(location.host == "pg.internal")
        #expect(location.port == 5433)
        #expect(location.user == "bob")
        #expect(location.password == "hunter2")
        #expect(location.database == "records")
        #expect(location.sslMode == "require")
        #expect(location.applicationName == "nightly")
    }

    @Test func theDatabaseDefaultsToTheUserAndTheRestToLibpqsDefaults() throws {
        let location = try PostgresLocation(uri: "postgresql://carol@", environment: [:])
        #expect(location.database == "carol")
        #expect(location.host == "localhost")
        #expect(location.port == 5432)
        #expect(location.sslMode == "prefer")
        #expect(location.password == nil)
    }

    @Test func aSocketDirectoryIsTakenFromAnEncodedHostOrTheHostParameter() throws {
        let encoded = try PostgresLocation(uri: "postgresql://ann@%2Ftmp%2Fpg%20sock:5999/db", environment: [:])
        #expect(encoded.host == "/tmp/pg sock")
        #expect(encoded.port == 5999)
        let parameter = try PostgresLocation(
            uri: "postgresql:///db?host=/var/run/postgresql&user=ann", environment: [:])
        #expect(parameter.host == "/var/run/postgresql")
        #expect(parameter.user == "ann")
        #expect(parameter.database == "db")
        #expect(parameter.description == "postgresql://ann@%2Fvar%2Frun%2Fpostgresql:5432/db")
    }

    @Test func anIPv6AddressKeepsItsColons() throws {
        let location = try PostgresLocation(uri: "postgresql://ann@[::1]:5440/db", environment: [:])
        #expect(location.host == "::1")
        #expect(location.port == 5440)
    }

    @Test func aBadPortSSLModeOrParameterIsNamedAndThePasswordIsNotShown() throws {
        for (uri, part) in [
            ("postgresql://ann:topsecret@host:99999/db", "port 99999"),
            ("postgresql://ann:topsecret@host/db?sslmode=sometimes", "sslmode sometimes"),
            ("postgresql://ann:topsecret@host/db?colour=blue", "unknown query parameter colour"),
            ("postgresql://ann:topsecret@host/db?connect_timeout=soon", "connect_timeout soon"),
        ] {
            do {
                _ = try PostgresLocation(uri: uri, environment: [:])
                Issue.record("\(uri) was accepted")
            } catch let error as EventLogError {
                #expect(error.description.contains(part), "\(error)")
                #expect(!error.description.contains("topsecret"), "\(error)")
                #expect(error.description.contains("ann:***@host"), "\(error)")
            }
        }
    }

    @Test func theDescriptionCarriesNoPassword() throws {
        let location = try PostgresLocation(uri: "postgresql://ann:topsecret@host:5432/db", environment: [:])
        #expect(location.description == "postgresql://ann@host:5432/db")
    }

    @Test func thePasswordFileIsReadOnlyWhenItsOwnerAloneMayReadIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("pgpass").path
        let contents = """
            # comment
            other:5432:db:ann:wrong
            db.example.org:5432:records:ann:pa\\:ss\\\\word
            *:*:*:ann:fallback

            """
        try contents.write(toFile: file, atomically: false, encoding: .utf8)
        let uri = "postgresql://ann@db.example.org/records"
        chmod(file, 0o644)
        #expect(try PostgresLocation(uri: uri, environment: ["PGPASSFILE": file]).password == nil)
        chmod(file, 0o600)
        #expect(try PostgresLocation(uri: uri, environment: ["PGPASSFILE": file]).password == "pa:ss\\word")
        let elsewhere = "postgresql://ann@elsewhere/records"
        #expect(try PostgresLocation(uri: elsewhere, environment: ["PGPASSFILE": file]).password == "fallback")
        let home = ["HOME": directory.path]
        try FileManager.default.moveItem(atPath: file, toPath: directory.appendingPathComponent(".pgpass").path)
        #expect(try PostgresLocation(uri: uri, environment: home).password == "pa:ss\\word")
        #expect(
            try PostgresLocation(uri: uri, environment: home.merging(["PGPASSWORD": "env"]) { $1 }).password == "env")
    }

    @Test func onlyPostgresURIsAreRecognised() {
        #expect(PostgresLocation.isURI("postgresql://host/db"))
        #expect(PostgresLocation.isURI("postgres://host/db"))
        #expect(!PostgresLocation.isURI("/var/lib/chronicle"))
        #expect(!PostgresLocation.isURI("mysql://host/db"))
    }

    @Test func aServerThatDoesNotAnswerIsACannotConnectError() throws {
        // Port 1 on loopback: nothing listens there.
        let location = try PostgresLocation(uri: "postgresql://ann:topsecret@127.0.0.1:1/db", environment: [:])
        do {
            _ = try PostgresEventStore(location: location)
            Issue.record("connected to port 1")
        } catch let error as EventLogError {
            #expect(error.description.hasPrefix("storage error: cannot connect to postgresql://ann@127.0.0.1:1/db: "))
            #expect(!error.description.contains("topsecret"))
        }
    }
}
