import EventLog
import Foundation
import PostgresEventLog

/// Where a store is: a directory (the embedded LMDB store) or a PostgreSQL database named by a
/// `postgresql://` or `postgres://` URI. The one place the command line turns a location into a store.
enum StoreLocation: Equatable, CustomStringConvertible {
    /// An LMDB store in this directory.
    case directory(String)
    /// A PostgreSQL store at this URI (as given, password included).
    case postgres(String)

    /// The location `text` names (`--store`, `CHRONICLE_STORE`, `copy --from`/`--to`).
    init(_ text: String) {
        self = PostgresLocation.isURI(text) ? .postgres(text) : .directory(text)
    }

    /// The location from `--store`, else `CHRONICLE_STORE`, else the documented default directory
    /// (`$XDG_DATA_HOME/chronicle`, else `~/.local/share/chronicle`).
    static func resolve(store: String?) -> StoreLocation {
        if let store { return StoreLocation(store) }
        if let text = ProcessEnvironment.value("CHRONICLE_STORE"), !text.isEmpty { return StoreLocation(text) }
        if let data = ProcessEnvironment.value("XDG_DATA_HOME"), !data.isEmpty {
            return .directory(data + "/chronicle")
        }
        // $HOME first, as the README says and as other tools do; the password database only without it.
        let home = ProcessEnvironment.value("HOME").flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return .directory(home + "/.local/share/chronicle")
    }

    /// The location as given (a URI with its password, if it has one: for opening, not for messages).
    var text: String {
        switch self {
        case .directory(let path): path
        case .postgres(let uri): uri
        }
    }

    /// The directory, or nil for a database.
    var directory: String? {
        if case .directory(let path) = self { return path }
        return nil
    }

    /// The location for messages: a directory as given; a URI without its password.
    var description: String {
        switch self {
        case .directory(let path): return path
        case .postgres(let uri): return Self.withoutPassword(uri)
        }
    }

    /// `uri` with the password of its user information, if any, replaced by `***`.
    static func withoutPassword(_ uri: String) -> String {
        guard let scheme = uri.range(of: "://") else { return uri }
        let rest = uri[scheme.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@"),
            let colon = rest[..<at].firstIndex(of: ":")
        else { return uri }
        return String(uri[..<rest.index(after: colon)]) + "***" + String(rest[at...])
    }

    /// For the tests, which reach the limit of one transaction with a small file: the bytes given by
    /// `CHRONICLE_TEST_LARGEST_TRANSACTION` (no setting for users), as both the map an LMDB store is opened
    /// with and the most one import may add to it (``LMDBEventStore/Options/largestTransaction``).
    static var testLargestTransaction: Int? {
        ProcessEnvironment.value("CHRONICLE_TEST_LARGEST_TRANSACTION").flatMap { Int($0) }.map { max($0, 1 << 16) }
    }

    /// Opens the store: created when `create` is set and there is none; read-only when `readOnly` (a
    /// directory; a database connection is as the server's roles allow); appends let through with a clock far
    /// behind the log's last `recordedAt` when `allowsClockBehind`. The clock is `CHRONICLE_NOW`'s when set
    /// (on PostgreSQL honoured for the admin role only), else the system's (the database's, on PostgreSQL).
    /// `writeMap` is for a command whose write is one long append session (`import`): an LMDB store's pages
    /// are then written in its file mapping, not in heap copies (``LMDBEventStore/Options/writeMap``).
    /// `budget` is the command's resident budget for an LMDB store's mapped pages (``ResidentBudget``; a
    /// PostgreSQL store maps nothing).
    func open(
        create: Bool = false, readOnly: Bool = false, allowsClockBehind: Bool = false, writeMap: Bool = false,
        budget: ResidentBudget = .standard
    ) throws -> any EventStore {
        switch self {
        case .directory(let path):
            var options = LMDBEventStore.Options(
                create: create, readOnly: readOnly, allowsClockBehind: allowsClockBehind, writeMap: writeMap,
                residentFileMemoryBudget: budget.bytes)
            if let largest = Self.testLargestTransaction {
                options.initialMapSize = largest
                options.largestTransaction = largest
            }
            return try LMDBEventStore(directory: path, options: options, clock: try Clock.current())
        case .postgres(let uri):
            return try PostgresEventStore(
                location: try PostgresLocation(uri: uri),
                options: .init(
                    create: create, allowsClockBehind: allowsClockBehind, notice: { printDiagnostic($0) }),
                clock: try Clock.pinned())
        }
    }
}
