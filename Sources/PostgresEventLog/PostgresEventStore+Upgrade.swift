internal import EventLog
internal import Foundation
internal import PostgresNIO

extension PostgresEventStore {
    /// The signature of `chronicle.append_events`, as `regprocedure` spells it.
    static let appendFunctionSignature =
        "chronicle.append_events(uuid[], text[], text[], integer[], smallint[], bigint[], bytea[], integer[], "
        + "text[], bigint, boolean)"

    /// An SQL boolean: whether this connection should replace the store's `chronicle.append_events` by this
    /// build's. True only when the stored one's revision (the number in its marker, 1 without one) is lower
    /// than ``PostgresSchema/appendFunctionRevision`` (a newer build's is left alone), the connection's role
    /// may replace it (it has the owner's privileges: the role that ran `init`, or a superuser), and the
    /// server is not a standby. False when there is no such function. Only the catalogue is read, so it
    /// rides along with the query that reads the store's format on open.
    static let appendFunctionNeedsUpgrade = """
        coalesce((
            SELECT coalesce(substring(p.prosrc FROM \(PostgresSchema.literal(PostgresSchema.appendFunctionRevisionPattern)))::integer, 1)
                    < \(PostgresSchema.appendFunctionRevision)
                AND pg_has_role(p.proowner, 'USAGE') AND NOT pg_is_in_recovery()
            FROM pg_proc p WHERE p.oid = to_regprocedure(\(PostgresSchema.literal(appendFunctionSignature)))
        ), false)
        """

    /// Whether the upgrade may meet `failure` and leave the older function in place: a serialization
    /// failure or deadlock, another opener replacing it at the same moment ("tuple concurrently updated"),
    /// a read-only transaction (`default_transaction_read_only`) or a missing privilege. Any other failure
    /// (a lost connection, a body the server rejects) is the command's.
    static func toleratesUpgradeFailure(_ failure: PostgresFailure) -> Bool {
        switch failure.sqlState {
        case "40001", "40P01", "25006", "42501": true
        case "XX000": failure.message.contains("concurrently updated")
        default: false
        }
    }

    /// Replaces the store's `chronicle.append_events` with this build's (``appendFunctionNeedsUpgrade`` said
    /// it is older, in the transaction that read the format).
    ///
    /// The format stays 1: the older function computes the same seq, versions, recordedAt and hashes (see
    /// ``PostgresSchema/appendFunction(database:replacing:)``), so a store opened only by other roles keeps
    /// working with it, just slower. `CREATE OR REPLACE` keeps the function's owner and grants. Openers
    /// replacing it at once take turns on an advisory lock and check the revision again, so one of an older
    /// build never replaces what one of a newer build just wrote.
    func upgradeAppendFunction() throws {
        do {
            try transaction(.write) { view in
                do {
                    try view.session.execute("SELECT pg_advisory_xact_lock(\(Self.upgradeLockKey))")
                    var cells = Cells(
                        try view.query("SELECT \(unescaped: Self.appendFunctionNeedsUpgrade)").first
                            .unwrapped("pg_proc"))
                    guard try cells.next(Bool.self) else { return }
                    try view.session.execute(
                        PostgresSchema.appendFunction(database: location.database, replacing: true))
                } catch let failure as PostgresFailure {
                    if Self.toleratesUpgradeFailure(failure) { throw UpgradeLeftAside() }
                    throw EventLogError.storage(
                        "could not replace chronicle.append_events of the store at \(location) by this build's "
                            + "(revision \(PostgresSchema.appendFunctionRevision)): \(failure.reason)")
                }
            }
        } catch is UpgradeLeftAside {
            return
        }
    }

    /// The advisory lock (transaction-scoped, per database) that openers replacing the function take.
    private static let upgradeLockKey: Int64 = 0x4368_726F_6E55_7067  // "ChronUpg"

    /// An expected failure of the upgrade: the transaction is rolled back and the older function stays.
    private struct UpgradeLeftAside: Error {}
}

extension PostgresEventStore {
    /// Upgrades a format-1 store to format 2 (see ``PostgresSchema/format``), in one transaction holding the
    /// head lock: the tag rows of `chronicle.tags` become one `chronicle.event_tags` row per event (the same
    /// pairs, so the index's position and scheme stay), `chronicle.tags` is dropped, and the functions that
    /// write tags are replaced. The events, the head, the checkpoints, the keys and the scopes are untouched.
    ///
    /// Only the schema's owner (the role that ran `init`, or a superuser) may, on the primary: anyone else
    /// is refused with what to do, as this build reads no format-1 tag index. Openers upgrading at once
    /// take turns on the advisory lock of ``upgradeAppendFunction()`` and read the format again.
    func upgradeFormat() throws {
        try transaction(.write) { view in
            var allowed = Cells(
                try view.query(
                    """
                    SELECT pg_has_role(c.relowner, 'USAGE') AND NOT pg_is_in_recovery()
                        AND current_setting('transaction_read_only') = 'off', pg_get_userbyid(c.relowner)::text
                    FROM pg_class c WHERE c.oid = 'chronicle.events'::regclass
                    """
                ).first.unwrapped("pg_class"))
            guard try allowed.next(Bool.self) else {
                let owner = try allowed.next(String.self)
                throw EventLogError.permissionDenied(
                    "the store at \(location) is format 1 and this build reads format \(PostgresSchema.format): "
                        + "it is upgraded when its owner (\(owner)) or a superuser opens it on the primary with "
                        + "this build (for example `chronicle verify --store …` as \(owner)); \(location.user) "
                        + "may not; nothing was changed")
            }
            try view.session.execute("SELECT pg_advisory_xact_lock(\(Self.upgradeLockKey))")
            try view.query("SELECT chronicle.lock_head()")
            guard try view.meta("format") == "1" else { return }
            // Created by whoever upgrades (a superuser, perhaps), then given to the schema's owner, whose
            // SECURITY DEFINER functions write it.
            let owner = "(SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'chronicle.events'::regclass)"
            let statements = [
                PostgresSchema.eventTagsTable,
                """
                INSERT INTO chronicle.event_tags (seq, tags)
                    SELECT seq, array_agg(tag ORDER BY tag) FROM chronicle.tags GROUP BY seq
                """,
                PostgresSchema.eventTagsIndex,
                """
                DO $$ BEGIN EXECUTE format('ALTER TABLE chronicle.event_tags OWNER TO %I', \(owner)); END $$
                """,
                "DROP TABLE chronicle.tags",
                PostgresSchema.appendFunction(database: location.database, replacing: true),
                PostgresSchema.resetTagsFunction,
                PostgresSchema.addTagsFunction,
                PostgresSchema.restoreFunction,
                "GRANT SELECT ON chronicle.event_tags TO \(PostgresSchema.identifier(roleName(.reader)))",
                "UPDATE chronicle.meta SET value = '\(PostgresSchema.format)' WHERE key = 'format'",
            ]
            for statement in statements { try view.session.execute(statement) }
        }
    }
}

extension PostgresEventStore {
    /// The source of the store's `chronicle.append_events` (nil if it has none): what revision it runs.
    func appendFunctionSource() throws -> String? {
        try transaction(.read) { view in
            guard
                let row = try view.query(
                    "SELECT prosrc FROM pg_proc WHERE oid = to_regprocedure(\(Self.appendFunctionSignature))"
                ).first
            else { return nil }
            var cells = Cells(row)
            return try cells.next(String.self)
        }
    }
}
