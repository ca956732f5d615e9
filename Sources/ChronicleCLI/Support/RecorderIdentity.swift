import EventLog
import PostgresEventLog

/// Refuses a `--recorded-by` that a PostgreSQL store would not honour.
///
/// On PostgreSQL the database stamps `recordedBy` with the user the connection authenticated as, so that
/// who recorded an event is what the server knows, not what the client claims. A `--recorded-by` naming someone else
/// would be silently replaced; it is refused instead, as a permission the user lacks (exit 77, as every refusal
/// of the store's roles), telling the user to connect as that person.
/// `--recorded-by` naming the database user itself, or no `--recorded-by`, is accepted; `CHRONICLE_USER` is not looked at (it is
/// a default, not a claim). On LMDB nothing is refused: whoever can write the files names the recorder.
///
/// - Parameters:
///   - requested: `--recorded-by`, when given.
///   - storeIsPostgres: whether the store is a PostgreSQL database.
///   - databaseUser: the user the connection authenticates as (ignored on LMDB).
func checkRecorder(requested: String?, storeIsPostgres: Bool, databaseUser: String) throws {
    guard storeIsPostgres, let requested, !requested.isEmpty, requested != databaseUser else { return }
    throw CLIError(
        status: .permissionDenied,
        message: "on PostgreSQL the recorder is the database user \(databaseUser); --recorded-by cannot name "
            + "\(requested): connect as \(requested) instead")
}

extension StoreSelection {
    /// Who records the events a command appends: on PostgreSQL the database user (after ``checkRecorder(
    /// requested:storeIsPostgres:databaseUser:)`` has refused a `--recorded-by` naming anyone else), on LMDB
    /// ``recordedBy`` (`--recorded-by`, `CHRONICLE_USER`, then the login name).
    func checkedRecordedBy() throws -> String {
        guard case .postgres(let uri) = location else { return recordedBy }
        let databaseUser = try PostgresLocation(uri: uri).user
        try checkRecorder(requested: by, storeIsPostgres: true, databaseUser: databaseUser)
        return databaseUser
    }
}
