import Foundation
import Testing

/// `chronicle copy --from LOCATION --to LOCATION`: a whole history into an empty store, both ends verified.
@Suite struct CopyTests {
    /// The summary of `copy --json`.
    struct CopyReport: Decodable {
        struct Verification: Decodable {
            let sound: Bool
            let events: Int
            let head: Head
        }
        let from: String
        let to: String
        let events: Int
        let subjectKeys: Int
        let head: Head
        let tagged: Int
        let source: Verification
        let target: Verification
    }

    @Test func copyIntoANewDirectoryKeepsEveryEventAndKeySoTheExportsAreByteIdentical() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let target = sandbox.root.appendingPathComponent("copy").path
        let result = try await sandbox.succeed(["copy", "--from", sandbox.storeLocation, "--to", target, "--json"])
        try await validateJSON(result.stdout, schema: "output/copy.v1")
        let report = try JSONDecoder().decode(CopyReport.self, from: Data(result.stdout.utf8))
        let head = try await sandbox.head()
        #expect(report.events == BaseHistory.count && report.head == head, "\(result)")
        #expect(report.source.sound && report.target.sound && report.target.head == head, "\(result)")
        #expect(report.subjectKeys > 0 && report.tagged == BaseHistory.count, "\(result)")
        #expect(report.from == sandbox.storeLocation && report.to == target)

        let original = try await sandbox.export()
        let copied = try await sandbox.succeed(["export", "--store", target])
        #expect(copied.stdout == original)
        // The subject keys came along: the copy reads the members' names, which are sealed with them.
        let names = try await sandbox.succeed(["log", "--store", target, "--json"])
        let originalNames = try await sandbox.succeed(["log", "--json"])
        #expect(names.stdout == originalNames.stdout)
        #expect(try modes(of: target) == [0o700, 0o600, 0o600])
    }

    @Test func copyPrintsAOneScreenSummaryNamingBothStores() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let target = sandbox.root.appendingPathComponent("copy").path
        let result = try await sandbox.succeed(["copy", "--from", sandbox.storeLocation, "--to", target])
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3, "\(result)")
        #expect(lines.first?.hasPrefix("copied \(BaseHistory.count) events") == true, "\(result)")
        #expect(result.stdout.contains(target) && result.stdout.contains("target sound"), "\(result)")
    }

    @Test func copyIntoAStoreThatHoldsEventsIsRefusedAndChangesNothing() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let other = try await Sandbox.initialised()
        try await other.succeed(["demo", "--store", other.root.appendingPathComponent("demo").path])
        let target = other.root.appendingPathComponent("demo").path
        let before = try await other.succeed(["export", "--store", target])
        let result = try await sandbox.run(["copy", "--from", sandbox.storeLocation, "--to", target])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("not empty") && result.stdout.isEmpty, "\(result)")
        let after = try await other.succeed(["export", "--store", target])
        #expect(after.stdout == before.stdout)
    }

    @Test func copyIntoAnEmptyStoreThatInitCreatedSucceeds() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let target = sandbox.root.appendingPathComponent("empty").path
        try await sandbox.succeed(["init", "--store", target])
        try await sandbox.succeed(["copy", "--from", sandbox.storeLocation, "--to", target])
        let copied = try await sandbox.succeed(["export", "--store", target])
        #expect(copied.stdout == (try await sandbox.export()))
    }

    @Test(.lmdbOnly("names one store directory by two paths"))
    func copyOfAStoreOntoItselfIsRefused() async throws {
        let sandbox = try await Sandbox.initialised()
        let result = try await sandbox.run(["copy", "--from", sandbox.store.path, "--to", sandbox.store.path + "/."])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("same store"), "\(result)")
    }

    @Test func copyFromAMissingStoreExits66AndCreatesNothing() async throws {
        let sandbox = try Sandbox()
        let target = sandbox.root.appendingPathComponent("copy").path
        let result = try await sandbox.run(["copy", "--from", sandbox.storeLocation, "--to", target])
        #expect(result.status == 66, "\(result)")
        #expect(!FileManager.default.fileExists(atPath: target), "\(result)")
    }

    @Test func copyIntoADirectoryHoldingOtherFilesIsRefused() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let target = sandbox.root.appendingPathComponent("full")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: target.appendingPathComponent("notes.txt"))
        let result = try await sandbox.run(["copy", "--from", sandbox.storeLocation, "--to", target.path])
        #expect(result.status == 64, "\(result)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == ["notes.txt"])
    }

    @Test func aPostgresURIIsOpenedAsADatabaseAndNeverCreatedAsADirectory() async throws {
        let sandbox = try Sandbox()
        let uri = "postgresql://nobody@127.0.0.1:1/none"
        for arguments in [["init", "--store", uri], ["copy", "--from", uri, "--to", "copy"]] {
            let result = try await sandbox.run(arguments)
            // Nothing listens on port 1: the store cannot be reached (exit 74), and is not "missing" (66).
            #expect(result.status == 74, "\(result)")
            #expect(!result.stderr.contains(uri + "/"), "\(result)")
        }
        let entries = try FileManager.default.contentsOfDirectory(atPath: sandbox.root.path)
        #expect(!entries.contains { $0.hasPrefix("postgres") } && !entries.contains("copy"), "\(entries)")
    }

    @Test func storeHelpNamesADirectoryOrAPostgresURI() async throws {
        let sandbox = try Sandbox()
        for command in [["status"], ["report", "attendance"], ["record", "workshop"]] {
            let help = try await sandbox.succeed(command + ["--help"]).stdout
            #expect(help.contains("--store <dir|uri>") && help.contains("postgresql://"), "\(command): \(help)")
        }
    }

    @Test func restoreOfABackupReproducesTheHistoryAndRefusesAStoreThatHoldsEvents() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let backup = sandbox.root.appendingPathComponent("backup").path
        let target = sandbox.root.appendingPathComponent("restored").path
        try await sandbox.succeed(["backup", backup])
        let restored = try await sandbox.succeed(["restore", backup, "--store", target])
        #expect(restored.stdout.hasPrefix("restored \(BaseHistory.count) events"), "\(restored)")
        let copied = try await sandbox.succeed(["export", "--store", target])
        #expect(copied.stdout == (try await sandbox.export()))
        #expect(try modes(of: target) == [0o700, 0o600, 0o600])
        let again = try await sandbox.run(["restore", backup, "--store", target])
        #expect(again.status == 64 && again.stderr.contains("not empty"), "\(again)")
        let missing = try await sandbox.run(["restore", sandbox.root.appendingPathComponent("none").path])
        #expect(missing.status == 66, "\(missing)")
    }

    /// The modes of a store directory, its data file and its lock file.
    private func modes(of directory: String) throws -> [Int] {
        try [directory, directory + "/data.mdb", directory + "/lock.mdb"].map { path in
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            return (attributes[.posixPermissions] as? Int) ?? -1
        }
    }
}
