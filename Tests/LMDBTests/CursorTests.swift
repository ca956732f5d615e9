import LMDB
import Testing

/// Keys b, d, f, h (values are the upper-case letter), so that every seek has a gap on either side.
private let letters = ["b", "d", "f", "h"]

private func withLetters<R>(_ body: (Environment, Database) throws -> R) throws -> R {
    try withTemporaryDirectory { path in
        let environment = try Environment(path: path)
        let database = try environment.openDatabase("letters")
        try environment.write { txn in
            // Written out of order: the cursor must see them sorted.
            for letter in letters.reversed() {
                try txn.put(database, key: bytes(letter), value: bytes(letter.uppercased()))
            }
        }
        return try body(environment, database)
    }
}

private func text(_ entry: CursorEntry?) -> String? {
    entry.map { String(decoding: $0.key, as: UTF8.self) }
}

/// The keys `forEach` visits for the given range, as strings.
private func visited(
    _ environment: Environment, _ database: Database, from lower: String?, to upper: String?, reverse: Bool = false
) throws -> [String] {
    try environment.read { txn in
        try txn.withCursor(database) { cursor in
            var keys: [String] = []
            try cursor.forEach(from: lower.map(bytes), to: upper.map(bytes), reverse: reverse) { entry in
                keys.append(String(decoding: entry.key, as: UTF8.self))
                return true
            }
            return keys
        }
    }
}

@Suite struct CursorTests {
    @Test func nextWalksForwardInKeyOrderFromFirst() throws {
        try withLetters { environment, database in
            let keys = try environment.read { txn in
                try txn.withCursor(database) { cursor in
                    var keys: [String] = []
                    var entry = try cursor.first()
                    while let current = entry {
                        keys.append(String(decoding: current.key, as: UTF8.self))
                        #expect(current.valueBytes == bytes(keys[keys.count - 1].uppercased()))
                        entry = try cursor.next()
                    }
                    return keys
                }
            }
            #expect(keys == letters)
        }
    }

    @Test func previousWalksBackwardFromLast() throws {
        try withLetters { environment, database in
            let keys = try environment.read { txn in
                try txn.withCursor(database) { cursor in
                    var keys: [String] = []
                    var entry = try cursor.last()
                    while let current = entry {
                        keys.append(String(decoding: current.key, as: UTF8.self))
                        entry = try cursor.previous()
                    }
                    return keys
                }
            }
            #expect(keys == letters.reversed())
        }
    }

    @Test func seekAtOrAfterLandsOnTheKeyOrTheNextOneOrNothing() throws {
        try withLetters { environment, database in
            let results = try environment.read { txn in
                try txn.withCursor(database) { cursor in
                    try ["a", "c", "d", "g", "h", "i"].map { try text(cursor.seek(atOrAfter: bytes($0))) }
                }
            }
            #expect(results == ["b", "d", "d", "h", "h", nil])
        }
    }

    @Test func seekAtOrBeforeLandsOnTheKeyOrThePreviousOneOrNothing() throws {
        try withLetters { environment, database in
            let results = try environment.read { txn in
                try txn.withCursor(database) { cursor in
                    try ["a", "b", "c", "e", "h", "z"].map { try text(cursor.seek(atOrBefore: bytes($0))) }
                }
            }
            #expect(results == [nil, "b", "b", "d", "h", "h"])
        }
    }

    @Test func seekExactlyFindsOnlyAStoredKeyAndTheCursorMovesOnFromIt() throws {
        try withLetters { environment, database in
            let (found, missing, after, current) = try environment.read { txn in
                try txn.withCursor(database) { cursor in
                    let missing = try text(cursor.seek(exactly: bytes("e")))
                    let found = try cursor.seek(exactly: bytes("d"))
                    let foundValue = found?.valueBytes
                    let after = try text(cursor.next())
                    let current = try text(cursor.current())
                    return (foundValue, missing, after, current)
                }
            }
            #expect(found == bytes("D"))
            #expect(missing == nil)
            #expect(after == "f")
            #expect(current == "f")
        }
    }

    @Test func seeksInAnEmptyDatabaseFindNothing() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("empty")
            let results = try environment.read { txn in
                try txn.withCursor(database) { cursor in
                    [
                        try text(cursor.first()), try text(cursor.last()), try text(cursor.seek(atOrAfter: bytes("a"))),
                        try text(cursor.seek(atOrBefore: bytes("a"))),
                    ]
                }
            }
            #expect(results == [nil, nil, nil, nil])
            #expect(try visited(environment, database, from: nil, to: nil).isEmpty)
            #expect(try visited(environment, database, from: nil, to: nil, reverse: true).isEmpty)
        }
    }

    @Test func forEachVisitsTheHalfOpenRangeForward() throws {
        try withLetters { environment, database throws in
            #expect(try visited(environment, database, from: nil, to: nil) == letters)
            #expect(try visited(environment, database, from: "c", to: "g") == ["d", "f"])
            #expect(try visited(environment, database, from: "d", to: "f") == ["d"])
            #expect(try visited(environment, database, from: nil, to: "d") == ["b"])
            #expect(try visited(environment, database, from: "e", to: nil) == ["f", "h"])
            #expect(try visited(environment, database, from: "i", to: nil) == [])
            #expect(try visited(environment, database, from: "f", to: "f") == [])
        }
    }

    @Test func forEachInReverseVisitsTheSameRangeBackward() throws {
        try withLetters { environment, database in
            let ranges: [(String?, String?)] = [
                (nil, nil), ("c", "g"), ("d", "f"), (nil, "d"), ("e", nil), ("i", nil), ("a", "z"), (nil, "a"),
                ("b", "c"), ("f", "f"),
            ]
            for (lower, upper) in ranges {
                let forward = try visited(environment, database, from: lower, to: upper)
                let backward = try visited(environment, database, from: lower, to: upper, reverse: true)
                #expect(backward == forward.reversed(), "range \(lower ?? "-")..<\(upper ?? "-")")
            }
            #expect(try visited(environment, database, from: "c", to: "z", reverse: true) == ["h", "f", "d"])
        }
    }

    @Test func forEachStopsWhenTheBodyReturnsFalse() throws {
        try withLetters { environment, database in
            let keys = try environment.read { txn in
                try txn.withCursor(database) { cursor in
                    var keys: [String] = []
                    try cursor.forEach(reverse: true) { entry in
                        keys.append(String(decoding: entry.key, as: UTF8.self))
                        return keys.count < 2
                    }
                    return keys
                }
            }
            #expect(keys == ["h", "f"])
        }
    }

    @Test func deleteCurrentRemovesTheEntryUnderTheCursor() throws {
        try withLetters { environment, database in
            try environment.write { txn in
                try txn.withCursor(database) { cursor in
                    _ = try cursor.seek(exactly: bytes("d"))
                    try cursor.deleteCurrent()
                }
            }
            #expect(try visited(environment, database, from: nil, to: nil) == ["b", "f", "h"])
        }
    }
}

@Suite struct DuplicateSortTests {
    @Test func sortedDuplicatesAreVisitedInOrderAndFoundByKeyAndValue() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("sets", flags: [.create, .duplicateSort, .duplicateFixed])
            try environment.write { txn in
                for value in [3, 1, 2, 1] as [UInt8] { try txn.put(database, key: bytes("a"), value: [0, value]) }
                try txn.put(database, key: bytes("b"), value: [0, 9])
            }
            try environment.read { txn in
                #expect(try txn.statistics(database).entries == 4)  // the repeated (a, 1) is stored once
                try txn.withCursor(database) { cursor in
                    var values: [[UInt8]] = []
                    var entry = try cursor.seek(exactly: bytes("a"))
                    while let current = entry {
                        values.append(Array(current.value))
                        entry = try cursor.nextDuplicate()
                    }
                    #expect(values == [[0, 1], [0, 2], [0, 3]])
                    #expect(try cursor.seek(exactly: bytes("a"), value: [0, 2]).map { Array($0.value) } == [0, 2])
                    #expect(try cursor.seek(exactly: bytes("a"), value: [0, 9]) == nil)
                    #expect(try cursor.seek(exactly: bytes("b"), value: [0, 9]).map { Array($0.key) } == bytes("b"))
                }
            }
        }
    }

    @Test func putDuplicatesStoresManyFixedSizeValuesUnderAKeyInOneCall() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path)
            let database = try environment.openDatabase("sets", flags: [.create, .duplicateSort, .duplicateFixed])
            // Enough values for the key's duplicates to outgrow a page and become a tree of their own.
            let many = (0..<5_000).flatMap { value in withUnsafeBytes(of: UInt32(value).bigEndian) { Array($0) } }
            try environment.write { txn in
                try txn.put(database, key: bytes("a"), value: [0, 0, 0, 7])
                try txn.withCursor(database) {
                    try $0.putDuplicates(key: bytes("a"), values: [0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0, 8], size: 4)
                }
                try txn.withCursor(database) { try $0.putDuplicates(key: bytes("b"), values: many, size: 4) }
            }
            func values(_ key: String) throws -> [[UInt8]] {
                try environment.read { txn in
                    try txn.withCursor(database) { cursor in
                        var values: [[UInt8]] = []
                        var entry = try cursor.seek(exactly: bytes(key))
                        while let current = entry {
                            values.append(Array(current.value))
                            entry = try cursor.nextDuplicate()
                        }
                        return values
                    }
                }
            }
            #expect(try values("a") == [[0, 0, 0, 7], [0, 0, 0, 8], [0, 0, 0, 9]])  // sorted, (a, 7) once
            // A key with one value, offered that value first: LMDB stops after it, the rest must still go in.
            try environment.write { txn in
                try txn.put(database, key: bytes("d"), value: [0, 0, 0, 7])
                try txn.withCursor(database) {
                    try $0.putDuplicates(key: bytes("d"), values: [0, 0, 0, 7, 0, 0, 0, 8], size: 4)
                }
                try txn.put(database, key: bytes("e"), value: [0, 0, 0, 7])
                try txn.withCursor(database) { try $0.putDuplicates(key: bytes("e"), values: [0, 0, 0, 7], size: 4) }
            }
            #expect(try values("d") == [[0, 0, 0, 7], [0, 0, 0, 8]])
            #expect(try values("e") == [[0, 0, 0, 7]])
            #expect(try values("b") == stride(from: 0, to: many.count, by: 4).map { Array(many[$0..<$0 + 4]) })
            for bad in [[0, 0, 0], []] as [[UInt8]] {
                let error = try #require(throws: LMDBError.self) {
                    try environment.write { txn in
                        try txn.withCursor(database) { try $0.putDuplicates(key: bytes("c"), values: bad, size: 4) }
                    }
                }
                #expect(error.description.contains("MDB_MULTIPLE"))
            }
            #expect(try values("c").isEmpty)
        }
    }
}
