import EventLog
import EventLogTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import PostgresEventLog

/// Format 2 keeps the tag index as one row per event with its tags as an array; a store of format 1 (a row
/// per tag and event), as the build before it made it (`Tests/Fixtures/postgresql-format-1-store.sql`), is read
/// and written as it is by every role, and upgraded by its owner's first write (not a read, not a dry run), as an
/// LMDB store is: a rollout in which earlier builds (which refuse format 2) still run goes on until then.
@Suite(.enabled(if: TestServer.isAvailable, "CHRONICLE_TEST_POSTGRES names no server"))
struct PostgresFormatUpgradeTests {
    @Test func aFormatOneStoreIsReadAsItIsAndUpgradedByItsOwnersFirstWriteKeepingEveryEventAndEveryTag() throws {
        try withTestDatabase { database in
            let session = try loadFormatOneStore(into: database)
            defer { session.shutDown() }
            let pairsBefore = try text(
                "SELECT string_agg(tag || '@' || seq, ',' ORDER BY tag, seq) FROM chronicle.tags", on: session)
            let headBefore = try text("SELECT seq || ' ' || encode(hash, 'hex') FROM chronicle.head", on: session)

            // Opening, reading, verifying and a dry run leave it at format 1, read as it is.
            let store = try database.superuserStore()
            #expect(store.storedFormat == 1)
            let oldham = try store.read { try $0.taggedSeqs("in/oldham", through: .max) }
            #expect(!oldham.isEmpty && oldham.allSatisfy { $0 <= 40 })
            // Its events under a tag (named twice) are the tag lookup's, less those known, each lent once.
            let lent = try store.read { view in
                var seqs: [UInt64] = []
                try view.taggedEventsInPlace(
                    forEach: ["in/oldham", "in/oldham"], through: .max, skipping: [oldham.first ?? 0]
                ) { seq, event in
                    if event?.seq == seq { seqs.append(seq) }
                }
                return seqs
            }
            #expect(lent == Array(oldham.dropFirst()))
            #expect(try store.read { try $0.tagEntryCount() } == pairsBefore.split(separator: ",").count)
            #expect(try store.verify().isSound)
            let dry = try store.append(
                [event("a", tags: ["in/oldham"])], expecting: [:], hooks: NoAppendHooks(), dryRun: true)
            #expect(dry.appended.count == 1)
            #expect(try text("SELECT value FROM chronicle.meta WHERE key = 'format'", on: session) == "1")
            #expect(try text("SELECT count(*)::text FROM chronicle.tags", on: session) == "127")

            // The first write upgrades it, then appends.
            try store.append([event("a", tags: ["in/oldham", "x", "x"]), event("b", tags: [])])
            #expect(store.storedFormat == 2)
            #expect(try text("SELECT value FROM chronicle.meta WHERE key = 'format'", on: session) == "2")
            #expect(try text("SELECT coalesce(to_regclass('chronicle.tags')::text, 'gone')", on: session) == "gone")
            #expect(
                try text(
                    """
                    SELECT string_agg(t || '@' || seq, ',' ORDER BY t, seq) FROM chronicle.event_tags, unnest(tags) t
                    WHERE seq <= 40
                    """, on: session) == pairsBefore)
            #expect(try store.appendFunctionSource()?.contains(PostgresSchema.appendFunctionMarker) == true)
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
            #expect(headBefore.hasPrefix("40 "))
        }
    }

    @Test func aFormatOneStoreIsReadAndWrittenAsItIsByARoleThatDoesNotOwnIt() throws {
        try withTestDatabase { database in
            let session = try loadFormatOneStore(into: database)
            defer { session.shutDown() }
            let ann = try database.loginRole("ann")
            try session.execute("GRANT \"\(database.name)_recorder\" TO \"\(ann)\"")
            let store = try database.store(as: "ann")
            #expect(store.storedFormat == 1)
            let oldham = try store.read { try $0.taggedSeqs("in/oldham", through: .max) }
            #expect(!oldham.isEmpty)
            try store.append([event("a", tags: ["in/oldham"])])
            #expect(try store.read { try $0.taggedSeqs("in/oldham", through: .max) } == oldham + [41])
            #expect(try store.verify().isSound)
            #expect(try store.upgradeFormat() == .needsOwner(try text("SELECT current_user::text", on: session)))
            #expect(try text("SELECT value FROM chronicle.meta WHERE key = 'format'", on: session) == "1")
            #expect(try text("SELECT count(*)::text FROM chronicle.tags", on: session) == "128")
            #expect(
                try text("SELECT coalesce(to_regclass('chronicle.event_tags')::text, 'none')", on: session) == "none")
        }
    }

    @Test func aRoleThatOpenedAFormatOneStoreWritesThroughItsOwnersUpgradeInsteadOfBeingRefused() throws {
        try withTestDatabase { database in
            let session = try loadFormatOneStore(into: database)
            defer { session.shutDown() }
            let ann = try database.loginRole("ann")
            try session.execute("GRANT \"\(database.name)_recorder\" TO \"\(ann)\"")
            let recorder = try database.store(as: "ann")
            let owner = try database.superuserStore()
            #expect(try owner.upgradeFormat() == .upgraded(from: 1))
            // The recorder took the store for format 1: its write reads the format again under the upgrade's
            // lock, before any question of who may upgrade.
            try recorder.append([event("a", tags: ["in/oldham"])])
            #expect(recorder.storedFormat == 2)
            #expect(try recorder.read { try $0.taggedSeqs("in/oldham", through: .max) }.last == 41)
            #expect(try owner.upgradeFormat() == .current)
        }
    }

    /// A long-lived reader that opened the store at format 1 and sees it upgraded by another fails the one
    /// transaction that found the old tag index gone (its snapshot reads no tags there), and reads the new one
    /// from the next transaction on rather than failing every tag read until it writes.
    @Test func aReaderThatOpenedAFormatOneStoreReadsItsTagsAgainOnceAnotherUpgradedIt() throws {
        try withTestDatabase { database in
            let session = try loadFormatOneStore(into: database)
            defer { session.shutDown() }
            let reader = try database.superuserStore()
            let oldham = try reader.read { try $0.taggedSeqs("in/oldham", through: .max) }
            #expect(!oldham.isEmpty)
            let owner = try database.superuserStore()
            #expect(try owner.upgradeFormat() == .upgraded(from: 1))
            do {
                _ = try reader.read { try $0.taggedSeqs("in/oldham", through: .max) }
                Issue.record("a format-1 tag read went through once the table was dropped")
            } catch let EventLogError.storage(message) {
                #expect(message.contains("was upgraded to format 2"), "\(message)")
            }
            #expect(reader.storedFormat == 2)
            #expect(try reader.read { try $0.taggedSeqs("in/oldham", through: .max) } == oldham)
            #expect(try reader.read { try $0.isTagged(oldham[0], with: "in/oldham") })
        }
    }

    /// `chronicle init` held up by a long reader of `chronicle.tags` fails with nothing changed; a write held
    /// up so gives the upgrade up (rolled back, with a notice) and is written at format 1, rather than
    /// failing every write of the owner while the reader lasts.
    @Test func anUpgradeThatALongReaderOfTheOldTagIndexHoldsUpFailsWithNothingChanged() throws {
        try withTestDatabase { database in
            let session = try loadFormatOneStore(into: database)
            defer { session.shutDown() }
            let reader = try database.session()
            try reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try reader.execute("SELECT count(*) FROM chronicle.tags")
            // Without a lock timeout the upgrade would wait for this reader (and every append behind it): the
            // reader gives up after a while, so that such an upgrade passes and the test fails rather than hangs.
            let release = Thread {
                Thread.sleep(forTimeInterval: Double(PostgresEventStore.upgradeLockTimeout) * 6)
                try? reader.execute("ROLLBACK")
            }
            release.start()
            defer {
                try? reader.execute("ROLLBACK")
                reader.shutDown()
            }
            let notices = Notices()
            let store = try PostgresEventStore(
                location: database.location(), options: .init(notice: { notices.add($0) }))
            do {
                try store.upgradeFormat()
                Issue.record("the upgrade went ahead past a reader of chronicle.tags")
            } catch let EventLogError.storage(message) {
                #expect(message.contains("held it for more than"), "\(message)")
                #expect(message.contains("nothing was changed"), "\(message)")
            }
            #expect(try text("SELECT value FROM chronicle.meta WHERE key = 'format'", on: session) == "1")
            #expect(try text("SELECT seq::text FROM chronicle.head", on: session) == "40")
            #expect(notices.all.isEmpty)
            try store.append([event("a", tags: ["t"])])
            #expect(try text("SELECT value FROM chronicle.meta WHERE key = 'format'", on: session) == "1")
            #expect(try text("SELECT seq::text FROM chronicle.head", on: session) == "41")
            #expect(try text("SELECT count(*)::text FROM chronicle.tags WHERE seq = 41", on: session) == "1")
            #expect(store.storedFormat == 1)
            #expect(notices.all.count == 1)
            #expect(notices.all.first?.contains("stays at format 1") ?? false, "\(notices.all)")
        }
    }

    @Test func aFormatOneStoreOnAReadOnlyConnectionIsReadAndItsWritesAreRefusedAsReadOnly() throws {
        try withTestDatabase { database in
            let session = try loadFormatOneStore(into: database)
            defer { session.shutDown() }
            try session.execute("ALTER DATABASE \(database.name) SET default_transaction_read_only = on")
            let store = try database.superuserStore()
            #expect(try store.verify().isSound)
            #expect(try store.upgradeFormat() == .readOnly)
            do {
                try store.append([event("a")])
                Issue.record("an append on a read-only connection went through")
            } catch let EventLogError.storage(message) {
                #expect(message.contains("is read-only"), "\(message)")
            }
            #expect(try text("SELECT value FROM chronicle.meta WHERE key = 'format'", on: session) == "1")
        }
    }

    @Test func aRoleThatDoesNotOwnAFormatOneStoreOnAReadOnlyConnectionIsToldItIsReadOnly() throws {
        try withTestDatabase { database in
            let session = try loadFormatOneStore(into: database)
            defer { session.shutDown() }
            let ann = try database.loginRole("ann")
            try session.execute("GRANT \"\(database.name)_recorder\" TO \"\(ann)\"")
            try session.execute("ALTER DATABASE \(database.name) SET default_transaction_read_only = on")
            let store = try database.store(as: "ann")
            #expect(try store.upgradeFormat() == .readOnly)
            #expect(try text("SELECT value FROM chronicle.meta WHERE key = 'format'", on: session) == "1")
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

/// The notices a store gave (see `PostgresEventStore.Options.notice`).
private final class Notices: @unchecked Sendable {
    // @unchecked: `lines` is read and written under `lock`.
    private let lock = NSLock()
    private var lines: [String] = []

    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
