import ArgumentParser
import Collaboratives
import EventLog
import Foundation

/// Options every command that touches a store shares: where the store is. The commands that append also
/// take ``RecorderOptions`` (who is recording); the others refuse `--recorded-by` and `--by` as unknown
/// options rather than accepting a name they would never use.
struct StoreOptions: ParsableArguments {
    /// `--store`'s help, shared with ``RecordOptions``.
    static let storeHelp = ArgumentHelp(
        "The store: a directory, or a postgresql://[user@]host[:port]/db URI (default: $CHRONICLE_STORE, else $XDG_DATA_HOME/chronicle or ~/.local/share/chronicle).",
        valueName: "dir|uri")
    /// `--recorded-by`'s help, shared with ``RecordOptions``.
    static let recordedByHelp = ArgumentHelp(
        "Who is recording (default: $CHRONICLE_USER, else the login name).", valueName: "name")

    @Option(name: .long, help: storeHelp, completion: .directory)
    var store: String?

    @OptionGroup var terminalOptions: TerminalOptions

    /// The store these options name (no recorder: see ``RecorderOptions``).
    var selection: StoreSelection { StoreSelection(store: store, by: nil) }

    /// The store's location as given, resolved from `--store`, `CHRONICLE_STORE`, then the documented default.
    var storePath: String { selection.storePath }

    /// The store's location (see ``StoreLocation``).
    var location: StoreLocation { selection.location }

    /// Opens the store (creating it with `create`), with the clock from `CHRONICLE_NOW` and the command's
    /// resident `budget`.
    func openLog(create: Bool = false, budget: ResidentBudget = .standard) throws -> any EventStore {
        try selection.openLog(create: create, budget: budget)
    }

    /// Opens the store wrapped in the domain's rules, with the command's resident `budget`.
    func openChronicle(budget: ResidentBudget = .standard) throws -> Chronicle {
        try selection.openChronicle(budget: budget)
    }

    /// Opens the store wrapped in the domain's rules, for a command that appends (see ``ClockOptions``);
    /// `writeMap` for one whose write is one long append session (see ``StoreLocation/open(create:readOnly:allowsClockBehind:writeMap:)``).
    func openChronicleForAppending(_ clockOptions: ClockOptions, writeMap: Bool = false) throws -> Chronicle {
        try selection.openChronicleForAppending(allowingClockBehind: clockOptions.allowClockBehind, writeMap: writeMap)
    }
}

/// Who records the events a command appends: `--recorded-by` (with `--by`, its deprecated spelling), for the
/// commands that append (`import`, `import register`, `retract`, `correct`, `erase`; `record` declares the
/// options itself, see ``RecordOptions``).
///
/// On reports `--by` names the periods; one option meaning two things was a trap, so the recorder has its own
/// name and `--by` is accepted here only with a warning.
struct RecorderOptions: ParsableArguments {
    @Option(name: .customLong("recorded-by"), help: StoreOptions.recordedByHelp)
    var recordedBy: String?

    /// The old spelling of `--recorded-by`, hidden from the help.
    @Option(name: .customLong("by"), help: .hidden)
    var deprecatedBy: String?

    func validate() throws {
        try RecorderOptions.checked(recordedBy: recordedBy, deprecatedBy: deprecatedBy)
    }

    /// `--recorded-by` or `--by`, refusing both at once and one longer than a stored event allows; warns
    /// (stderr) that `--by` is deprecated.
    @discardableResult
    static func checked(recordedBy: String?, deprecatedBy: String?) throws -> String? {
        if recordedBy != nil && deprecatedBy != nil {
            throw ValidationError("--by is the deprecated spelling of --recorded-by: give only --recorded-by")
        }
        if deprecatedBy != nil { printDiagnostic(deprecationWarning) }
        let flag = deprecatedBy != nil ? "--by" : "--recorded-by"
        guard let name = recordedBy ?? deprecatedBy else { return nil }
        if name.unicodeScalars.count > InterchangeLine.maximumRecordedByLength {
            throw ValidationError("\(flag): at most \(InterchangeLine.maximumRecordedByLength) characters")
        }
        return name
    }

    /// What a command that appends says when the recorder is named with `--by`.
    static let deprecationWarning =
        "warning: --by is deprecated for the recorder; use --recorded-by (on reports --by names the periods)"

    /// The recorder of the events appended to `store` (see ``StoreSelection/checkedRecordedBy()``).
    func checkedRecordedBy(_ store: StoreSelection) throws -> String {
        var selection = store
        selection.by = recordedBy ?? deprecatedBy
        return try selection.checkedRecordedBy()
    }
}

/// What `--store` and `--recorded-by` select, whichever options type parsed them (``StoreOptions`` and
/// ``RecorderOptions``, or ``RecordOptions``, which declares the same options itself).
struct StoreSelection {
    /// `--store`, if given.
    var store: String?
    /// `--recorded-by` (or its deprecated spelling `--by`), if given.
    var by: String?

    /// The store's location, resolved from `--store`, `CHRONICLE_STORE`, then the documented default.
    var location: StoreLocation { StoreLocation.resolve(store: store) }

    /// The store's location as given (a directory or a URI); see ``location``.
    var storePath: String { location.text }

    /// Who is recording: `--recorded-by`, `CHRONICLE_USER`, then the login name.
    var recordedBy: String {
        if let by, !by.isEmpty { return by }
        if let user = ProcessEnvironment.value("CHRONICLE_USER"), !user.isEmpty { return user }
        if let login = getlogin().map({ String(cString: $0) }), !login.isEmpty { return login }
        return ProcessEnvironment.value("USER") ?? NSUserName()
    }

    /// Opens the store (creating it with `create`), with the clock from `CHRONICLE_NOW` and the command's
    /// resident `budget`.
    func openLog(create: Bool = false, budget: ResidentBudget = .standard) throws -> any EventStore {
        try location.open(create: create, budget: budget)
    }

    /// Opens the store wrapped in the domain's rules; `allowingClockBehind` lets appends go ahead with a clock
    /// far behind the log's last `recordedAt` (`--allow-clock-behind`); `budget` is the command's resident
    /// budget.
    func openChronicle(allowingClockBehind: Bool = false, writeMap: Bool = false, budget: ResidentBudget = .standard)
        throws -> Chronicle
    {
        let clock = try Clock.current()
        let log = try location.open(allowsClockBehind: allowingClockBehind, writeMap: writeMap, budget: budget)
        return Chronicle(log: log, today: Day.londonDay(of: clock.now()))
    }

    /// Opens the store for a command that appends (see ``ClockOptions``): warns first when `$CHRONICLE_NOW`
    /// is far ahead of the system clock.
    func openChronicleForAppending(allowingClockBehind: Bool, writeMap: Bool = false) throws -> Chronicle {
        Clock.warnWhenFarAhead()
        return try openChronicle(allowingClockBehind: allowingClockBehind, writeMap: writeMap)
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
