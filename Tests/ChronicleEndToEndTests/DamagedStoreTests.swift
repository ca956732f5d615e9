import Foundation
import Testing

/// Damaged stores (issue 16): a flipped byte in data.mdb is reported, never a crash, and an append refuses a
/// store whose head does not check.
@Suite struct DamagedStoreTests {
    /// The big-endian bytes of `value`.
    private static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    /// The 16 bytes of a UUID string.
    private static func uuidBytes(_ text: String) throws -> [UInt8] {
        let uuid = try #require(UUID(uuidString: text)).uuid
        return withUnsafeBytes(of: uuid) { Array($0) }
    }

    /// Applies `patch` to data.mdb at the one place `pattern` occurs (the test fails if it is not exactly one).
    private static func patch(
        _ sandbox: Sandbox, at pattern: [UInt8], _ patch: (inout Data, Int) -> Void,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Data {
        let dataFile = sandbox.store.appendingPathComponent("data.mdb")
        var bytes = try Data(contentsOf: dataFile)
        let first = try #require(bytes.range(of: Data(pattern)), sourceLocation: sourceLocation)
        #expect(
            bytes.range(of: Data(pattern), in: first.upperBound..<bytes.endIndex) == nil,
            "the pattern occurs twice", sourceLocation: sourceLocation)
        patch(&bytes, first.lowerBound)
        try bytes.write(to: dataFile)
        return bytes
    }

    @Test(.lmdbOnly("patches bytes of data.mdb"))
    func recordRefusesAStoreWhoseLastEventDoesNotMatchItsHash() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        // The last event's record: encoding version 1, its seq, then its id; one byte of the id altered.
        let head = [UInt8(1)] + Self.bigEndian(UInt64(BaseHistory.count)) + (try Self.uuidBytes(BaseHistory.ol03Left))
        let damaged = try Self.patch(sandbox, at: head) { bytes, start in bytes[start + head.count - 1] ^= 0x01 }

        let record = try await sandbox.run([
            "record", "member-joined", "--collaborative", "oldham", "--member", "ol-99", "--sector", "health",
            "--on", "2023-08-01",
        ])
        #expect(record.status == 74, "\(record)")
        #expect(record.stderrLines.count == 1 && record.stderr.contains("damaged"), "\(record)")
        #expect(record.stderr.contains("seq \(BaseHistory.count)"), "\(record)")
        let after = try Data(contentsOf: sandbox.store.appendingPathComponent("data.mdb"))
        #expect(after == damaged, "the refused append changed data.mdb")

        let verify = try await sandbox.run(["verify"])
        #expect(verify.status == 1, "\(verify)")
        #expect(verify.stderr.contains("seq \(BaseHistory.count)"), "\(verify)")
        #expect(verify.stderr.contains("chain sound through seq \(BaseHistory.count - 1)"), "\(verify)")
    }

    @Test(.lmdbOnly("patches an LMDB page in data.mdb"))
    func verifyReportsAnEntryRunningPastTheEndOfTheFileInsteadOfCrashing() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        // The ids index's node for the last event: key size 16 (little-endian), the id, then the seq. Its
        // data size's high half (the node's second u16, 6 bytes before the key size's end) is set so that
        // the value runs 16 MiB past its page, beyond the end of data.mdb.
        let node =
            [UInt8(16), 0] + (try Self.uuidBytes(BaseHistory.ol03Left)) + Self.bigEndian(UInt64(BaseHistory.count))
        _ = try Self.patch(sandbox, at: node) { bytes, start in
            bytes[start - 6 + 2] = 0x00
            bytes[start - 6 + 3] = 0x01
        }

        let verify = try await sandbox.run(["verify"])
        #expect(!verify.terminatedBySignal, "\(verify)")
        #expect(verify.status == 1, "\(verify)")
        #expect(verify.stderrLines.count == 1, "\(verify)")
        #expect(verify.stderr.contains("seq \(BaseHistory.count)") && verify.stderr.contains("damaged"), "\(verify)")
        for arguments in [["export"], ["log", "--json"], ["status"]] {
            let result = try await sandbox.run(arguments)
            #expect(!result.terminatedBySignal && result.status != 70, "\(result)")
        }
    }

    /// Points the node of `key` in its leaf page (its entry in the page's table of node offsets) 0xFFF0 bytes
    /// into the page, past the end of the small data file: LMDB meets the damage when a search compares keys
    /// there. A new `MemberJoined` event's key in the `types` index (type, seq) sorts between the base
    /// history's, so its insertion searches that page from its middle node, MemberJoined seq 6.
    private static func pointTypesNodePastTheEndOfTheFile(_ sandbox: Sandbox) throws -> Data {
        let key = Array("MemberJoined".utf8) + [0] + bigEndian(6)
        let dataFile = sandbox.store.appendingPathComponent("data.mdb")
        var bytes = try Data(contentsOf: dataFile)
        let node = try #require(bytes.range(of: Data([UInt8(key.count), 0] + key))).lowerBound - 6
        let page = node / 4096 * 4096
        #expect(bytes.count < page + 0xFFF0, "the file is too large for the node to lie past its end")
        let lower = Int(bytes[page + 12]) | Int(bytes[page + 13]) << 8
        let slot = try #require(
            stride(from: page + 16, to: page + lower, by: 2).first {
                Int(bytes[$0]) | Int(bytes[$0 + 1]) << 8 == node - page
            })
        bytes[slot] = 0xF0
        bytes[slot + 1] = 0xFF
        try bytes.write(to: dataFile)
        return bytes
    }

    @Test(.lmdbOnly("patches an LMDB page in data.mdb"))
    func aWriteThatFaultsInsideLMDBEndsTheProcessWithExitCode74AndChangesNothing() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let damaged = try Self.pointTypesNodePastTheEndOfTheFile(sandbox)

        // The head checks and the rules read other pages: the fault comes inside mdb_put, which ends the
        // process at once instead of aborting a transaction it left half updated.
        let record = try await sandbox.run([
            "record", "member-joined", "--collaborative", "oldham", "--member", "ol-99", "--sector", "health",
            "--on", "2023-08-01",
        ])
        #expect(!record.terminatedBySignal && record.status == 74, "\(record)")
        #expect(record.stderrLines.count == 1, "\(record)")
        #expect(record.stderr.contains("the store is damaged: LMDB faulted while writing to it"), "\(record)")
        #expect(try Data(contentsOf: sandbox.store.appendingPathComponent("data.mdb")) == damaged)

        let verify = try await sandbox.run(["verify"])
        #expect(!verify.terminatedBySignal && verify.status == 1, "\(verify)")
        #expect(verify.stderr.contains("types"), "\(verify)")
    }

    /// Found by `scripts/torture --short --seed 1284632141` (flips, trial 14): in the demo store, page 126 is read
    /// by no query, only by the commit of a write, which saves the free list (mdb_txn_commit, then unguarded).
    /// Its `lower` bound made 16 times larger, the commit followed it past the end of the file into SIGBUS.
    @Test(.lmdbOnly("patches an LMDB page in data.mdb"))
    func aCommitThatFaultsInsideLMDBEndsTheProcessWithExitCode74AndCommitsNothing() async throws {
        let sandbox = try Sandbox()
        try await sandbox.succeed(["demo", "--store", sandbox.store.path])
        let dataFile = sandbox.store.appendingPathComponent("data.mdb")
        var bytes = try Data(contentsOf: dataFile)
        // The page header: pgno (8 bytes), pad (2), flags (2: a leaf), lower (2), upper (2). Should the demo's
        // layout change, this fails here rather than pass without reaching the commit.
        let page = 126 * 4096
        try #require(bytes.count > page + 16)
        try #require(Array(bytes[(page + 10)..<(page + 14)]) == [0x02, 0x00, 0x14, 0x00], "page 126 has moved")
        bytes[page + 13] ^= 0x10
        try bytes.write(to: dataFile)
        let now = "2026-01-05T12:00:00Z"
        // No read of the log goes there, but verify's walk of every page's header does.
        let verify = try await sandbox.run(["verify"], now: now)
        #expect(verify.status == 1 && verify.stderr.contains("page 126 of the store's file"), "\(verify)")

        let record = try await sandbox.run(
            [
                "record", "member-joined", "--collaborative", "east-sussex", "--member", "es-flip", "--sector",
                "secondary-school", "--on", "2024-09-01",
            ], now: now)
        #expect(!record.terminatedBySignal && record.status == 74, "\(record)")
        #expect(record.stderrLines.count == 1, "\(record)")
        #expect(record.stderr.contains("the store is damaged: LMDB faulted while writing to it"), "\(record)")
        #expect(try Data(contentsOf: dataFile) == bytes, "nothing of the record was committed")
    }

    /// Points every node of the main database's root page (the page listing the store's named databases) at
    /// `offset` into the page. The root's page number is in the newer of the two meta pages (the one with
    /// the larger transaction id): its `md_root` for the main database at byte 128, `mm_txnid` at 144.
    private static func pointMainDatabaseNodes(_ sandbox: Sandbox, at offset: UInt16) throws -> Data {
        let dataFile = sandbox.store.appendingPathComponent("data.mdb")
        var bytes = try Data(contentsOf: dataFile)
        func u64(_ at: Int) -> Int { (0..<8).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
        let meta = u64(144) >= u64(4096 + 144) ? 0 : 4096
        let page = u64(meta + 128) * 4096
        try #require(page > 4096 && bytes.count >= page + 4096, "the main database's root lies in the file")
        try #require(bytes[page + 10] == 0x02, "the main database's root is a leaf")
        let lower = Int(bytes[page + 12]) | Int(bytes[page + 13]) << 8
        try #require(lower > 16, "the main database lists its named databases")
        for slot in stride(from: page + 16, to: page + lower, by: 2) {
            bytes[slot] = UInt8(offset & 0xFF)
            bytes[slot + 1] = UInt8(offset >> 8)
        }
        try bytes.write(to: dataFile)
        return bytes
    }

    /// Found by review: a damaged main database made the lookup of `meta` miss it, the store read as "no
    /// Chronicle store here (create one with `chronicle init`)", and `init` then wrote an empty store over
    /// the history; with the nodes pointing past the end of the file, `mdb_dbi_open` (then unguarded) died of
    /// SIGBUS.
    @Test(.lmdbOnly("patches an LMDB page in data.mdb"), arguments: [UInt16(0x0FF8), 0xFFF0])
    func aDamagedMainDatabaseIsReportedNotTakenForAMissingStoreThatInitWouldEmpty(offset: UInt16) async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let damaged = try Self.pointMainDatabaseNodes(sandbox, at: offset)
        for arguments in [["status"], ["verify"], ["init", "--store", sandbox.store.path], ["log"]] {
            let result = try await sandbox.run(arguments)
            #expect(!result.terminatedBySignal && result.status == 74, "\(arguments): \(result)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains("damaged"), "\(arguments): \(result)")
            #expect(!result.stderr.contains("chronicle init"), "\(arguments): \(result)")
        }
        #expect(try Data(contentsOf: sandbox.store.appendingPathComponent("data.mdb")) == damaged, "init wrote")
    }

    @Test(.lmdbOnly("patches an LMDB page in data.mdb"))
    func backupOfADamagedStoreSaysSoAndLeavesNoPartialCopy() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        _ = try Self.pointTypesNodePastTheEndOfTheFile(sandbox)
        let destination = sandbox.root.appendingPathComponent("backup")

        let backup = try await sandbox.run(["backup", destination.path])
        #expect(!backup.terminatedBySignal && backup.status == 74, "\(backup)")
        #expect(backup.stderrLines.count == 1 && backup.stderr.contains("is damaged"), "\(backup)")
        #expect(!FileManager.default.fileExists(atPath: destination.path), "\(backup)")
    }

    @Test func importOfAnEndlessInputStopsAtTheLineBound() async throws {
        let sandbox = try await Sandbox.initialised()
        let result = try await sandbox.run(["import", "/dev/zero"])
        #expect(result.status == 65, "\(result)")
        #expect(result.stderr.contains("line 1 is longer than 4 MiB"), "\(result)")
        #expect(try await sandbox.verify().events == 0)
    }

    @Test func importNamesTheLineThatIsTooLong() async throws {
        let sandbox = try await Sandbox.initialised()
        let long = String(repeating: "x", count: (4 << 20) + 1)
        let text = BaseHistory.lines[0] + "\n" + long + "\n" + BaseHistory.lines[1] + "\n"
        let path = try sandbox.file("long-line.ndjson", text)
        for arguments in [["import", path], ["import", "-"]] {
            let result = try await sandbox.run(arguments, input: arguments.last == "-" ? Data(text.utf8) : nil)
            #expect(result.status == 65, "\(result)")
            #expect(result.stderrLines.count == 1 && result.stderr.contains("line 2 is longer than 4 MiB"), "\(result)")
        }
        #expect(try await sandbox.verify().events == 0)
        // A line of exactly the bound is not refused for its length (it is refused as JSON).
        let atBound = try sandbox.file("at-bound.ndjson", String(repeating: "x", count: 4 << 20) + "\n")
        let result = try await sandbox.run(["import", atBound])
        #expect(result.status == 65 && !result.stderr.contains("longer than"), "\(result)")
    }
}
