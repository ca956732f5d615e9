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

/// Whether the store was of format 1 when last looked at: its tag index is then read from `chronicle.tags`
/// (see ``PostgresLogView/formatOne``) until a write of its owner upgrades it, or a write, or a read finding
/// that table gone, finds it upgraded.
final class StoredFormat: @unchecked Sendable {
    // @unchecked: the one member is read and written under `lock`.
    private let lock = NSLock()
    private var one = false
    private var gone = false

    /// Whether the store was of format 1.
    var isOne: Bool {
        get { lock.withLock { one } }
        set { lock.withLock { one = newValue } }
    }

    /// Whether a transaction found `chronicle.tags` gone (another opener upgraded the store): the format is
    /// to be read again once that transaction is rolled back.
    var tableGone: Bool {
        get { lock.withLock { gone } }
        set { lock.withLock { gone = newValue } }
    }
}

extension PostgresEventStore {
    /// Reads the store's format again after a transaction found the format-1 tag index gone: upgraded (by
    /// another opener), it is read as format 2 from the next transaction on. A failure to read it leaves
    /// things as they were (the transaction's own error is the one reported).
    func readFormatAgain() {
        guard let read = try? readFormat(), read.format == String(PostgresSchema.format) else { return }
        formatOne.isOne = false
    }
}

/// What ``PostgresEventStore/upgradeFormat()`` did.
public enum FormatUpgrade: Sendable, Equatable {
    /// The store was of the current format already (no change).
    case current
    /// The store was upgraded from this format to the current one.
    case upgraded(from: UInt32)
    /// The store is of format 1 and stays so: only its owner (named) or a superuser may upgrade it.
    case needsOwner(String)
    /// The store is of format 1 and stays so: the connection is read-only (a hot standby, or
    /// `default_transaction_read_only`).
    case readOnly
}

extension PostgresEventStore {
    /// The format of the store when it was opened, or when a write last looked: 1 for a store an earlier build
    /// made and nobody has upgraded yet (read as it is), else ``PostgresSchema/format``.
    public var storedFormat: UInt32 { formatOne.isOne ? 1 : PostgresSchema.format }

    /// The format of the schema this build writes (and the only other one it reads is 1: see
    /// ``upgradeFormat()``).
    public static let formatVersion: UInt32 = PostgresSchema.format

    /// Upgrades a format-1 store to format 2 (see ``PostgresSchema/format``), in one transaction: the tag
    /// rows of `chronicle.tags` become one `chronicle.event_tags` row per event (the same pairs, so the
    /// index's position and scheme stay), `chronicle.tags` is dropped, and the functions that write tags are
    /// replaced. The events, the head, the checkpoints, the keys and the scopes are untouched.
    ///
    /// Run by the first write attempt (not a dry run) of a store opened at format 1, even one whose batch the
    /// log's rules then refuse (the upgrade commits first, in its own transaction), as an LMDB store is
    /// upgraded by its first write, and by `chronicle init`: opening reads a format-1 store as it is, so that a
    /// rollout in which earlier builds still run (they refuse format 2) goes on until the owner writes.
    ///
    /// Lock order: the advisory lock of ``upgradeAppendFunction()`` first (openers upgrading at once take
    /// turns), then the format is read again (another may have upgraded it: nothing to do), and only if it is
    /// still 1 is the role's right asked (the schema's owner or a superuser, on a writable primary); anyone
    /// else leaves it at format 1 (the store's own functions go on writing `chronicle.tags`). Then the head
    /// lock (appends wait for the upgrade) and the old table's lock, waited for at most
    /// ``upgradeLockTimeout``: a long reader of `chronicle.tags` fails the upgrade with nothing changed
    /// rather than holding every append behind it.
    @discardableResult
    public func upgradeFormat() throws -> FormatUpgrade {
        // Asked for (`chronicle init`): a reader holding it up is the command's failure.
        guard let outcome = try upgradeFormat(givingWayToReaders: false) else { return .current }
        return outcome
    }

    /// ``upgradeFormat()``; when `givingWayToReaders`, a reader of `chronicle.tags` that holds the upgrade
    /// up past ``upgradeLockTimeout`` rolls it back and nil is returned (the store stays at format 1) rather
    /// than failing.
    func upgradeFormat(givingWayToReaders: Bool) throws -> FormatUpgrade? {
        guard formatOne.isOne else { return .current }
        let outcome: FormatUpgrade
        do {
            outcome = try upgradeFormatOnce(givingWayToReaders: givingWayToReaders)
        } catch is HeldUpByReader {
            return nil
        }
        switch outcome {
        case .current, .upgraded:
            // Read again: a format this build does not read may have been written meanwhile.
            let found = try readFormat()?.format
            guard found == String(PostgresSchema.format) else {
                throw EventLogError.unsupportedFormat(
                    found: found.flatMap { UInt32($0) } ?? 0, supported: PostgresSchema.format)
            }
            formatOne.isOne = false
        case .needsOwner, .readOnly:
            break
        }
        return outcome
    }

    /// A reader of `chronicle.tags` held the upgrade up: it was rolled back (nothing changed).
    private struct HeldUpByReader: Error {}

    /// The upgrade's transaction (see ``upgradeFormat()``).
    private func upgradeFormatOnce(givingWayToReaders: Bool) throws -> FormatUpgrade {
        try transaction(.write) { view in
            try view.session.execute("SELECT pg_advisory_xact_lock(\(Self.upgradeLockKey))")
            guard try view.meta("format") == "1" else { return .current }
            var allowed = Cells(
                try view.query(
                    """
                    SELECT pg_has_role(c.relowner, 'USAGE'),
                        NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off',
                        pg_get_userbyid(c.relowner)::text
                    FROM pg_class c WHERE c.oid = 'chronicle.events'::regclass
                    """
                ).first.unwrapped("pg_class"))
            let owns = try allowed.next(Bool.self)
            let writable = try allowed.next(Bool.self)
            let owner = try allowed.next(String.self)
            // Read-only first: there, no role could upgrade it, and the owner's name would send one to them.
            guard writable else { return .readOnly }
            guard owns else { return .needsOwner(owner) }
            try view.query("SELECT chronicle.lock_head()")
            do {
                try view.session.execute("SET LOCAL lock_timeout = '\(Self.upgradeLockTimeout)s'")
                try view.session.execute("LOCK TABLE chronicle.tags IN ACCESS EXCLUSIVE MODE")
                try view.session.execute("SET LOCAL lock_timeout = 0")
            } catch let failure as PostgresFailure where failure.sqlState == "55P03" {
                if givingWayToReaders { throw HeldUpByReader() }
                throw EventLogError.storage(
                    "could not upgrade the store at \(location) from format 1 to format \(PostgresSchema.format): "
                        + "a transaction reading its tag index (chronicle.tags) held it for more than "
                        + "\(Self.upgradeLockTimeout) s; nothing was changed (run the command again once it is over)")
            }
            // Created by whoever upgrades (a superuser, perhaps), then given to the schema's owner, whose
            // SECURITY DEFINER functions write it.
            let ownerName = "(SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'chronicle.events'::regclass)"
            let statements = [
                // Grouping the pairs sorts them all: in memory rather than on disk where the server allows.
                "SET LOCAL work_mem = '64MB'",
                PostgresSchema.eventTagsTable,
                """
                INSERT INTO chronicle.event_tags (seq, tags)
                    SELECT seq, array_agg(tag ORDER BY tag) FROM chronicle.tags GROUP BY seq
                """,
                PostgresSchema.eventTagsIndex,
                """
                DO $$ BEGIN EXECUTE format('ALTER TABLE chronicle.event_tags OWNER TO %I', \(ownerName)); END $$
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
            return .upgraded(from: 1)
        }
    }

    /// Upgrades a format-1 store before a write that is not a dry run, as its first write upgrades an LMDB
    /// store: by its owner; anyone else writes it as it is, through the store's own (format-1) functions. On
    /// a read-only connection the write is refused as any write there is. A long reader of the old tag index
    /// does not fail the write: the upgrade gives way (rolled back, said through ``Options/notice``) and the
    /// write goes ahead at format 1, as anyone else's does; a later write tries again.
    func upgradeFormatBeforeWriting() throws {
        guard formatOne.isOne else { return }
        switch try upgradeFormat(givingWayToReaders: true) {
        case .readOnly?: throw readOnlyStore()
        case nil:
            notice?(
                "the store at \(location) stays at format 1 for now: a transaction reading its tag index "
                    + "(chronicle.tags) held the upgrade to format \(PostgresSchema.format) up for more than "
                    + "\(Self.upgradeLockTimeout) s; this write goes ahead at format 1 (a later write, or `chronicle init`, "
                    + "upgrades it)"
            )
        default: break
        }
    }

    /// Seconds the upgrade waits for readers of the format-1 tag index before giving up (nothing changed).
    static let upgradeLockTimeout = 5

    /// The error of a write on a read-only connection (a hot standby, `default_transaction_read_only`):
    /// like a write to a store on a read-only file system, an I/O refusal (exit 74), not a role's missing
    /// privilege (77): no grant would let it through.
    func readOnlyStore() -> EventLogError {
        .storage(
            "the store at \(location) is read-only (a hot standby, or default_transaction_read_only is on): "
                + "nothing was written; write on the primary")
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
