import EventLog
import EventLogTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import PostgresEventLog

/// Format 2 keeps the tag index as one row per event with its tags as an array; a store of format 1 (a row
/// per tag and event), as the build before it made it (`Tests/Fixtures/postgresql-format-1-store.sql`), is
/// upgraded when its owner opens it, and refused, untouched, to anyone else.
@Suite(.enabled(if: TestServer.isAvailable, "CHRONICLE_TEST_POSTGRES names no server"))
struct PostgresFormatUpgradeTests {
    @Test func aFormatOneStoreIsUpgradedWhenItsOwnerOpensItKeepingEveryEventAndEveryTag() throws {
        try withTestDatabase { database in
            let session = try loadFormatOneStore(into: database)
            defer { session.shutDown() }
            let pairsBefore = try text(
                "SELECT string_agg(tag || '@' || seq, ',' ORDER BY tag, seq) FROM chronicle.tags", on: session)
            let headBefore = try text("SELECT seq || ' ' || encode(hash, 'hex') FROM chronicle.head", on: session)

            let store = try database.superuserStore()
            #expect(try text("SELECT value FROM chronicle.meta WHERE key = 'format'", on: session) == "2")
            #expect(try text("SELECT coalesce(to_regclass('chronicle.tags')::text, 'gone')", on: session) == "gone")
            #expect(
                try text(
                    "SELECT string_agg(t || '@' || seq, ',' ORDER BY t, seq) FROM chronicle.event_tags, unnest(tags) t",
                    on: session) == pairsBefore)
            #expect(try text("SELECT seq || ' ' || encode(hash, 'hex') FROM chronicle.head", on: session) == headBefore)
            #expect(try store.appendFunctionSource()?.contains(PostgresSchema.appendFunctionMarker) == true)
            #expect(try store.verify().isSound)

            // The lookups read the upgraded index, and appends go on writing it.
            let oldham = try store.read { try $0.taggedSeqs("in/oldham", through: .max) }
            #expect(!oldham.isEmpty && oldham.allSatisfy { $0 <= 40 })
            try store.append([event("a", tags: ["in/oldham", "x", "x"]), event("b", tags: [])])
            let (seqs, tagged, untagged, entries, both) = try store.read { view in
                (
                    try view.taggedSeqs("in/oldham", through: .max), try view.isTagged(41, with: "x"),
                    try view.isTagged(42, with: "x"), try view.tagEntryCount(),
                    try view.taggedSeqs(forEach: ["x", "in/oldham"], through: 41)
                )
            }
            #expect(seqs == oldham + [41])
            #expect(tagged && !untagged)
            // The pairs before, and in/oldham and x (named twice, stored once) of seq 41.
            #expect(entries == pairsBefore.split(separator: ",").count + 2)
            #expect(both == ["x": [41], "in/oldham": oldham + [41]])
            #expect(try store.verify().isSound)
        }
    }

    @Test func aFormatOneStoreOpenedByARoleThatDoesNotOwnItIsRefusedWithWhatToDoAndLeftAsItWas() throws {
        try withTestDatabase { database in
            let session = try loadFormatOneStore(into: database)
            defer { session.shutDown() }
            let ann = try database.loginRole("ann")
            try session.execute("GRANT \"\(database.name)_recorder\" TO \"\(ann)\"")
            do {
                _ = try database.store(as: "ann")
                Issue.record("a recorder opened a format-1 store with this build")
            } catch let EventLogError.permissionDenied(message) {
                #expect(message.contains("is format 1"), "\(message)")
                #expect(message.contains("upgraded when its owner"), "\(message)")
            }
            #expect(try text("SELECT value FROM chronicle.meta WHERE key = 'format'", on: session) == "1")
            #expect(try text("SELECT count(*)::text FROM chronicle.tags", on: session) == "127")
            #expect(
                try text("SELECT coalesce(to_regclass('chronicle.event_tags')::text, 'none')", on: session) == "none")
        }
    }

    /// Loads the format-1 fixture into `database` as the superuser, who thereby owns it, and returns that
    /// superuser's connection.
    private func loadFormatOneStore(into database: TestDatabase) throws -> PostgresSession {
        var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            try #require(root.path != "/", "no package root above \(#filePath)")
            root = root.deletingLastPathComponent()
        }
        let fixture = try String(
            contentsOf: root.appendingPathComponent("Tests/Fixtures/postgresql-format-1-store.sql"), encoding: .utf8)
        let session = try database.session()
        for access in PostgresEventStore.Access.allCases {
            try session.execute("CREATE ROLE \"\(database.name)_\(access.rawValue)\" NOLOGIN")
        }
        try session.execute("GRANT \"\(database.name)_reader\" TO \"\(database.name)_recorder\"")
        let statements = fixture.replacingOccurrences(of: "{database}", with: database.name)
            .components(separatedBy: "\n-- ;;\n")
        for statement in statements {
            // The header's comment lines ride along with the first statement, as comments.
            if statement.split(separator: "\n").allSatisfy({ $0.hasPrefix("--") || $0.isEmpty }) { continue }
            try session.execute(statement)
        }
        return session
    }

    /// The one text value `sql` selects.
    private func text(_ sql: String, on session: PostgresSession) throws -> String {
        var cells = Cells(try #require(try session.query(PostgresQuery(unsafeSQL: sql)).first))
        return try cells.next(String.self)
    }
}
