import Foundation
import LMDB
import Testing

@Suite struct EnvironmentTests {
    @Test func newEnvironmentCreatesItsDirectoryWithMode0700AndDataFilesWithMode0600() throws {
        try withTemporaryDirectory { root in
            let path = root + "/store"
            let environment = try Environment(path: path)
            _ = try environment.openDatabase("things")

            #expect(try permissions(of: path) == 0o700)
            #expect(try permissions(of: path + "/data.mdb") == 0o600)
            #expect(try permissions(of: path + "/lock.mdb") == 0o600)
        }
    }

    @Test func valuesWrittenInOneEnvironmentAreReadBackAfterReopening() throws {
        try withTemporaryDirectory { path in
            do {
                let environment = try Environment(path: path)
                let database = try environment.openDatabase("things")
                try environment.write { txn in try txn.put(database, key: bytes("k"), value: bytes("v")) }
            }
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things", flags: [])
            #expect(try environment.read { txn in try txn.get(database, key: bytes("k")) } == bytes("v"))
        }
    }

    @Test func existingDatabaseOpenedWithoutCreateInAReadTransactionStaysUsable() throws {
        try withTemporaryDirectory { path in
            do {
                let environment = try Environment(path: path)
                let database = try environment.openDatabase("things")
                try environment.write { txn in try txn.put(database, key: bytes("k"), value: bytes("v")) }
            }
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things", flags: [])
            try environment.write { txn in try txn.put(database, key: bytes("k2"), value: bytes("v2")) }
            let values = try environment.read { txn in
                [try txn.get(database, key: bytes("k")), try txn.get(database, key: bytes("k2"))]
            }
            #expect(values == [bytes("v"), bytes("v2")])
        }
    }

    @Test func readOnlyEnvironmentReadsButRefusesWriteTransactions() throws {
        try withTemporaryDirectory { path in
            do {
                let environment = try Environment(path: path)
                let database = try environment.openDatabase("things")
                try environment.write { txn in try txn.put(database, key: bytes("k"), value: bytes("v")) }
            }
            let environment = try Environment(path: path, options: .init(readOnly: true))
            let database = try environment.openDatabase("things", flags: [])
            #expect(try environment.read { txn in try txn.get(database, key: bytes("k")) } == bytes("v"))
            #expect(throws: LMDBError.permissionDenied) {
                try environment.write { txn in try txn.put(database, key: bytes("k"), value: bytes("w")) }
            }
        }
    }

    @Test func openingAMissingDirectoryReadOnlyFailsWithNoSuchFile() throws {
        try withTemporaryDirectory { root in
            _ = #expect(throws: LMDBError.noSuchFile) {
                try Environment(path: root + "/absent", options: .init(readOnly: true))
            }
        }
    }

    @Test func copyWritesASnapshotThatOpensAsItsOwnEnvironment() throws {
        try withTemporaryDirectory { root in
            let copyPath = root + "/copy"
            do {
                let environment = try Environment(path: root + "/original")
                let database = try environment.openDatabase("things")
                try environment.write { txn in try txn.put(database, key: bytes("k"), value: bytes("v")) }
                try FileManager.default.createDirectory(atPath: copyPath, withIntermediateDirectories: false)
                try environment.copy(to: copyPath)
            }
            let copy = try Environment(path: copyPath)
            let database = try copy.openDatabase("things", flags: [])
            #expect(try copy.read { txn in try txn.get(database, key: bytes("k")) } == bytes("v"))
        }
    }
}
