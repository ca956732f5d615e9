import Foundation
import LMDB
import Testing

@Suite struct TransactionTests {
    @Test func putThenGetReturnsTheValueAndDeleteRemovesIt() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things")
            try environment.write { txn in
                try txn.put(database, key: bytes("alpha"), value: bytes("one"))
                try txn.put(database, key: bytes("beta"), value: bytes("two"))
            }
            #expect(try environment.read { txn in try txn.get(database, key: bytes("alpha")) } == bytes("one"))

            let deleted = try environment.write { txn in
                (try txn.delete(database, key: bytes("alpha")), try txn.delete(database, key: bytes("absent")))
            }
            #expect(deleted == (true, false))
            let remaining = try environment.read { txn in
                (try txn.get(database, key: bytes("alpha")), try txn.get(database, key: bytes("beta")))
            }
            #expect(remaining.0 == nil)
            #expect(remaining.1 == bytes("two"))
        }
    }

    @Test func putReservingStoresTheBytesFillWritesInPlace() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things")
            // Large enough for overflow pages, as a big checkpoint needs.
            let large = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try environment.write { txn in
                try txn.put(database, key: bytes("small"), reserving: 3) { buffer in
                    buffer.copyBytes(from: bytes("abc"))
                }
                try txn.put(database, key: bytes("large"), reserving: large.count) { buffer in
                    #expect(buffer.count == large.count)
                    buffer.copyBytes(from: large)
                }
            }
            let read = try environment.read { txn in
                (try txn.get(database, key: bytes("small")), try txn.get(database, key: bytes("large")))
            }
            #expect(read.0 == bytes("abc"))
            #expect(read.1 == large)
        }
    }

    @Test func putOverwritesUnlessNoOverwriteIsGiven() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things")
            try environment.write { txn in
                try txn.put(database, key: bytes("k"), value: bytes("first"))
                try txn.put(database, key: bytes("k"), value: bytes("second"))
            }
            #expect(throws: LMDBError.keyExists) {
                try environment.write { txn in
                    try txn.put(database, key: bytes("k"), value: bytes("third"), flags: .noOverwrite)
                }
            }
            #expect(try environment.read { txn in try txn.get(database, key: bytes("k")) } == bytes("second"))
        }
    }

    @Test func namedDatabasesKeepTheirOwnKeys() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let left = try environment.openDatabase("left")
            let right = try environment.openDatabase("right")
            try environment.write { txn in
                try txn.put(left, key: bytes("k"), value: bytes("left value"))
                try txn.put(right, key: bytes("k"), value: bytes("right value"))
                try txn.put(right, key: bytes("only-right"), value: bytes("x"))
            }
            try environment.read { txn throws in
                #expect(try txn.get(left, key: bytes("k")) == bytes("left value"))
                #expect(try txn.get(right, key: bytes("k")) == bytes("right value"))
                #expect(try txn.get(left, key: bytes("only-right")) == nil)
                #expect(try txn.statistics(left).entries == 1)
                #expect(try txn.statistics(right).entries == 2)
            }
            #expect(left.name == "left")
            #expect(left != right)
        }
    }

    @Test func openingAMissingDatabaseWithoutCreateThrowsNotFound() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            #expect(throws: LMDBError.notFound) { try environment.openDatabase("absent", flags: []) }
        }
    }

    @Test func openingMoreDatabasesThanTheMaximumThrowsDatabasesFull() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path, options: .init(maxDatabases: 2))
            _ = try environment.openDatabase("one")
            _ = try environment.openDatabase("two")
            #expect(throws: LMDBError.databasesFull) { try environment.openDatabase("three") }
        }
    }

    @Test func writeClosureThatThrowsAbortsAndWritesNothing() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things")
            try environment.write { txn in try txn.put(database, key: bytes("kept"), value: bytes("1")) }
            #expect(throws: DeliberateFailure()) {
                try environment.write { txn in
                    try txn.put(database, key: bytes("lost"), value: bytes("2"))
                    try txn.delete(database, key: bytes("kept"))
                    throw DeliberateFailure()
                }
            }
            try environment.read { txn throws in
                #expect(try txn.get(database, key: bytes("lost")) == nil)
                #expect(try txn.get(database, key: bytes("kept")) == bytes("1"))
            }
        }
    }

    @Test func writeReturnsTheClosureResultAfterCommitting() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things")
            let result = try environment.write { txn in
                try txn.put(database, key: bytes("k"), value: bytes("v"))
                return 42
            }
            #expect(result == 42)
            #expect(try environment.read { txn in try txn.get(database, key: bytes("k")) } == bytes("v"))
        }
    }

    @Test func readTransactionRefusesWritesWithPermissionDenied() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things")
            #expect(throws: LMDBError.permissionDenied) {
                try environment.read { txn in try txn.put(database, key: bytes("k"), value: bytes("v")) }
            }
            #expect(throws: LMDBError.permissionDenied) {
                try environment.read { txn in try txn.delete(database, key: bytes("k")) }
            }
            #expect(try environment.read { txn in try txn.get(database, key: bytes("k")) } == nil)
        }
    }

    @Test func withValueLendsTheStoredBytesWithoutCopying() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things")
            try environment.write { txn in try txn.put(database, key: bytes("k"), value: [1, 2, 3, 4]) }
            let (sum, absent) = try environment.read { txn in
                (
                    try txn.withValue(database, key: bytes("k")) { $0.map { $0.reduce(0) { $0 + Int($1) } } },
                    try txn.withValue(database, key: bytes("absent")) { $0 == nil }
                )
            }
            #expect(sum == 10)
            #expect(absent)
        }
    }
}

/// A damaged node size must be reported, not followed past the end of data.mdb (SIGBUS).
@Suite struct DamagedNodeTests {
    /// Stores `key` → `value`, then rewrites the high half of that node's data size in data.mdb so that the
    /// value seems to run 16 MiB past its page, beyond the end of the file.
    private func storeWithOversizedNode(_ path: String, key: [UInt8], value: [UInt8]) throws {
        do {
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things")
            try environment.write { txn in try txn.put(database, key: key, value: value) }
        }
        let file = URL(fileURLWithPath: path + "/data.mdb")
        var data = try Data(contentsOf: file)
        // A leaf node: data size (low u16, high u16), flags (u16), key size (u16), the key, the value.
        let pattern = Data([UInt8(key.count), 0] + key + value)
        let found = try #require(data.range(of: pattern))
        let node = found.lowerBound - 6
        data[node + 2] = 0x00
        data[node + 3] = 0x01
        try data.write(to: file)
    }

    @Test func getOfAValueRunningPastTheEndOfTheFileThrowsCorrupted() throws {
        try withTemporaryDirectory { path in
            try storeWithOversizedNode(path, key: bytes("alpha"), value: bytes("the value of alpha"))
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things", flags: [])
            #expect(throws: LMDBError.corrupted) {
                try environment.read { txn in try txn.get(database, key: bytes("alpha")) }
            }
            #expect(throws: LMDBError.corrupted) {
                try environment.read { txn in try txn.withCursor(database) { try $0.first()?.valueBytes } }
            }
        }
    }

    /// Writes into `path` a store of one database, `things`, holding `key`, whose only node's offset points
    /// past the end of the file: reading it, or writing beside it, faults inside LMDB.
    private func storeWithANodePastTheEndOfTheFile(_ path: String, key: [UInt8]) throws {
        do {
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things")
            try environment.write { txn in try txn.put(database, key: key, value: bytes("the value of alpha")) }
        }
        // The leaf page holding the node: its header (16 bytes) is followed by the offsets of its nodes;
        // the only node's offset is set near 64 KiB, pages past the end of the small file. LMDB itself
        // reads the node there (its key, its flags) before anything is returned.
        let file = URL(fileURLWithPath: path + "/data.mdb")
        var data = try Data(contentsOf: file)
        let found = try #require(data.range(of: Data([UInt8(key.count), 0] + key)))
        let page = (found.lowerBound / 4096) * 4096
        #expect(data.count < page + 0xFFF0, "the file is too large for the node to lie past its end")
        data[page + 16] = 0xF0
        data[page + 17] = 0xFF
        try data.write(to: file)
    }

    @Test func aNodeOffsetPointingPastTheEndOfTheFileIsReportedNotFollowedIntoSIGBUS() async throws {
        try await withTemporaryDirectory { path in
            let key = bytes("alpha")
            try storeWithANodePastTheEndOfTheFile(path, key: key)
            let file = URL(fileURLWithPath: path + "/data.mdb")

            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things", flags: [])
            #expect(throws: LMDBError.corrupted) {
                try environment.read { txn in try txn.get(database, key: key) }
            }
            #expect(throws: LMDBError.corrupted) {
                try environment.read { txn in try txn.withCursor(database) { try $0.first()?.valueBytes } }
            }
            // A write walks the same page to find where the key goes: the fault inside it ends the process
            // (exit code 74, a fixed message), never aborting or committing the transaction.
            let before = try Data(contentsOf: file)
            let ended = await #expect(processExitsWith: .exitCode(74), observing: [\.standardErrorContent]) {
                [path = path as String] in
                let environment = try Environment(path: path)
                let database = try environment.openDatabase("things", flags: [])
                try environment.write { txn in try txn.put(database, key: Array("beta".utf8), value: [1]) }
            }
            let message = String(decoding: ended?.standardErrorContent ?? [], as: UTF8.self)
            #expect(message.contains("error: the store is damaged: LMDB faulted while writing to it"), "\(message)")
            #expect(try Data(contentsOf: file) == before)
        }
    }

    @Test func aWriteFaultExitNeverReadsAsSuccessAndKeepsWholeCharactersOfItsMessage() {
        for status: Int32 in [0, 256, -1, 512] {
            #expect(Environment.WriteFaultExit(message: "x\n", status: status).status == 74)
        }
        #expect(Environment.WriteFaultExit(message: "x\n", status: 255).status == 255)
        let capacity = Environment.WriteFaultExit.messageCapacity
        let long = String(repeating: "a", count: capacity - 1) + "é" + "\n"
        let exit = Environment.WriteFaultExit(message: long, status: 70)
        #expect(exit.message == String(repeating: "a", count: capacity - 1))
        #expect(exit.message.utf8.count <= capacity)
        #expect(Environment.WriteFaultExit(message: "", status: 70).message.isEmpty)
    }

    @Test func aProgramEmbeddingTheLibraryChoosesTheMessageAndStatusOfTheEndAfterAWriteFault() async throws {
        #expect(Environment.writeFaultExit == .chronicle)
        #expect(Environment.WriteFaultExit.chronicle.status == 74)
        try await withTemporaryDirectory { path in
            try storeWithANodePastTheEndOfTheFile(path, key: bytes("alpha"))
            let file = URL(fileURLWithPath: path + "/data.mdb")
            let before = try Data(contentsOf: file)
            let ended = await #expect(processExitsWith: .exitCode(70), observing: [\.standardErrorContent]) {
                [path = path as String] in
                Environment.writeFaultExit = .init(message: "embedder: the event store is damaged\n", status: 70)
                let environment = try Environment(path: path)
                let database = try environment.openDatabase("things", flags: [])
                try environment.write { txn in try txn.put(database, key: Array("beta".utf8), value: [1]) }
            }
            // Only the chosen line: not the CLI's.
            #expect(ended?.standardErrorContent == Array("embedder: the event store is damaged\n".utf8))
            #expect(try Data(contentsOf: file) == before, "nothing of the faulting write reached the file")
        }
    }

    /// LMDB checks some of what it reads with its own assertions (Debian builds liblmdb with them), which
    /// print and abort: a leaf page whose header says "branch" trips `IS_LEAF(mp)` in `mdb_cursor_next` when a
    /// scan steps onto it. Inside a guarded read that is damage like a fault, and reads as `corrupted`.
    @Test func aLeafPageMarkedAsABranchIsReportedAsDamageNotAbortedOnByLMDBsAssertion() async throws {
        try await withTemporaryDirectory { path in
            let keys = (0..<300).map { bytes(String(format: "key-%04d", $0)) }
            do {
                let environment = try Environment(path: path)
                let database = try environment.openDatabase("things")
                try environment.write { txn in
                    for key in keys { try txn.put(database, key: key, value: [UInt8](repeating: 7, count: 100)) }
                }
            }
            // The page holding the last key is a leaf after the first: its header's flags (a u16 at offset
            // 10) become P_BRANCH (1) instead of P_LEAF (2).
            let file = URL(fileURLWithPath: path + "/data.mdb")
            var data = try Data(contentsOf: file)
            let first = try #require(data.range(of: Data(keys[0])))
            let last = try #require(data.range(of: Data(keys[299])))
            let page = (last.lowerBound / 4096) * 4096
            #expect(page != (first.lowerBound / 4096) * 4096, "the keys fill more than one leaf")
            #expect(data[page + 10] == 2, "the page is a leaf")
            data[page + 10] = 1
            try data.write(to: file)

            // In a child process: without the guard, LMDB's assertion aborts it (SIGABRT).
            await #expect(processExitsWith: .success) { [path = path as String] in
                let environment = try Environment(path: path)
                let database = try environment.openDatabase("things", flags: [])
                do {
                    try environment.read { txn in
                        try txn.withCursor(database) { cursor in
                            var entry = try cursor.first()
                            while entry != nil { entry = try cursor.next() }
                        }
                    }
                } catch let error as LMDBError where error == .corrupted {
                    return
                }
                exit(3)  // the scan did not see the damage
            }
        }
    }

    /// The guard's state (where a fault jumps back to, the handlers it replaced, the write-fault exit) must
    /// exist once in the process. When `shim.h` defined it in static inline functions, an optimised build
    /// copied it into every Swift module that inlined a guarded call, and a fault in a release binary found
    /// no jump and killed the process (`scripts/torture --only flips` against a release build). Debug builds
    /// never inline across modules, so this test reads the header: it may declare, not define.
    @Test func theFaultGuardIsDefinedOnceInACFileNotInTheHeaderSwiftModulesInline() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
        let header = try String(contentsOf: sources.appendingPathComponent("CLMDB/shim.h"), encoding: .utf8)
        let code = header.split(separator: "\n").filter { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return !(trimmed.hasPrefix("/*") || trimmed.hasPrefix("*") || trimmed.hasPrefix("/**"))
        }
        for line in code {
            #expect(!line.contains("static") && !line.contains("_Thread_local") && !line.contains("{"), "\(line)")
        }
        let definitions = try String(
            contentsOf: sources.appendingPathComponent("CLMDBShim/shim.c"), encoding: .utf8)
        #expect(definitions.contains("static _Thread_local sigjmp_buf *fault_jump"))
    }

    @Test func aValueInsideTheFileIsReadAsStored() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things")
            let large = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            try environment.write { txn in try txn.put(database, key: bytes("large"), value: large) }
            #expect(try environment.read { txn in try txn.get(database, key: bytes("large")) } == large)
            let viaCursor = try environment.read { txn in try txn.withCursor(database) { try $0.first()?.valueBytes } }
            #expect(viaCursor == large)
        }
    }
}
