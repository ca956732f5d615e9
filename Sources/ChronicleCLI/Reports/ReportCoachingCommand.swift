import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct ReportCoachingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coaching",
        abstract: "Coaching per sub-group and collaborative per period, and sub-groups with no session.",
        discussion: """
            Examples:
              chronicle report coaching --collaborative oldham --by term
              chronicle report coaching --by academic-year --as-of 2024-08-31 --json

            Per period, for the collaborative and each of its sub-groups: sessions by
            kind, sessions nobody attended, minutes (of the sessions that recorded
            them), attendances and distinct attendees; then the sub-groups existing in
            the period (formed by its last day, not closed throughout it) that had no
            session. Sessions that name no sub-group count for the collaborative only
            ("no sub-group"). A period that runs past --from, --to or D is cut there
            (marked *; "partial" in JSON and CSV). The distinct attendees are listed in JSON
            and CSV (attendees), and in the table with --people.
            """)

    @OptionGroup var options: ReportOptions
    @OptionGroup var periodOptions: PeriodOptions
    @OptionGroup var peopleOptions: PeopleOptions

    func run() throws {
        let view = try options.loadView()
        let results = try options.collaboratives(in: view).map { collaborative in
            CoachingReport.compute(
                view: view, collaborative: collaborative,
                periods: try periodOptions.periods(for: collaborative, in: view))
        }
        switch options.format {
        case .json: printJSON(json(results, view: view))
        case .csv: writeToStandardOutput(csv(results, view: view))
        case .table: printLine(table(results, view: view))
        }
    }

    /// Each period's rows: the collaborative, each sub-group, and the sessions with no sub-group.
    private static func rows(_ period: CoachingPeriod) -> [(scope: String, subgroup: Slug?, figures: CoachingFigures)] {
        [("collaborative", nil, period.total)] + period.subgroups.map { ("subgroup", $0.subgroup, $0.figures) }
            + (period.withoutSubgroup.sessions > 0 ? [("no-subgroup", nil, period.withoutSubgroup)] : [])
    }

    private func table(_ results: [CoachingResult], view: HistoryView) -> String {
        var sections = [view.provenanceLines]
        for result in results {
            var lines = ["", "\(result.collaborative): coaching"]
            var table = Table(
                [
                    "PERIOD", "FROM", "TO", "FOR", "SESSIONS", "NOBODY CAME", "MINUTES", "ATTENDANCES", "ATTENDEES",
                    "BY KIND",
                ], rightAligned: [4, 5, 6, 7, 8])
            for period in result.periods {
                for row in Self.rows(period) {
                    let name =
                        row.subgroup?.rawValue ?? (row.scope == "collaborative" ? "(all)" : "(no sub-group)")
                    let figures = row.figures
                    table.add(
                        ReportCells.period(period.period, partial: period.partial) + [
                            name, String(figures.sessions), String(figures.sessionsUnattended),
                            String(figures.minutes), String(figures.attendances), String(figures.distinctAttendees),
                            Self.kinds(figures.sessionsByKind),
                        ])
                }
            }
            lines.append(table.render())
            if result.periods.contains(where: \.partial) { lines.append(ReportCells.partialNote) }
            lines += ["", "sub-groups with no session:"]
            var without = Table(["PERIOD", "SUB-GROUPS"])
            for period in result.periods {
                without.add([
                    period.period.label,
                    period.subgroupsWithoutSession.isEmpty
                        ? "–" : period.subgroupsWithoutSession.map(\.rawValue).joined(separator: ", "),
                ])
            }
            lines.append(without.render())
            if peopleOptions.people { lines += attendeeLines(result, view: view) }
            sections.append(lines.joined(separator: "\n"))
        }
        return sections.joined(separator: "\n")
    }

    /// Who attended, per period and row, with names where known.
    private func attendeeLines(_ result: CoachingResult, view: HistoryView) -> [String] {
        let people = PeopleCells(view: view)
        var table = Table(["PERIOD", "FOR", "DISTINCT ATTENDEES"])
        for period in result.periods {
            for row in Self.rows(period) where row.scope == "collaborative" || row.figures.sessions > 0 {
                let name = row.subgroup?.rawValue ?? (row.scope == "collaborative" ? "(all)" : "(no sub-group)")
                table.add([period.period.label, name, people.labels(row.figures.attendees)])
            }
        }
        return ["", "who attended:", table.render()]
    }

    private static func kinds(_ kinds: [CoachingKind: Int]) -> String {
        let text = CoachingKind.allCases.compactMap { kind in kinds[kind].map { "\(kind.rawValue) \($0)" } }
        return text.isEmpty ? "–" : text.joined(separator: ", ")
    }

    private static func figuresJSON(_ figures: CoachingFigures) -> [String: JSONValue] {
        [
            "sessions": .integer(Int64(figures.sessions)),
            "sessionsByKind": .object(
                Dictionary(
                    uniqueKeysWithValues: CoachingKind.allCases.map { kind in
                        (kind.rawValue, JSONValue.integer(Int64(figures.sessionsByKind[kind] ?? 0)))
                    })),
            "sessionsUnattended": .integer(Int64(figures.sessionsUnattended)),
            "minutes": .integer(Int64(figures.minutes)),
            "sessionsWithoutMinutes": .integer(Int64(figures.sessionsWithoutMinutes)),
            "attendances": .integer(Int64(figures.attendances)),
            "distinctAttendees": .integer(Int64(figures.distinctAttendees)),
            "attendees": PeopleCells.slugsJSON(figures.attendees),
        ]
    }

    private func json(_ results: [CoachingResult], view: HistoryView) -> JSONValue {
        var document = view.provenanceJSON
        document["report"] = .string("coaching")
        document["collaboratives"] = .array(
            results.map { result in
                .object([
                    "collaborative": .string(result.collaborative.rawValue),
                    "periods": .array(
                        result.periods.map { period in
                            var object = ReportCells.periodJSON(period.period, partial: period.partial)
                            object["total"] = .object(Self.figuresJSON(period.total))
                            object["withoutSubgroup"] = .object(Self.figuresJSON(period.withoutSubgroup))
                            object["subgroups"] = .array(
                                period.subgroups.map { row in
                                    .object(
                                        Self.figuresJSON(row.figures).merging([
                                            "subgroup": .string(row.subgroup.rawValue)
                                        ]) { $1 })
                                })
                            object["subgroupsWithoutSession"] = .array(
                                period.subgroupsWithoutSession.map { .string($0.rawValue) })
                            return .object(object)
                        }),
                ])
            })
        return .object(document)
    }

    private func csv(_ results: [CoachingResult], view: HistoryView) -> String {
        let provenance = view.provenanceCSV
        let kindHeaders = CoachingKind.allCases.map {
            "sessions_" + $0.rawValue.replacingOccurrences(of: "-", with: "_")
        }
        var writer = CSVWriter(
            headers: provenance.headers + ReportCells.periodCSVHeaders + ["scope", "subgroup", "sessions"]
                + kindHeaders + [
                    "sessions_unattended", "minutes", "sessions_without_minutes", "attendances", "distinct_attendees",
                    "attendees",
                ])
        for result in results {
            for period in result.periods {
                for row in Self.rows(period) {
                    let figures = row.figures
                    writer.addRow(
                        provenance.values + ReportCells.periodCSV(result.collaborative, period.period, period.partial)
                            + [row.scope, row.subgroup?.rawValue ?? "", String(figures.sessions)]
                            + CoachingKind.allCases.map { String(figures.sessionsByKind[$0] ?? 0) }
                            + [
                                figures.sessionsUnattended, figures.minutes, figures.sessionsWithoutMinutes,
                                figures.attendances, figures.distinctAttendees,
                            ].map(String.init) + [PeopleCells.csvList(figures.attendees.map(\.rawValue))])
                }
            }
        }
        return writer.text
    }
}
