import Foundation
import Testing

/// `status --json`.
private struct StatusReport: Decodable {
    struct Checkpoint: Decodable {
        let name: String
        let state: String
        let position: Int?
    }

    struct Member: Decodable, Equatable {
        let member: String
        let sector: String
        let organisation: String?
        let erased: Bool
        let since: String
    }

    struct Holder: Decodable, Equatable {
        let member: String
        let appointment: String
        let since: String
    }

    struct Slot: Decodable {
        let role: String
        let subgroup: String?
        let vacant: Bool
        let holders: [Holder]
    }

    struct SubGroup: Decodable {
        let subgroup: String
        let status: String
        let statusSince: String
        let lastChange: String
    }

    struct Counts: Decodable {
        let members: Int
        let bySector: [String: Int]
        let roleSlots: Int
        let vacantRoleSlots: Int
        let subgroups: Int
        let subgroupsByStatus: [String: Int]
        let workshops: Int
        let coachingSessions: Int
    }

    struct Collaborative: Decodable {
        let collaborative: String
        let members: [Member]
        let roles: [Slot]
        let subgroups: [SubGroup]
        let counts: Counts
    }

    let lastSeq: Int
    let lastHash: String
    let digest: String
    let retracted: Int
    let checkpoint: Checkpoint
    let collaboratives: [Collaborative]
}

/// `rebuild --json`, and the `projections` of `verify --projections --json`.
private struct RebuildReport: Decodable {
    struct Comparison: Decodable {
        let outcome: String
        let position: Int?
        let stored: String?
        let rebuilt: String?
    }

    let events: Int
    let eventsPerSecond: Double
    let lastSeq: Int
    let digest: String
    let checkpoint: Comparison
}

private struct ProjectionsReport: Decodable {
    let sound: Bool
    let fault: VerifyReport.Fault?
    let projections: [RebuildReport.Comparison]?
}

/// Issue 4 item 4 and issue 6 item 4: `chronicle status`, `chronicle rebuild` and `verify --projections`.
@Suite struct StatusRebuildTests {
    private func status(_ sandbox: Sandbox) async throws -> (StatusReport, CommandResult) {
        let result = try await sandbox.succeed(["status", "--json"])
        try await validateJSON(result.stdout, schema: "output/status.v1")
        return (try decode(StatusReport.self, from: result.stdout), result)
    }

    private func rebuild(_ sandbox: Sandbox) async throws -> RebuildReport {
        let result = try await sandbox.succeed(["rebuild", "--json"])
        try await validateJSON(result.stdout, schema: "output/rebuild.v1")
        #expect(result.stderr.isEmpty, "no progress bar when stderr is not a terminal: \(result)")
        return try decode(RebuildReport.self, from: result.stdout)
    }

    private func verifyProjections(_ sandbox: Sandbox) async throws -> (ProjectionsReport, CommandResult) {
        let result = try await sandbox.run(["verify", "--projections", "--json"])
        try await validateJSON(result.stdout, schema: "output/verify.v1")
        return (try decode(ProjectionsReport.self, from: result.stdout), result)
    }

    @Test func statusOfTheBaseHistoryIsItsPresentWorkedOutByHand() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let (report, result) = try await status(sandbox)
        #expect(result.stderr.isEmpty, "\(result)")
        let head = try await sandbox.head()
        #expect(report.lastSeq == BaseHistory.count && report.lastHash == head.hash)
        #expect(report.checkpoint.state == "current" && report.checkpoint.name == "present-view")
        #expect(report.collaboratives.map(\.collaborative) == ["oldham", "rochdale"])
        let oldham = try #require(report.collaboratives.first)
        // ol-03 left on 2023-07-20.
        #expect(
            oldham.members == [
                .init(member: "ol-02", sector: "la-education", organisation: nil, erased: false, since: "2021-09-01"),
                .init(
                    member: "ol-17", sector: "secondary-school", organisation: "Hathershaw College", erased: false,
                    since: "2021-11-15"),
                .init(
                    member: "staff-01", sector: "programme-staff", organisation: nil, erased: false, since: "2021-09-01"
                ),
            ])
        #expect(oldham.counts.bySector == ["la-education": 1, "secondary-school": 1, "programme-staff": 1])
        #expect(oldham.roles.map(\.role) == ["anchor"])
        #expect(oldham.roles.first?.holders == [.init(member: "ol-02", appointment: "formal", since: "2021-09-01")])
        #expect(oldham.counts.vacantRoleSlots == 0 && oldham.counts.roleSlots == 1)
        #expect(oldham.subgroups.map(\.subgroup) == ["ol-transitions"])
        #expect(oldham.subgroups.first?.status == "planned" && oldham.subgroups.first?.lastChange == "2022-01-20")
        #expect(oldham.counts.subgroupsByStatus == ["planned": 1])
        #expect(oldham.counts.workshops == 1 && oldham.counts.coachingSessions == 1)
        let rochdale = try #require(report.collaboratives.last)
        #expect(rochdale.members.map(\.member) == ["ro-01"])
        #expect(rochdale.counts.workshops == 0 && rochdale.roles.isEmpty)
    }

    @Test func statusFollowsLateEntriesAndRetractions() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        try await sandbox.retract(BaseHistory.workshop)
        // Late: ol-02 left on 2022-06-30, which ends their anchor role; ol-17 changed sector.
        try await sandbox.record([
            "member-left", "--collaborative", "oldham", "--member", "ol-02", "--reason", "capacity", "--on",
            "2022-06-30",
        ])
        try await sandbox.record([
            "member-details-changed", "--member", "ol-17", "--sector", "health", "--on", "2022-01-01",
        ])
        let (report, _) = try await status(sandbox)
        let oldham = try #require(report.collaboratives.first)
        #expect(report.retracted == 1 && report.lastSeq == BaseHistory.count + 3)
        #expect(oldham.members.map(\.member) == ["ol-17", "staff-01"])
        #expect(oldham.members.first?.sector == "health")
        #expect(oldham.counts.workshops == 0)
        #expect(oldham.roles.first?.vacant == true && oldham.counts.vacantRoleSlots == 1)
        let rebuilt = try await rebuild(sandbox)
        #expect(rebuilt.checkpoint.outcome == "matched" && rebuilt.digest == report.digest)
    }

    /// `status` reads the view one collaborative at a time, folding the events after the checkpoint into
    /// the records they change: on a generated history (erasures, late entries, retractions among them)
    /// with events recorded after its checkpoint, it prints byte for byte what it prints once `rebuild`
    /// has stored a checkpoint at the head, and its digest is the rebuild's.
    @Test func statusOfAGeneratedHistoryWithEventsAfterItsCheckpointIsWhatItIsOnceRebuilt() async throws {
        let sandbox = try await Sandbox.initialised()
        let path = sandbox.root.appendingPathComponent("history.ndjson").path
        try await sandbox.succeed([
            "generate", "--events", "3000", "--collaboratives", "6", "--seed", "2", "--out", path,
        ])
        try await sandbox.succeed(["import", path], now: "2025-09-01T12:00:00Z")
        let before = try await status(sandbox)
        let table = try await sandbox.succeed(["status"], now: "2025-09-01T12:00:00Z")
        let member = try #require(before.0.collaboratives.first?.members.first?.member)
        let collaborative = try #require(before.0.collaboratives.first?.collaborative)
        try await sandbox.succeed(
            [
                "record", "member-left", "--collaborative", collaborative, "--member", member, "--reason", "capacity",
                "--on", "2025-09-01",
            ],
            now: "2025-09-01T12:00:01Z")
        try await sandbox.succeed(["erase", "member", member, "--reason", "request"], now: "2025-09-01T12:00:02Z")
        let (behind, behindRun) = try await status(sandbox)
        let behindTable = try await sandbox.succeed(["status"], now: "2025-09-01T12:00:03Z")
        #expect(behind.checkpoint.state == "behind" && behind.lastSeq == 3_002, "\(behindRun)")
        #expect(behind.digest != before.0.digest && behindTable.stdout != table.stdout)
        let rebuilt = try await rebuild(sandbox)
        #expect(rebuilt.digest == behind.digest)
        let (current, currentRun) = try await status(sandbox)
        #expect(current.checkpoint.state == "current")
        // Only the checkpoint's state, the document's first key, differs.
        func afterCheckpoint(_ text: String) -> Substring? {
            text.firstRange(of: "\"collaboratives\":").map { text[$0.lowerBound...] }
        }
        #expect(afterCheckpoint(currentRun.stdout) != nil)
        #expect(afterCheckpoint(currentRun.stdout) == afterCheckpoint(behindRun.stdout))
        #expect(try await sandbox.succeed(["status"], now: "2025-09-01T12:00:04Z").stdout == behindTable.stdout)
    }

    @Test func statusTablePrintsTheCountsAndTheHead() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let result = try await sandbox.succeed(["status"])
        let head = try await sandbox.head()
        #expect(result.stdout.contains("present view after seq \(BaseHistory.count) \(head.hash)"), "\(result)")
        #expect(result.stdout.contains("COLLABORATIVE"), "\(result)")
        #expect(result.stdout.contains("oldham: Oldham Collaborative"), "\(result)")
        #expect(result.stdout.contains("sub-groups: planned 1"), "\(result)")
    }

    @Test func statusOfAnEmptyStoreIsEmpty() async throws {
        let sandbox = try await Sandbox.initialised()
        let (report, result) = try await status(sandbox)
        #expect(report.lastSeq == 0 && report.collaboratives.isEmpty && report.checkpoint.state == "missing")
        #expect(result.stderr.isEmpty, "\(result)")
        let text = try await sandbox.succeed(["status"])
        #expect(text.stdout.contains("(no collaborative formed)"), "\(text)")
    }

    @Test func rebuildFoldsTheWholeLogAndFindsTheCheckpointMatched() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let report = try await rebuild(sandbox)
        #expect(report.events == BaseHistory.count && report.lastSeq == BaseHistory.count)
        #expect(report.checkpoint.outcome == "matched" && report.checkpoint.position == BaseHistory.count)
        #expect(report.checkpoint.stored == report.digest && report.eventsPerSecond > 0)
        let text = try await sandbox.succeed(["rebuild"])
        #expect(text.stdout.contains("checkpoint matched"), "\(text)")
        #expect(text.stdout.contains("events/s"), "\(text)")
    }

    @Test func demoStoreHasACheckpointFromItsRestoreThatVerifies() async throws {
        let sandbox = try Sandbox()
        try await sandbox.succeed(["demo"])
        let (status, result) = try await status(sandbox)
        #expect(status.checkpoint.state == "current" && result.stderr.isEmpty, "\(result)")
        let (verified, run) = try await verifyProjections(sandbox)
        #expect(run.status == 0 && verified.sound, "\(run)")
        #expect(verified.projections?.first?.outcome == "matched")
        #expect(verified.projections?.first?.stored == status.digest)
    }

    @Test func verifyProjectionsPassesOnASoundStore() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let (report, result) = try await verifyProjections(sandbox)
        #expect(result.status == 0 && report.sound && report.fault == nil, "\(result)")
        #expect(report.projections?.map(\.outcome) == ["matched"])
        let text = try await sandbox.succeed(["verify", "--projections"])
        #expect(text.stdout.contains("projection present-view matches its checkpoint"), "\(text)")
    }

    @Test(.lmdbOnly("patches the checkpoint in data.mdb"))
    func verifyProjectionsDetectsACheckpointChangedUnderneath() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let (before, _) = try await status(sandbox)
        try changeStoredCheckpoint(in: sandbox, position: UInt64(BaseHistory.count))

        let plain = try await sandbox.run(["verify", "--projections"])
        #expect(plain.status == 1, "\(plain)")
        #expect(plain.stderrLines.count == 1, "\(plain)")
        #expect(plain.stderr.contains("projection present-view differs"), "\(plain)")
        #expect(plain.stderr.contains("rebuilt \(before.digest)"), "\(plain)")
        let (report, result) = try await verifyProjections(sandbox)
        #expect(result.status == 1 && !report.sound, "\(result)")
        let comparison = try #require(report.projections?.first)
        #expect(comparison.outcome == "differed" && comparison.rebuilt == before.digest)
        #expect(comparison.stored != before.digest)
        #expect(report.fault?.problem.contains("present-view") == true)
        // The chain itself is sound: plain verify passes.
        #expect(try await sandbox.verify().sound)

        let rebuilt = try await rebuild(sandbox)
        #expect(rebuilt.checkpoint.outcome == "differed" && rebuilt.checkpoint.rebuilt == before.digest)
        let (after, _) = try await verifyProjections(sandbox)
        #expect(after.sound)
    }

    /// Flips one byte of the stored checkpoint's state in `data.mdb`. LMDB stores a small record as its
    /// key followed by its value: the key `present-view`, then the u64 position, the encoding's version
    /// byte (3, the checkpoint encoding's version) and the u64 last seq, then the last hash, whose first byte is flipped.
    private func changeStoredCheckpoint(in sandbox: Sandbox, position: UInt64) throws {
        let dataFile = sandbox.store.appendingPathComponent("data.mdb")
        var bytes = try Data(contentsOf: dataFile)
        let seq = (0..<8).reversed().map { UInt8(truncatingIfNeeded: position >> ($0 * 8)) }
        let marker = Data(Array("present-view".utf8) + seq + [3] + seq)
        var found = 0
        var start = bytes.startIndex
        while let range = bytes.range(of: marker, in: start..<bytes.endIndex) {
            bytes[range.upperBound] ^= 0xFF
            found += 1
            start = range.upperBound
        }
        #expect(found >= 1, "the checkpoint was not found in data.mdb")
        try bytes.write(to: dataFile)
    }
}
