import Testing

@testable import ChronicleCLI

/// Issue 15, item 3: on PostgreSQL the recorder is the database user, and `--by` cannot name anyone else.
@Suite struct RecorderIdentityTests {
    @Test func byNamingSomeoneElseThanTheDatabaseUserIsRefusedOnPostgreSQL() {
        #expect {
            try checkRecorder(requested: "bob", storeIsPostgres: true, databaseUser: "ann")
        } throws: { error in
            guard let error = error as? CLIError else { return false }
            return error.status == .permissionDenied
                && error.message
                    == "on PostgreSQL the recorder is the database user ann; --recorded-by cannot name bob: "
                    + "connect as bob instead"
        }
    }

    @Test func byNamingTheDatabaseUserIsAcceptedOnPostgreSQL() throws {
        try checkRecorder(requested: "ann", storeIsPostgres: true, databaseUser: "ann")
    }

    @Test func noByIsAcceptedOnPostgreSQL() throws {
        try checkRecorder(requested: nil, storeIsPostgres: true, databaseUser: "ann")
    }

    @Test func byNamesAnyoneOnLMDB() throws {
        try checkRecorder(requested: "bob", storeIsPostgres: false, databaseUser: "ann")
    }

    @Test func byDiffersFromTheDatabaseUserEvenInCaseOnly() {
        // PostgreSQL role names are case-sensitive: Ann and ann are two users.
        #expect(throws: CLIError.self) {
            try checkRecorder(requested: "Ann", storeIsPostgres: true, databaseUser: "ann")
        }
    }
}
