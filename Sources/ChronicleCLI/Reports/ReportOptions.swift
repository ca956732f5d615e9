import ArgumentParser
import Collaboratives
import EventLog
import Foundation

/// The two dates every query takes, the collaborative filter and the output format.
struct ReportOptions: ParsableArguments {
    @OptionGroup var storeOptions: ReportStoreOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "D, valid time: the state as it was on this day (default: today, Europe/London).", valueName: "date"))
    var asOf: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "K, transaction time: only what had been recorded by then (RFC 3339 instant, or a date meaning the end of that UTC day; default: everything in the log, stated as the later of now and the last recordedAt).",
            valueName: "time"))
    var knownAt: String?

    @Option(
        name: .long, help: ArgumentHelp("Only this collaborative.", valueName: "slug"), completion: .collaborativeSlugs)
    var collaborative: String?

    @Flag(name: .long, help: "Print JSON.") var json = false
    @Flag(name: .long, help: "Print CSV (RFC 4180).") var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv cannot be used together") }
    }

    /// D, parsed (today in Europe/London by default).
    func asOfDay(today: Day) throws -> Day {
        guard let asOf else { return today }
        guard let day = Day(parsing: asOf) else {
            throw CLIError.usage("--as-of: \(asOf.debugDescription) is not a date (YYYY-MM-DD)")
        }
        return try day.accepted(for: "--as-of")
    }

    /// K, parsed (a date means the last microsecond of that UTC day); by default everything in `chronicle`'s
    /// log (see ``KnownAt/everything(in:now:)``).
    func knownAtInstant(in chronicle: Chronicle, now: Timestamp) throws -> Timestamp {
        guard let knownAt else { return try KnownAt.everything(in: chronicle, now: now) }
        return try KnownAt.parse(knownAt, flag: "known-at")
    }

    /// The collaborative filter, checked against the view (with a "did you mean" for near misses).
    func collaborativeFilter(in view: HistoryView) throws -> Slug? {
        guard let collaborative else { return nil }
        guard let slug = Slug(collaborative) else {
            throw CLIError.usage("--collaborative: \(collaborative.debugDescription) is not a slug")
        }
        guard view.timeline.formationDay(ofCollaborative: slug) != nil else {
            throw CLIError.unknownSlug(
                slug, flag: "--collaborative", kind: "collaborative", known: view.timeline.collaborativeSlugs)
        }
        return slug
    }

    /// The collaboratives to report on: the one asked for, or every one formed by D.
    func collaboratives(in view: HistoryView) throws -> [Slug] {
        if let slug = try collaborativeFilter(in: view) { return [slug] }
        return view.collaboratives
    }

    /// Opens the store and loads the view at (D, K): with `--collaborative`, only the events that concern
    /// it (through the tag index, so the cost follows that collaborative, not the log); the whole view when
    /// the slug names no collaborative, so that the error can suggest the nearest one.
    func loadView() throws -> HistoryView {
        let clock = try Clock.current()
        let now = clock.now()
        let chronicle = try storeOptions.openChronicle(budget: residentBudget)
        let asOf = try asOfDay(today: chronicle.today)
        let knownAt = try knownAtInstant(in: chronicle, now: now)
        if let slug = collaborative.flatMap({ Slug($0) }) {
            let view = try HistoryView.load(from: chronicle.reader, asOf: asOf, knownAt: knownAt, collaborative: slug)
            if view.timeline.formationDay(ofCollaborative: slug) != nil { return view }
        }
        return try HistoryView.load(from: chronicle.reader, asOf: asOf, knownAt: knownAt)
    }

    /// The resident budget the store is opened with: the default, for one collaborative too (read through
    /// the tag index, its events fault few pages; a larger budget saved none, see ``ResidentBudget``).
    var residentBudget: ResidentBudget { .standard }

    /// The output format asked for.
    var format: OutputFormat { json ? .json : (csv ? .csv : .table) }
}

/// Transaction time (K) as the queries take it.
enum KnownAt {
    /// The default K: every event in the log. It is the later of `now` and the log's last `recordedAt`: a
    /// clock behind an event recorded "in the future" (by a clock set ahead) must not hide it, and with a
    /// clock ahead of the log the output states the moment of the query, as it always has.
    static func everything(in chronicle: Chronicle, now: Timestamp) throws -> Timestamp {
        guard let last = try chronicle.log.head().recordedAt else { return now }
        return max(now, last)
    }

    /// An RFC 3339 instant, or a date meaning the last microsecond of that UTC day; `flag` names the option
    /// in the error.
    static func parse(_ text: String, flag: String) throws -> Timestamp {
        if let instant = Timestamp(rfc3339: text) { return try instant.accepted(for: "--\(flag)") }
        if let day = try Day(parsing: text)?.accepted(for: "--\(flag)") {
            return Timestamp(microsecondsSinceEpoch: (Int64(day.daysSinceEpoch) + 1) * 86_400_000_000 - 1)
        }
        throw CLIError.usage("--\(flag): \(text.debugDescription) is neither an RFC 3339 instant nor a date")
    }
}

/// Where the store is, for the reports: `--store` without the recording commands' `--by`, which
/// names the periods in `PeriodOptions` (two options named `--by` in one command is a parser error).
struct ReportStoreOptions: ParsableArguments {
    @Option(name: .long, help: StoreOptions.storeHelp, completion: .directory)
    var store: String?

    @OptionGroup var terminalOptions: TerminalOptions

    /// The store, resolved the same way as for the recording commands.
    private var selection: StoreSelection { StoreSelection(store: store, by: nil) }

    /// Opens the store wrapped in the domain's rules, with the query's resident `budget`
    /// (``ReportOptions/residentBudget``).
    func openChronicle(budget: ResidentBudget) throws -> Chronicle { try selection.openChronicle(budget: budget) }
}

/// Table, JSON or CSV.
enum OutputFormat {
    case table, json, csv
}

/// Cuts the reporting range into periods.
struct PeriodOptions: ParsableArguments {
    @Option(
        name: .customLong("by"),
        help: ArgumentHelp("Periods: programme-year (default), academic-year, term or month.", valueName: "period"))
    var by: String = PeriodScheme.programmeYear.rawValue

    /// The scheme named by `--by`.
    var scheme: PeriodScheme {
        get throws {
            guard let scheme = PeriodScheme(rawValue: by) else {
                throw CLIError.usage(
                    "--by: \(by.debugDescription) is not a period (programme-year, academic-year, term, month)")
            }
            return scheme
        }
    }

    @Option(
        name: .long,
        help: ArgumentHelp("First day of the range (default: the collaborative's programme start).", valueName: "date"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Last day of the range (default: D).", valueName: "date")) var to: String?

    /// The periods of one collaborative's range, clamped to D; the first and last are cut at an explicit
    /// `--from` and `--to` (and so marked partial), so that no event outside the range asked for is counted.
    func periods(for collaborative: Slug, in view: HistoryView) throws -> [Period] {
        let programmeStart = view.programmeStart(of: collaborative) ?? view.asOf
        let first = try from.map { try parse($0, "from") } ?? programmeStart
        let last = min(try to.map { try parse($0, "to") } ?? view.asOf, view.asOf)
        let whole = try scheme.periods(from: first, through: last, programmeStart: programmeStart)
        // Without --from the range starts where the first period does (the default range is the
        // programme's, reported in whole periods); D is cut later, by the reports themselves.
        let cutStart = from == nil ? whole.first?.start ?? first : first
        let cutEnd = to == nil ? whole.last?.lastDay ?? last : last
        return whole.compactMap { $0.cut(from: cutStart, through: cutEnd) }
    }

    private func parse(_ text: String, _ flag: String) throws -> Day {
        guard let day = Day(parsing: text) else {
            throw CLIError.usage("--\(flag): \(text.debugDescription) is not a date (YYYY-MM-DD)")
        }
        return try day.accepted(for: "--\(flag)")
    }
}

extension HistoryView {
    /// The provenance every report states: D, K, and the last event seen.
    var provenanceLines: String {
        "as of \(asOf) (valid time); known at \(knownAt) (transaction time)\n"
            + "last seq \(lastSeq), hash \(lastHash)"
    }

    /// The provenance as JSON fields.
    var provenanceJSON: [String: JSONValue] {
        [
            "asOf": .string(asOf.description), "knownAt": .string(knownAt.description),
            "lastSeq": .integer(Int64(clamping: lastSeq)), "lastHash": .string(lastHash.description),
        ]
    }

    /// The provenance as CSV columns (headers and values), added to every row.
    var provenanceCSV: (headers: [String], values: [String]) {
        (
            ["as_of", "known_at", "last_seq", "last_hash"],
            [asOf.description, knownAt.description, String(lastSeq), lastHash.description]
        )
    }
}
