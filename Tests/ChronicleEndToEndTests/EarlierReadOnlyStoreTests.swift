import Foundation
import LMDB
import Testing

/// A store written before the tag index (every database but `tags`, format 2), opened by a user who may only
/// read it: every reading command answers as on the current store without writing to it, and `copy` and
/// `restore` take it into a store of the current format.
@Suite struct EarlierReadOnlyStoreTests {
    /// The databases of a store from before the tag index.
    static let databasesBeforeTheTagIndex = [
        "meta", "events", "ids", "streams", "types", "occurred", "checkpoints", "keys",
    ]

    /// Writes into `path` the store in `source` as a build before the tag index kept it: its databases but
    /// `tags`, entry by entry, `meta` without the tag index's position and scheme, and format 2.
    static func writeStoreBeforeTheTagIndex(from source: String, at path: String) throws {
        let entries = try databasesBeforeTheTagIndex.map { name in
            let environment = try Environment(path: source, options: .init(readOnly: true))
            return try environment.read { txn in
                let database = try txn.openDatabase(name)
                return try txn.withCursor(database) { cursor in
                    var found: [(key: [UInt8], value: [UInt8])] = []
                    var entry = try cursor.first()
                    while let current = entry {
                        found.append((current.keyBytes, current.valueBytes))
                        entry = try cursor.next()
                    }
                    return (name, found)
                }
            }
        }
        let skipped = ["format", "tags", "tagScheme"].map { Array($0.utf8) }
        let environment = try Environment(path: path)
        for (name, found) in entries {
            let database = try environment.openDatabase(name)
            try environment.write { txn in
                for (key, value) in found where name != "meta" || !skipped.contains(key) {
                    try txn.put(database, key: key, value: value)
                }
                if name == "meta" { try txn.put(database, key: Array("format".utf8), value: [0, 0, 0, 2]) }
            }
        }
    }

    /// The format the store in `path` records, and whether it has a tag index.
    static func format(ofStoreIn path: String) throws -> (format: [UInt8]?, hasTags: Bool) {
        let environment = try Environment(path: path, options: .init(readOnly: true))
        return try environment.read { txn in
            let meta = try txn.openDatabase("meta")
            let format = try txn.get(meta, key: Array("format".utf8))
            do throws(LMDBError) {
                _ = try txn.openDatabase("tags", flags: [.duplicateSort, .duplicateFixed])
                return (format, true)
            } catch {
                guard error == .notFound else { throw error }
                return (format, false)
            }
        }
    }

    @Test(.lmdbOnly("an LMDB store written by an earlier build"))
    func aStoreFromBeforeTheTagIndexThatThisUserMayOnlyReadIsReadCopiedAndRestoredWithoutAWrite() async throws {
        let sandbox = try await Sandbox.withBaseHistory()
        let old = sandbox.root.appendingPathComponent("old").path
        try Self.writeStoreBeforeTheTagIndex(from: sandbox.store.path, at: old)
        #expect(try Self.format(ofStoreIn: old) == ([0, 0, 0, 2], false))
        let data = URL(fileURLWithPath: old + "/data.mdb")
        let before = try Data(contentsOf: data)
        // What the current store answers.
        let queries = ["log --json", "log --collaborative oldham --json", "export", "members --collaborative oldham"]
        var expected: [String] = []
        for query in queries {
            expected.append(try await sandbox.succeed(query.split(separator: " ").map(String.init)).stdout)
        }
        // Root is not bound by file modes, so as root the commands run as nobody (who may read the store).
        var environment = sandbox.environment()
        environment["CHRONICLE"] = try Locations.chronicleBinary().path
        environment["CHRONICLE_STORE"] = old
        let script = """
            chmod 755 .; mkdir out; chmod 777 out; chmod 444 old/*; chmod 555 old
            as=""; if [ "$(id -u)" = 0 ]; then as="setpriv --reuid=65534 --regid=65534 --clear-groups"; fi
            n=0
            for query in \(queries.map { "'\($0)'" }.joined(separator: " ")); do
              n=$((n + 1)); $as "$CHRONICLE" $query > out/query-$n 2>> out/errors; echo "query $n $?"
            done
            $as "$CHRONICLE" status > /dev/null 2>> out/errors; echo "status $?"
            $as "$CHRONICLE" verify > /dev/null 2>> out/errors; echo "verify $?"
            $as "$CHRONICLE" copy --from "$PWD/old" --to "$PWD/out/copied" > /dev/null 2>> out/errors; echo "copy $?"
            $as "$CHRONICLE" restore "$PWD/old" --store "$PWD/out/restored" > /dev/null 2>> out/errors
            echo "restore $?"
            chmod 700 old; chmod 600 old/*
            cat out/errors
            """
        let result = try await CommandRunner.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", script], environment: environment, workDirectory: sandbox.root)
        #expect(
            result.stdout
                == "query 1 0\nquery 2 0\nquery 3 0\nquery 4 0\nstatus 0\nverify 0\ncopy 0\nrestore 0\n",
            "\(result)")
        for (index, answer) in expected.enumerated() {
            let found = try String(
                contentsOf: sandbox.root.appendingPathComponent("out/query-\(index + 1)"), encoding: .utf8)
            #expect(found == answer, "\(queries[index])")
        }
        #expect(try Data(contentsOf: data) == before, "the earlier store is left as it was")
        #expect(try Self.format(ofStoreIn: old) == ([0, 0, 0, 2], false))
        for made in ["out/copied", "out/restored"] {
            let path = sandbox.root.appendingPathComponent(made).path
            #expect(try Self.format(ofStoreIn: path) == ([0, 0, 0, 3], true), "\(made)")
            let log = try await sandbox.succeed(["log", "--json", "--store", path])
            #expect(log.stdout == expected[0], "\(made)")
            #expect(try await sandbox.run(["verify", "--store", path]).status == 0, "\(made)")
        }
    }
}
