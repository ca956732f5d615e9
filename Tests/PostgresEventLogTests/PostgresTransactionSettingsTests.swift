import EventLog
import EventLogTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import PostgresEventLog

/// A transaction turns JIT compilation off for itself: its statements are index lookups of a few ms, and
/// past `jit_above_cost` (which a large log's estimates pass) the server spent far longer compiling them than
/// running them, in a query's reads and in the import's (in its write transactions). The setting is the
/// transaction's own (`SET LOCAL`), so that the connection, lent again or shared through a pooler, keeps the
/// server's.
@Suite(.enabled(if: TestServer.isAvailable, "CHRONICLE_TEST_POSTGRES names no server"))
struct PostgresTransactionSettingsTests {
    /// `SHOW jit` as `query` answers it.
    private static func jit(_ query: () throws -> [PostgresRow]) throws -> String {
        guard let row = try query().first else { throw EventLogError.storage("SHOW jit returned no row") }
        var cells = Cells(row)
        return try cells.next(String.self)
    }

    @Test func readAndWriteTransactionsRunWithJITOffAndTheConnectionKeepsTheServersSetting() throws {
        try withTestDatabase { database in
            // The server's setting for this database is on, whatever the test server's own default.
            try database.session().execute("ALTER DATABASE \(database.name) SET jit = on")
            let store = try database.superuserStore(create: true)
            try store.append([event("a", tags: ["x"])])
            let inRead = try store.read { view in
                guard let view = view as? PostgresLogView else { throw EventLogError.storage("not PostgreSQL") }
                return try Self.jit { try view.query("SHOW jit") }
            }
            #expect(inRead == "off")
            // A read inside an append runs in the append's write transaction: off there too.
            var inWrite: [String] = []
            try store.append(
                [event("b", tags: ["x"])], expecting: [:],
                hooks: Hooks(onPrepare: { _, batch in
                    try store.read { view in
                        guard let view = view as? PostgresLogView else { return }
                        inWrite.append(try Self.jit { try view.query("SHOW jit") })
                    }
                    return batch
                }))
            #expect(inWrite == ["off"])
            // The read's connection, given back to the pool, is the one a statement outside a transaction uses.
            #expect(try Self.jit { try store.session.query("SHOW jit") } == "on")
            #expect(try store.read { try $0.taggedSeqs("x", through: .max) } == [1, 2])
        }
    }

    @Test func aTransactionWhoseSettingFailsLeavesItsConnectionOutsideAnyTransaction() throws {
        try withTestDatabase { database in
            let store = try database.superuserStore(create: true)
            let session = store.session
            #expect(throws: (any Error).self) {
                try PostgresEventStore.begin(.read, on: session, settings: "SET LOCAL jit = nonsense")
            }
            // Not left in the aborted transaction (SQLSTATE 25P02 for every later statement): the connection
            // answers, and outside a transaction (a BEGIN there would only warn of one under way).
            #expect(try Self.jit { try session.query("SHOW jit") }.isEmpty == false)
            try session.execute("BEGIN")
            try session.execute("COMMIT")
            try store.append([event("a", tags: ["x"])])
            #expect(try store.read { try $0.taggedSeqs("x", through: .max) } == [1])
        }
    }
}
