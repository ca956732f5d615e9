import Collaboratives
import Foundation

/// How the attendance, attrition and coaching reports write periods, rates and nulls.
enum ReportCells {
    /// The footnote of a table with a period cut at D.
    static let partialNote = "* partial: the period is cut at --from, --to or D; figures for its days shown"

    /// A rate in percent with one decimal, halves rounded away from zero (`56.3%` for 9/16), or `–`.
    static func percent(_ rate: Double?) -> String {
        rate.map { String(format: "%.1f%%", oneDecimal($0 * 100)) } ?? "–"
    }

    /// A change in percentage points with its sign (`-12.4 pp`), or `–`.
    static func points(_ change: Double?) -> String {
        change.map { String(format: "%+.1f pp", oneDecimal($0)) } ?? "–"
    }

    /// `value` rounded to one decimal the way people round (printf rounds exact halves to even).
    private static func oneDecimal(_ value: Double) -> Double {
        (value * 10).rounded(.toNearestOrAwayFromZero) / 10
    }

    /// The cells PERIOD, FROM, TO; the last day is starred when the period is cut at D.
    static func period(_ period: Period, partial: Bool) -> [String] {
        [period.label, period.start.description, period.lastDay.description + (partial ? "*" : "")]
    }

    /// `label`, `firstDay`, `lastDay` (both inclusive) and `partial`.
    static func periodJSON(_ period: Period, partial: Bool) -> [String: JSONValue] {
        [
            "label": .string(period.label), "firstDay": .string(period.start.description),
            "lastDay": .string(period.lastDay.description), "partial": .bool(partial),
        ]
    }

    /// A rate or change as JSON, ``exact(_:)``, or JSON null.
    static func number(_ value: Double?) -> JSONValue {
        value.map { .number(exact($0)) } ?? .null
    }

    /// `value` rounded to six decimal places, halves away from zero, so that it is written in the shortest
    /// form that reads back as it: 17/25 is `0.68` (not `0.6799999999999999`), 2/3 is `0.666667`. The one
    /// rule for every rate and change in the reports' JSON and CSV (README, Definitions).
    static func exact(_ value: Double) -> Double {
        guard value.isFinite else { return value }
        return (value * 1_000_000).rounded(.toNearestOrAwayFromZero) / 1_000_000
    }

    /// The CSV columns naming a collaborative's period.
    static let periodCSVHeaders = ["collaborative", "period", "first_day", "last_day", "partial"]

    /// The values of ``periodCSVHeaders``.
    static func periodCSV(_ collaborative: Slug, _ period: Period, _ partial: Bool) -> [String] {
        [collaborative.rawValue, period.label, period.start.description, period.lastDay.description, String(partial)]
    }

    /// A number for CSV, or an empty field for no value.
    static func csvNumber(_ value: Double?) -> String {
        value.map { String(exact($0)) } ?? ""
    }
}
