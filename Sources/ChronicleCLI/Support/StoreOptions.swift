import ArgumentParser
import Collaboratives
import EventLog
import Foundation

/// Options every command that touches a store shares: where the store is, who is recording, and what
/// time it is.
struct StoreOptions: ParsableArguments {
    /// `--store`'s help, shared with ``RecordOptions``.
    static let storeHelp = ArgumentHelp(
        "The store: a directory, or a postgresql://[user@]host[:port]/db URI (default: $CHRONICLE_STORE, else $XDG_DATA_HOME/chronicle or ~/.local/share/chronicle).",
        valueName: "dir|uri")
    /// `--by`'s help, shared with ``RecordOptions``.
    static let byHelp = ArgumentHelp(
        "Who is recording (default: $CHRONICLE_USER, else the login name).", valueName: "name")

    @Option(name: .long, help: storeHelp, completion: .directory)
    var store: String?

    @Option(name: .long, help: byHelp)
    var by: String?

    @OptionGroup var terminalOptions: TerminalOptions

    func validate() throws {
        try selection.validate()
    }

    /// The store and recorder these options name.
    var selection: StoreSelection { StoreSelection(store: store, by: by) }

    /// The store's location as given, resolved from `--store`, `CHRONICLE_STORE`, then the documented default.
    var storePath: String { selection.storePath }

    /// The store's location (see ``StoreLocation``).
    var location: StoreLocation { selection.location }

    /// Who is recording: `--by`, `CHRONICLE_USER`, then the login name.
    var recordedBy: String { selection.recordedBy }

    /// Opens the store (creating it with `create`), with the clock from `CHRONICLE_NOW`.
    func openLog(create: Bool = false) throws -> any EventStore {
        try selection.openLog(create: create)
    }

    /// Opens the store wrapped in the domain's rules.
    func openChronicle() throws -> Chronicle {
        try selection.openChronicle()
    }

    /// Opens the store wrapped in the domain's rules, for a command that appends (see ``ClockOptions``).
    func openChronicleForAppending(_ clockOptions: ClockOptions) throws -> Chronicle {
        try selection.openChronicleForAppending(allowingClockBehind: clockOptions.allowClockBehind)
    }
}

/// What `--store` and `--by` select, whichever options type parsed them (``StoreOptions``, or
/// ``RecordOptions``, which declares the same options itself).
struct StoreSelection {
    /// `--store`, if given.
    var store: String?
    /// `--by`, if given.
    var by: String?

    /// Refuses a `--by` longer than a stored event allows.
    func validate() throws {
        if let by, by.unicodeScalars.count > InterchangeLine.maximumRecordedByLength {
            throw ValidationError("--by: at most \(InterchangeLine.maximumRecordedByLength) characters")
        }
    }

    /// The store's location, resolved from `--store`, `CHRONICLE_STORE`, then the documented default.
    var location: StoreLocation { StoreLocation.resolve(store: store) }

    /// The store's location as given (a directory or a URI); see ``location``.
    var storePath: String { location.text }

    /// Who is recording: `--by`, `CHRONICLE_USER`, then the login name.
    var recordedBy: String {
        if let by, !by.isEmpty { return by }
        if let user = ProcessEnvironment.value("CHRONICLE_USER"), !user.isEmpty { return user }
        if let login = getlogin().map({ String(cString: $0) }), !login.isEmpty { return login }
        return ProcessEnvironment.value("USER") ?? NSUserName()
    }

    /// Opens the store (creating it with `create`), with the clock from `CHRONICLE_NOW`.
    func openLog(create: Bool = false) throws -> any EventStore {
        try location.open(create: create)
    }

    /// Opens the store wrapped in the domain's rules; `allowingClockBehind` lets appends go ahead with a clock
    /// far behind the log's last `recordedAt` (`--allow-clock-behind`).
    func openChronicle(allowingClockBehind: Bool = false) throws -> Chronicle {
        let clock = try Clock.current()
        let log = try location.open(allowsClockBehind: allowingClockBehind)
        return Chronicle(log: log, today: Day.londonDay(of: clock.now()))
    }

    /// Opens the store for a command that appends (see ``ClockOptions``): warns first when `$CHRONICLE_NOW`
    /// is far ahead of the system clock.
    func openChronicleForAppending(allowingClockBehind: Bool) throws -> Chronicle {
        Clock.warnWhenFarAhead()
        return try openChronicle(allowingClockBehind: allowingClockBehind)
    }
}

/// `--allow-clock-behind`, for the commands that append (`import`, `import register`, `retract`, `correct`,
/// `erase`; `record` declares it itself, see ``RecordOptions``).
struct ClockOptions: ParsableArguments {
    /// The flag's help, shared with ``RecordOptions``.
    static let allowClockBehindHelp = ArgumentHelp(
        "Record even when the clock reads more than 5 minutes before the log's last recordedAt (the events are then recorded at that recordedAt)."
    )

    @Flag(name: .long, help: allowClockBehindHelp) var allowClockBehind = false
}

/// The clock: `CHRONICLE_NOW` (RFC 3339) when set, so that tests and demos are reproducible; else the system's.
enum Clock {
    static func current() throws -> any TransactionClock {
        guard let text = ProcessEnvironment.value("CHRONICLE_NOW"), !text.isEmpty else {
            return SystemClock()
        }
        guard let instant = Timestamp(rfc3339: text) else {
            throw CLIError.usage(
                "CHRONICLE_NOW: \(text.debugDescription) is not an RFC 3339 timestamp (e.g. 2024-05-01T12:00:00Z)")
        }
        return FixedClock(instant)
    }

    /// `CHRONICLE_NOW`'s clock when it is set, else nil (a PostgreSQL store then uses the database's clock).
    static func pinned() throws -> FixedClock? {
        try current() as? FixedClock
    }

    /// How far ahead of the system clock `$CHRONICLE_NOW` may be before an append warns: a day, in microseconds.
    static let aheadWarningThreshold: Int64 = 86_400 * 1_000_000

    /// Warns on stderr when `$CHRONICLE_NOW` is more than ``aheadWarningThreshold`` ahead of the system clock:
    /// what is recorded now would make every later append with a true clock be refused (`recordedAt` never
    /// decreases). A system clock that is itself ahead cannot be seen from here; the refusal of the next append
    /// with a true clock is what shows it.
    static func warnWhenFarAhead() {
        guard let text = ProcessEnvironment.value("CHRONICLE_NOW"), let instant = Timestamp(rfc3339: text) else {
            return
        }
        let system = SystemClock().now()
        let (ahead, overflow) = instant.microsecondsSinceEpoch.subtractingReportingOverflow(
            system.microsecondsSinceEpoch)
        guard !overflow, ahead > aheadWarningThreshold else { return }
        printDiagnostic(
            "warning: $CHRONICLE_NOW (\(instant)) is more than a day ahead of the system clock (\(system)); "
                + "later appends with a clock behind it will be refused")
    }
}

/// The process's environment variables, read one at a time.
///
/// `ProcessInfo.processInfo.environment` copies every variable into a new dictionary on each use; a
/// command reads only a few, and `record` runs in a few milliseconds, so it asks `getenv` for each.
enum ProcessEnvironment {
    /// The value of the variable `name`, or nil when it is not set.
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
