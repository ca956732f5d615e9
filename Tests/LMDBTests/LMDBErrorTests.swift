import LMDB
import Testing

@Suite struct LMDBErrorTests {
    @Test func everyNamedCodeIsTheCCodeItsDocumentationNames() {
        // mdb_strerror's text begins with the C name of each of LMDB's codes: a case whose value were not the
        // code its name says would get another's text (or "Unknown error").
        let names: [LMDBError.Code: String] = [
            .keyExists: "MDB_KEYEXIST", .notFound: "MDB_NOTFOUND", .pageNotFound: "MDB_PAGE_NOTFOUND",
            .corrupted: "MDB_CORRUPTED", .panic: "MDB_PANIC", .versionMismatch: "MDB_VERSION_MISMATCH",
            .invalid: "MDB_INVALID", .mapFull: "MDB_MAP_FULL", .databasesFull: "MDB_DBS_FULL",
            .readersFull: "MDB_READERS_FULL", .threadLocalStorageFull: "MDB_TLS_FULL",
            .transactionFull: "MDB_TXN_FULL", .cursorFull: "MDB_CURSOR_FULL", .pageFull: "MDB_PAGE_FULL",
            .mapResized: "MDB_MAP_RESIZED", .incompatible: "MDB_INCOMPATIBLE", .badReaderSlot: "MDB_BAD_RSLOT",
            .badTransaction: "MDB_BAD_TXN", .badValueSize: "MDB_BAD_VALSIZE", .badDatabase: "MDB_BAD_DBI",
        ]
        #expect(names.count == LMDBError.Code.allCases.count)
        for code in LMDBError.Code.allCases {
            let error = LMDBError(code)
            #expect(error.message.hasPrefix("\(names[code] ?? "?"):"), "\(code): \(error.message)")
            #expect(error.lmdbCode == code && error.name == "\(code)" && !error.isSystemError)
        }
        #expect(LMDBError(code: 13).lmdbCode == nil && LMDBError(code: 13).name == "errno13")
    }

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
