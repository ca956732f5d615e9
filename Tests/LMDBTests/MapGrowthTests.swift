import LMDB
import Testing

@Suite struct MapGrowthTests {
    private static let tinyMap = 64 << 10

    @Test func environmentWithATinyMapAcceptsManySmallTransactionsFarBeyondIt() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path, options: .init(mapSize: Self.tinyMap, noSync: true))
            let database = try environment.openDatabase("blobs")
            let blob = [UInt8](repeating: 0xAB, count: 16 << 10)
            for index in 0..<256 {  // 4 MiB in 256 commits
                try environment.write { txn in try txn.put(database, key: key(index), value: blob) }
            }
            #expect(environment.mapSize > 4 << 20)
            try environment.read { txn throws in
                #expect(try txn.statistics(database).entries == 256)
                #expect(try txn.get(database, key: key(255)) == blob)
            }
        }
    }

    @Test func environmentWithATinyMapAcceptsOneTransactionFarBeyondIt() throws {
        try withTemporaryDirectory { path in
            let environment = try Environment(path: path, options: .init(mapSize: Self.tinyMap, noSync: true))
            let database = try environment.openDatabase("blobs")
            var runs = 0
            try environment.write { txn in
                runs += 1
                for index in 0..<1024 {  // 4 MiB of 4 KiB values, in one commit
                    try txn.put(
                        database, key: key(index), value: [UInt8](repeating: UInt8(index % 251), count: 4 << 10))
                }
            }
            #expect(runs > 1, "the map should have had to grow at least once")
            try environment.read { txn throws in
                #expect(try txn.statistics(database).entries == 1024)
                #expect(try txn.get(database, key: key(1000)) == [UInt8](repeating: UInt8(1000 % 251), count: 4 << 10))
            }
            #expect(environment.usedSize <= environment.mapSize)
        }
    }

    @Test func grownMapIsKeptAfterReopeningWithATinyMapSize() throws {
        try withTemporaryDirectory { path in
            let blob = [UInt8](repeating: 7, count: 1 << 20)
            do {
                let environment = try Environment(path: path, options: .init(mapSize: Self.tinyMap, noSync: true))
                let database = try environment.openDatabase("blobs")
                try environment.write { txn in try txn.put(database, key: key(1), value: blob) }
            }
            let environment = try Environment(path: path, options: .init(mapSize: Self.tinyMap, noSync: true))
            let database = try environment.openDatabase("blobs", flags: [])
            #expect(try environment.read { txn in try txn.get(database, key: key(1)) } == blob)
            try environment.write { txn in try txn.put(database, key: key(2), value: blob) }
            #expect(try environment.read { txn in try txn.statistics(database).entries } == 2)
        }
    }
}

/// A big-endian 4-byte key, so keys sort as the integers do.
private func key(_ index: Int) -> [UInt8] {
    withUnsafeBytes(of: UInt32(index).bigEndian) { Array($0) }
}
