internal import EventLog
internal import FileSystem
public import Foundation

/// Where a PostgreSQL store is: a `postgresql://[user[:password]@]host[:port]/db[?sslmode=…]` URI completed
/// by libpq's conventions (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, `~/.pgpass` or
/// PGPASSFILE).
///
/// What the URI leaves out comes from the environment, as libpq takes it: host from PGHOST (else `localhost`:
/// unlike libpq, no default socket directory is guessed), port from PGPORT (else 5432), user from PGUSER (else
/// the login name), database from PGDATABASE (else the user name), sslmode from PGSSLMODE (else `prefer`), and
/// the password from PGPASSWORD, else from the password file (PGPASSFILE or `~/.pgpass`), which, as libpq does,
/// is ignored unless only its owner may read it.
///
/// ```swift
/// let location = try PostgresLocation(uri: "postgresql://ann@db.example.org/programme?sslmode=verify-full")
/// ```
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// Whether `text` names a PostgreSQL store (`postgresql://` or `postgres://`) rather than a directory.
    public static func isURI(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    /// The sslmode values libpq knows.
    public static let sslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    /// Host name or address, or a socket directory (starting with `/`).
    public var host: String
    /// TCP port.
    public var port: Int
    /// The database user.
    public var user: String
    /// The password, when one was given (URI, PGPASSWORD or the password file).
    public var password: String?
    /// The database.
    public var database: String
    /// libpq's sslmode: disable, allow, prefer, require, verify-ca, verify-full.
    public var sslMode: String
    /// The `application_name` the server shows for the connection (URI or PGAPPNAME), if any.
    public var applicationName: String?
    /// Seconds to wait for the connection (`connect_timeout`, URI or PGCONNECT_TIMEOUT); `nil`: 10.
    public var connectTimeout: Int?

    /// Parses `uri`, filling what it leaves out from `environment` (PG* variables, then the password file).
    /// Throws ``EventLogError/storage(_:)`` naming the part that does not parse.
    public init(uri: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let parts = try URIParts(uri)
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        host = nonEmpty(parts.host) ?? nonEmpty(environment["PGHOST"]) ?? "localhost"
        if host.contains(",") {
            throw EventLogError.storage("PostgreSQL URI \(Self.redacted(uri)): several hosts are not supported")
        }
        let portText = nonEmpty(parts.port) ?? nonEmpty(environment["PGPORT"])
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number) else {
                throw EventLogError.storage(
                    "PostgreSQL URI \(Self.redacted(uri)): port \(portText) is not a port number")
            }
            port = number
        } else {
            port = 5432
        }
        user = nonEmpty(parts.user) ?? nonEmpty(environment["PGUSER"]) ?? Self.loginName(environment)
        database = nonEmpty(parts.database) ?? nonEmpty(environment["PGDATABASE"]) ?? user
        sslMode = nonEmpty(parts.sslMode) ?? nonEmpty(environment["PGSSLMODE"]) ?? "prefer"
        guard Self.sslModes.contains(sslMode) else {
            throw EventLogError.storage(
                "PostgreSQL URI \(Self.redacted(uri)): sslmode \(sslMode) is not one of "
                    + Self.sslModes.joined(separator: ", "))
        }
        applicationName = nonEmpty(parts.applicationName) ?? nonEmpty(environment["PGAPPNAME"])
        if let timeout = nonEmpty(parts.connectTimeout) ?? nonEmpty(environment["PGCONNECT_TIMEOUT"]) {
            guard let seconds = Int(timeout), seconds >= 0 else {
                throw EventLogError.storage(
                    "PostgreSQL URI \(Self.redacted(uri)): connect_timeout \(timeout) is not a number of seconds")
            }
            // libpq: 0 waits indefinitely, and anything below 2 counts as 2.
            connectTimeout = seconds == 0 ? nil : max(seconds, 2)
        } else {
            connectTimeout = nil
        }
        password = parts.password ?? environment["PGPASSWORD"]
        if password == nil {
            password = PasswordFile.lookup(
                path: Self.passwordFilePath(environment), host: host, port: port, database: database, user: user)
        }
    }

    /// The URI without its password, for messages (a socket directory's slashes percent-encoded, as a URI
    /// needs them).
    public var description: String {
        let shownHost = host.hasPrefix("/") ? host.replacingOccurrences(of: "/", with: "%2F") : host
        return "postgresql://\(user)@\(shownHost):\(port)/\(database)"
    }

    /// The password file libpq would read: PGPASSFILE, else `~/.pgpass`.
    static func passwordFilePath(_ environment: [String: String]) -> String? {
        if let path = environment["PGPASSFILE"], !path.isEmpty { return path }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return FileSystem.joined(home, ".pgpass")
    }

    /// The name of the user running the process, libpq's default user.
    private static func loginName(_ environment: [String: String]) -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? "postgres"
    }

    /// `uri` with any password replaced by `***`, for error messages.
    static func redacted(_ uri: String) -> String {
        guard let schemeEnd = uri.range(of: "://") else { return uri }
        let rest = uri[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return uri }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return uri }
        return String(uri[..<schemeEnd.upperBound]) + userInfo[..<colon] + ":***" + rest[at...]
    }
}

/// The pieces of a `postgresql://` URI, percent-decoded, before the environment fills in the rest.
private struct URIParts {
    var user: String?
    var password: String?
    var host: String?
    var port: String?
    var database: String?
    var sslMode: String?
    var applicationName: String?
    var connectTimeout: String?

    init(_ uri: String) throws {
        let shown = PostgresLocation.redacted(uri)
        func fail(_ problem: String) -> EventLogError {
            EventLogError.storage("PostgreSQL URI \(shown): \(problem)")
        }
        func decoded(_ text: Substring, _ part: String) throws -> String {
            guard let value = String(text).removingPercentEncoding else {
                throw fail("\(part) has a malformed percent-encoding")
            }
            return value
        }
        guard let schemeEnd = uri.range(of: "://"), PostgresLocation.isURI(uri) else {
            throw fail("it must start with postgresql:// or postgres://")
        }
        var rest = uri[schemeEnd.upperBound...]
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty { database = try decoded(path, "the database name") }
        }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try decoded(userInfo[..<colon], "the user name")
                password = try decoded(userInfo[userInfo.index(after: colon)...], "the password")
            } else {
                user = try decoded(userInfo, "the user name")
            }
        }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw fail("an IPv6 address lacks its ]") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                port = String(after.dropFirst())
            } else if !after.isEmpty {
                throw fail("unexpected \(after) after the IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = try decoded(authority[..<colon], "the host")
            port = String(authority[authority.index(after: colon)...])
        } else if !authority.isEmpty {
            host = try decoded(authority, "the host")
        }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            guard let equals = pair.firstIndex(of: "=") else { throw fail("query parameter \(pair) has no value") }
            let name = try decoded(pair[..<equals], "a query parameter")
            let value = try decoded(pair[pair.index(after: equals)...], "query parameter \(name)")
            switch name {
            case "sslmode": sslMode = value
            case "host": host = value
            case "port": port = value
            case "user": user = value
            case "password": password = value
            case "dbname": database = value
            case "application_name": applicationName = value
            case "connect_timeout": connectTimeout = value
            default: throw fail("unknown query parameter \(name)")
            }
        }
    }
}

/// libpq's password file: lines `host:port:database:user:password`, `*` matching anything, `\:` and `\\`
/// escaping, `#` starting a comment; the first matching line wins.
enum PasswordFile {
    /// The password for the connection, or `nil` when the file is absent, readable by others than its
    /// owner (libpq ignores it then, and so do we), or has no matching line.
    static func lookup(path: String?, host: String, port: Int, database: String, user: String) -> String? {
        guard let path else { return nil }
        guard let status = try? FileSystem.status(of: path), status.kind == .regularFile,
            status.permissions.isDisjoint(with: [.groupReadWriteExecute, .otherReadWriteExecute])
        else { return nil }
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return match(contents, host: host, port: port, database: database, user: user)
    }

    /// The password of the first line of `contents` that matches.
    static func match(_ contents: String, host: String, port: Int, database: String, user: String) -> String? {
        // A socket directory is matched as `localhost`, as libpq does for its default one.
        let hosts = host.hasPrefix("/") ? [host, "localhost"] : [host]
        for line in contents.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(line)
            guard fields.count == 5 else { continue }
            func matches(_ field: String, _ values: [String]) -> Bool { field == "*" || values.contains(field) }
            if matches(fields[0], hosts) && matches(fields[1], [String(port)]) && matches(fields[2], [database])
                && matches(fields[3], [user])
            {
                return fields[4]
            }
        }
        return nil
    }

    /// Splits a line at its unescaped colons, undoing the escapes; the fifth field takes the rest of the line.
    private static func split(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
