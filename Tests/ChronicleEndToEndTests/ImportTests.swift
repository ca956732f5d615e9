import Foundation
import Testing

/// `chronicle import`: NDJSON, all-or-nothing, `--dry-run`, idempotent re-import.
@Suite struct ImportTests {
    @Test func importIsAllOrNothing() async throws {
        let sandbox = try await Sandbox.initialised()
        var lines = BaseHistory.lines
        lines.insert(
            #"{"type":"MemberJoined","occurredAt":"2021-10-01","data":{"collaborative":"oldham","member":"ol-02","sector":"health"}}"#,
            at: 4)
        let result = try await sandbox.expectImportRefusal(
            lines, mentioning: ["line 5", "join-when-not-active", "ol-02"])
        #expect(!result.stderr.contains("line 4"))
        let report = try await sandbox.verify()
        #expect(report.events == 0 && report.head.seq == 0)
        #expect(try await sandbox.log().events.isEmpty)
    }

    @Test func dryRunWritesNothing() async throws {
        let sandbox = try await Sandbox.initialised()
        let report = try await sandbox.importNDJSON(BaseHistory.ndjson, extra: ["--dry-run"])
        #expect(report.dryRun && report.lines == BaseHistory.count && report.appended == BaseHistory.count)
        let verify = try await sandbox.verify()
        #expect(verify.events == 0 && verify.head.seq == 0)
    }

    @Test func aDryRunCountsTheLinesStoredAlreadyAsTheImportWould() async throws {
        let sandbox = try await Sandbox.initialised()
        let stored = 5
        _ = try await sandbox.importNDJSON(BaseHistory.lines.prefix(stored).joined(separator: "\n") + "\n")
        let head = try await sandbox.head()
        let dryRun = try await sandbox.importNDJSON(BaseHistory.ndjson, extra: ["--dry-run"])
        #expect(dryRun.dryRun && dryRun.appended == BaseHistory.count - stored && dryRun.duplicates == stored)
        #expect(try await sandbox.head() == head)
        let real = try await sandbox.importNDJSON(BaseHistory.ndjson)
        #expect(real.appended == dryRun.appended && real.duplicates == dryRun.duplicates)
    }

    @Test func importWritesEveryLineInOrder() async throws {
        let sandbox = try await Sandbox.initialised()
        let report = try await sandbox.importNDJSON(BaseHistory.ndjson)
        #expect(!report.dryRun && !report.restored)
        #expect(report.lines == BaseHistory.count && report.appended == BaseHistory.count && report.duplicates == 0)
        #expect(report.head.seq == BaseHistory.count && report.head.recordedAt == Sandbox.defaultNow)
        let log = try await sandbox.log()
        #expect(log.seqs == Array(1...BaseHistory.count))
        #expect(log.events.first?.event.id == BaseHistory.oldhamFormed)
        #expect(log.events.allSatisfy { $0.event.recordedBy == "tester" })
    }

    @Test func reimportingTheSameFileIsANoOp() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let head = try await sandbox.head()
        let report = try await sandbox.importNDJSON(BaseHistory.ndjson, now: "2024-09-05T10:00:00Z")
        #expect(report.appended == 0 && report.duplicates == BaseHistory.count && report.head == head)
        #expect(try await sandbox.head() == head)
    }

    @Test func importReadsStandardInput() async throws {
        let sandbox = try await Sandbox.initialised()
        let result = try await sandbox.succeed(["import", "--json", "-"], input: Data(BaseHistory.ndjson.utf8))
        try await validateJSON(result.stdout, schema: "output/import.v1")
        #expect(try decode(ImportReport.self, from: result.stdout).appended == BaseHistory.count)
    }

    @Test func reimportingAnExportIntoTheSameStoreIsANoOp() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let export = try await sandbox.export()
        let head = try await sandbox.head()
        let report = try await sandbox.importNDJSON(export, now: "2024-09-05T10:00:00Z")
        #expect(report.appended == 0 && report.duplicates == BaseHistory.count && !report.restored)
        #expect(try await sandbox.head() == head)
    }
}
