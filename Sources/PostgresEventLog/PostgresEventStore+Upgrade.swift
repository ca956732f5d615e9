internal import EventLog
internal import Foundation
internal import PostgresNIO

extension PostgresEventStore {
    /// The signature of `chronicle.append_events`, as `regprocedure` spells it.
    static let appendFunctionSignature =
        "chronicle.append_events(uuid[], text[], text[], integer[], smallint[], bigint[], bytea[], integer[], "
        + "text[], bigint, boolean)"

    /// Replaces the `chronicle.append_events` of a store created by an older build with this build's, when
    /// this connection may (it belongs to the function's owner, the role that ran `init`, or is a superuser).
    ///
    /// The format stays 1: the older function computes the same seq, versions, recordedAt and hashes, one
    /// event at a time (see ``PostgresSchema/appendFunction(database:replacing:)``), so a store opened only by
    /// other roles keeps working with it, just slower. `CREATE OR REPLACE` keeps the function's owner and
    /// grants. A failure here (another opener replacing it at the same moment, a hot standby) leaves the
    /// older function in place and is not the command's concern.
    func upgradeFunctions() throws {
        let stale = try transaction(.read) { view in
            guard
                let row = try view.query(
                    """
                    SELECT position(\(PostgresSchema.appendFunctionMarker) IN p.prosrc) = 0
                        AND pg_has_role(p.proowner, 'USAGE')
                    FROM pg_proc p WHERE p.oid = to_regprocedure(\(Self.appendFunctionSignature))
                    """
                ).first
            else { return false }
            var cells = Cells(row)
            return try cells.next(Bool.self)
        }
        guard stale else { return }
        try? transaction(.write) { view in
            try view.session.execute(
                PostgresSchema.appendFunction(database: location.database, replacing: true))
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
