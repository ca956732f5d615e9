import EventLog
import Foundation
import LMDB
import Testing

/// Creates a store of six events over two streams and two types in `path` and releases it.
private func makeSoundStore(_ path: String) throws -> [RecordedEvent] {
    let store = try openStore(path)
    try store.append([newEvent("a", type: "T"), newEvent("b", type: "U", occurredAt: .instant(instant(7)))])
    try store.append([newEvent("a", type: "U", payload: [10, 20, 30, 40])])
    try store.append([newEvent("b", type: "T"), newEvent("a", type: "T"), newEvent("b", type: "U")])
    #expect(try store.verify().isSound)
    return try allEvents(store)
}

/// Verifies the store in `path` after a test has changed it underneath.
private func verifyStore(_ path: String) throws -> VerificationReport {
    try openStore(path, create: false).verify()
}

@Suite struct VerifyTests {
    @Test func verifyPassesOnASoundLogAndCountsItsEvents() throws {
        try withTemporaryDirectory { path in
            let events = try makeSoundStore(path)
            let report = try verifyStore(path)
            #expect(report.isSound)
            #expect(report.fault == nil)
            #expect(report.eventCount == 6)
            #expect(report.head.seq == 6)
            #expect(report.head.hash == events.last?.hash)
        }
    }

    @Test func verifyCatchesAPayloadByteChangedUnderneathAndNamesItsSeq() throws {
        try withTemporaryDirectory { path in
            _ = try makeSoundStore(path)
            try withRawDatabase(path, named: "events") { environment, events in
                try environment.write { txn in
                    var record = try #require(try txn.get(events, key: seqKey(3)))
                    let lastPayloadByte = record.count - 32 - 1
                    #expect(record[lastPayloadByte] == 40)
                    record[lastPayloadByte] = 41
                    try txn.put(events, key: seqKey(3), value: record)
                }
            }
            let fault = try #require(try verifyStore(path).fault)
            #expect(fault.seq == 3)
            #expect(fault.problem.hasPrefix("hash mismatch"))
            #expect(fault.description.hasPrefix("seq 3: hash mismatch"))
        }
    }

    @Test func verifyCatchesARecordThatNoLongerDecodes() throws {
        try withTemporaryDirectory { path in
            _ = try makeSoundStore(path)
            try withRawDatabase(path, named: "events") { environment, events in
                try environment.write { txn in
                    let record = try #require(try txn.get(events, key: seqKey(2)))
                    try txn.put(events, key: seqKey(2), value: Array(record.dropFirst()))
                }
            }
            let fault = try #require(try verifyStore(path).fault)
            #expect(fault.seq == 2)
            #expect(fault.problem.contains("does not decode"))
        }
    }

    @Test func verifyCatchesAMissingEvent() throws {
        try withTemporaryDirectory { path in
            _ = try makeSoundStore(path)
            try withRawDatabase(path, named: "events") { environment, events in
                try environment.write { txn throws in #expect(try txn.delete(events, key: seqKey(4))) }
            }
            let fault = try #require(try verifyStore(path).fault)
            #expect(fault.seq == 4)
            #expect(fault.problem.contains("missing"))
        }
    }

    @Test func verifyCatchesADeletedTypesIndexEntryAndNamesItsSeq() throws {
        try withTemporaryDirectory { path in
            _ = try makeSoundStore(path)
            try withRawDatabase(path, named: "types") { environment, types in
                try environment.write { txn throws in
                    #expect(try txn.delete(types, key: Array("U".utf8) + [0] + seqKey(3)))
                }
            }
            let fault = try #require(try verifyStore(path).fault)
            #expect(fault.seq == 3)
            #expect(fault.problem.contains("types index"))
        }
    }

    @Test func verifyCatchesADeletedIDsIndexEntryAndNamesItsSeq() throws {
        try withTemporaryDirectory { path in
            let events = try makeSoundStore(path)
            let fifth = try #require(events.dropFirst(4).first)
            try withRawDatabase(path, named: "ids") { environment, ids in
                try environment.write { txn throws in
                    #expect(try txn.delete(ids, key: withUnsafeBytes(of: fifth.id.uuid) { Array($0) }))
                }
            }
            let fault = try #require(try verifyStore(path).fault)
            #expect(fault.seq == 5)
            #expect(fault.problem.contains("ids index"))
        }
    }

    @Test func verifyCatchesADeletedStreamsIndexEntry() throws {
        try withTemporaryDirectory { path in
            _ = try makeSoundStore(path)
            try withRawDatabase(path, named: "streams") { environment, streams in
                try environment.write { txn throws in
                    #expect(try txn.delete(streams, key: Array("b".utf8) + [0] + seqKey(2)))
                }
            }
            let fault = try #require(try verifyStore(path).fault)
            #expect(fault.seq == 4, "b's version 2 is seq 4")
            #expect(fault.problem.contains("streams index"))
        }
    }

    @Test func verifyCatchesAnExtraIndexEntry() throws {
        try withTemporaryDirectory { path in
            _ = try makeSoundStore(path)
            try withRawDatabase(path, named: "occurred") { environment, occurred in
                try environment.write { txn in
                    try txn.put(occurred, key: [0x80] + [UInt8](repeating: 0, count: 15), value: [])
                }
            }
            let fault = try #require(try verifyStore(path).fault)
            #expect(fault.seq == nil)
            #expect(fault.problem == "occurred index holds 7 entries for 6 events")
        }
    }

    @Test func verifyCatchesAChangedHeadHash() throws {
        try withTemporaryDirectory { path in
            _ = try makeSoundStore(path)
            try withRawDatabase(path, named: "meta") { environment, meta in
                try environment.write { txn in
                    var head = try #require(try txn.get(meta, key: Array("head".utf8)))
                    head[8] ^= 0xFF
                    try txn.put(meta, key: Array("head".utf8), value: head)
                }
            }
            let report = try verifyStore(path)
            let fault = try #require(report.fault)
            #expect(fault.seq == 6)
            #expect(fault.problem.contains("head hash"))
            #expect(!report.isSound)
        }
    }

    @Test func verifyCatchesAHeadThatDoesNotMatchTheLastSeq() throws {
        try withTemporaryDirectory { path in
            _ = try makeSoundStore(path)
            try withRawDatabase(path, named: "meta") { environment, meta in
                try environment.write { txn in
                    var head = try #require(try txn.get(meta, key: Array("head".utf8)))
                    head[7] = 5
                    try txn.put(meta, key: Array("head".utf8), value: head)
                }
            }
            let fault = try #require(try verifyStore(path).fault)
            #expect(fault.problem == "stored head says seq 5 but the log ends at seq 6")
        }
    }

    /// liblmdb reads a branch page that also carries `P_KEEP` as any branch, so the log reads well, but its
    /// commit skips that page and the next write would break the store: verify reports it first.
    @Test func verifyCatchesABranchPageFlaggedKeepThatEveryReadTrusts() throws {
        try withTemporaryDirectory { path in
            do {
                let store = try openStore(path)
                try store.append((0..<1_500).map { newEvent("s\($0 % 7)", type: "T\($0 % 3)") })
                #expect(try store.verify().isSound)
            }
            let url = URL(fileURLWithPath: path + "/data.mdb")
            var file = try Data(contentsOf: url)
            let pageSize = Int(file[40]) | Int(file[41]) << 8 | Int(file[42]) << 16
            // One append wrote every branch page: each is reachable.
            let branch = try #require((2..<(file.count / pageSize)).first { file[$0 * pageSize + 10] == 0x01 })
            file[branch * pageSize + 11] ^= 0x80
            try file.write(to: url)
            let fault = try #require(try verifyStore(path).fault)
            #expect(fault.seq == nil)
            #expect(fault.problem.hasPrefix("page \(branch) of the store's file: flags 0x8001, not a branch page's"))
        }
    }
}
