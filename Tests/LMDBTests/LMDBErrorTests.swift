import LMDB
import Testing

@Suite struct LMDBErrorTests {
    @Test func errorsAreCatchableByCase() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things")
            try environment.write { txn in try txn.put(database, key: bytes("k"), value: bytes("v")) }
            var caught = "nothing"
            do {
                try environment.write { txn in
                    try txn.put(database, key: bytes("k"), value: bytes("w"), flags: .noOverwrite)
                }
            } catch LMDBError.notFound {
                caught = "notFound"
            } catch LMDBError.keyExists {
                caught = "keyExists"
            }
            #expect(caught == "keyExists")
        }
    }

    @Test func descriptionNamesTheCaseTheOperationAndTheStrerrorText() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things")
            try environment.write { txn in try txn.put(database, key: bytes("k"), value: bytes("v")) }
            let error = try #require(
                throws: LMDBError.self,
                performing: {
                    try environment.write { txn in
                        try txn.put(database, key: bytes("k"), value: bytes("w"), flags: .noOverwrite)
                    }
                })
            #expect(error.name == "keyExists")
            #expect(error.message == "MDB_KEYEXIST: Key/data pair already exists")
            #expect(error.operation == "mdb_put things")
            #expect(error.description == "keyExists in mdb_put things: MDB_KEYEXIST: Key/data pair already exists")
        }
    }

    @Test func errnoCodesReadAsTheSystemMessage() {
        #expect(LMDBError.permissionDenied.message == "Permission denied")
        #expect(LMDBError.noSuchFile.description == "No such file or directory")
        #expect(
            LMDBError(code: 27, operation: "cannot write to the store at /s").description
                == "cannot write to the store at /s: File too large")
        #expect(LMDBError.mapFull.description == "mapFull: MDB_MAP_FULL: Environment mapsize limit reached")
    }

    @Test func errorsWithTheSameCodeAreEqualWhateverTheOperation() {
        let fromPut = LMDBError(code: LMDBError.keyExists.code, operation: "mdb_put a")
        let fromCursor = LMDBError(code: LMDBError.keyExists.code, operation: "mdb_cursor_put b")
        #expect(fromPut == fromCursor)
        #expect(fromPut == .keyExists)
        #expect(fromPut != .notFound)
        #expect(Set([fromPut, fromCursor, .notFound]).count == 2)
    }

    @Test func tooLongKeyThrowsBadValueSize() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("things")
            #expect(throws: LMDBError.badValueSize) {
                try environment.write { txn in
                    try txn.put(database, key: [UInt8](repeating: 1, count: 600), value: bytes("v"))
                }
            }
        }
    }
}
