import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct ReportAttritionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attrition",
        abstract: "Membership per period: at start, joined, left, at end, rates, reasons, sectors, constant sample.",
        discussion: """
            Examples:
              chronicle report attrition --collaborative oldham
              chronicle report attrition --by-sector --as-of 2024-08-31 --known-at 2024-03-01
              chronicle report attrition --by academic-year --from 2022-09-01 --csv

            For a period [s, e): at start = members active on s − 1; joined and left =
            joins and leaves dated in [s, e); at end = members active on e − 1; so
            end = start + joined − left (a leave and re-join inside one period counts
            once in each, and the member is retained). Attrition = left ÷ (start +
            joined); retention = members active on both s − 1 and e − 1 ÷ start.
            --by-sector counts each member under their sector on the last day of the
            period on which they were active, so the identity holds per sector.
            Sectors: those with an active member on each period's last day, and those
            present on the day before the range and absent on its last day (lost).
            Constant sample: members active on at least one day of every period.
            A period that runs past --from, --to or D is cut there (marked *; "partial"
            in JSON and CSV). Who joined and who left in each period (date, sector, reason)
            is listed in JSON (joiners, leavers) and CSV (joined_members,
            left_members: entries "slug date sector [reason]" joined by ;), and in
            the table with --people; the constant sample's members always.
            """)

    @OptionGroup var options: ReportOptions
    @OptionGroup var periodOptions: PeriodOptions
    @OptionGroup var peopleOptions: PeopleOptions

    @Flag(name: .long, help: "Split the figures by each member's sector (on their last active day of the period).")
    var bySector = false

    func run() throws {
        let view = try options.loadView()
        let results = try options.collaboratives(in: view).map { collaborative in
            AttritionReport.compute(
                view: view, collaborative: collaborative,
                periods: try periodOptions.periods(for: collaborative, in: view), bySector: bySector)
        }
        switch options.format {
        case .json: printJSON(json(results, view: view))
        case .csv: writeToStandardOutput(csv(results, view: view))
        case .table: printLine(table(results, view: view))
        }
    }

    private func table(_ results: [AttritionResult], view: HistoryView) -> String {
        var sections = [view.provenanceLines]
        for result in results {
            var lines = ["", "\(result.collaborative): membership attrition"]
            lines.append(
                Sparkline.trendLine(
                    result.periods.map { Double($0.figures.atEnd) }, what: "members at the end of each period",
                    format: { String(Int($0)) }))
            var periods = Table(
                ["PERIOD", "FROM", "TO", "SECTOR", "START", "JOINED", "LEFT", "END", "ATTRITION", "RETENTION"],
                rightAligned: [4, 5, 6, 7, 8, 9])
            for period in result.periods {
                let rows = [("all", period.figures)] + period.sectors.map { ($0.sector.rawValue, $0.figures) }
                for (sector, figures) in rows {
                    periods.add(
                        ReportCells.period(period.period, partial: period.partial) + [
                            sector, String(figures.atStart), String(figures.joined), String(figures.left),
                            String(figures.atEnd), ReportCells.percent(figures.attritionRate),
                            ReportCells.percent(figures.retentionRate),
                        ])
                }
            }
            lines.append(periods.render())
            if result.periods.contains(where: \.partial) { lines.append(ReportCells.partialNote) }
            lines += ["", "leaving reasons:"]
            var reasons = Table(["PERIOD", "LEFT", "REASONS", "SECTORS LOST IN PERIOD"], rightAligned: [1])
            reasons.highlight(column: 3, TextStyle.flag)
            for period in result.periods {
                reasons.add([
                    period.period.label, String(period.figures.left), Self.reasons(period.figures.leavingReasons),
                    Self.names(period.coverage.lost),
                ])
            }
            lines.append(reasons.render())
            if let range = result.coverage {
                lines += ["", "sector coverage (active members on each day):", Self.coverage(range, result.periods)]
                lines.append(
                    "sectors lost over the range (present on \(range.before), absent on \(range.last)): "
                        + Self.names(range.lost))
            }
            let people = PeopleCells(view: view)
            if peopleOptions.people {
                lines += ["", "who joined and who left:"]
                var moves = Table(["PERIOD", "DATE", "MOVE", "MEMBER", "SECTOR", "REASON"])
                for period in result.periods {
                    for move in Self.chronological(period.joiners + period.leavers) {
                        moves.add([
                            period.period.label, move.day.description, move.reason == nil ? "joined" : "left",
                            people.label(move.member), move.sector.rawValue, move.reason?.rawValue ?? "",
                        ])
                    }
                }
                lines.append(
                    result.periods.contains { !$0.joiners.isEmpty || !$0.leavers.isEmpty } ? moves.render() : "(none)")
            }
            lines += [
                "",
                "constant sample (active in every period): \(result.constantSample.count) members"
                    + (result.constantSample.isEmpty
                        ? "" : ": " + people.labels(result.constantSample.map(\.member))),
            ]
            sections.append(lines.joined(separator: "\n"))
        }
        return sections.joined(separator: "\n")
    }

    private static func reasons(_ reasons: [LeaveReason: Int]) -> String {
        let text = LeaveReason.allCases.compactMap { reason in reasons[reason].map { "\(reason.rawValue) \($0)" } }
        return text.isEmpty ? "–" : text.joined(separator: ", ")
    }

    /// A sector × day matrix: the day before the range, then each period's last day.
    private static func coverage(_ range: SectorCoverage, _ periods: [AttritionPeriod]) -> String {
        let columns = [range.sectorsBefore] + periods.map(\.coverage.sectorsAtEnd)
        var table = Table(
            ["SECTOR", range.before.description] + periods.map(\.period.lastDay.description),
            rightAligned: Set(1...columns.count))
        let present = Set(columns.flatMap { $0.map(\.sector) })
        for sector in Sector.allCases where present.contains(sector) {
            table.add(
                [sector.rawValue]
                    + columns.map { column in column.first { $0.sector == sector }.map { String($0.members) } ?? "–" })
        }
        return present.isEmpty ? "(no members)" : table.render()
    }

    private static func names(_ sectors: [Sector]) -> String {
        sectors.isEmpty ? "–" : sectors.map(\.rawValue).joined(separator: ", ")
    }

    private func json(_ results: [AttritionResult], view: HistoryView) -> JSONValue {
        var document = view.provenanceJSON
        document["report"] = .string("attrition")
        document["bySector"] = .bool(bySector)
        document["collaboratives"] = .array(
            results.map { result in
                .object([
                    "collaborative": .string(result.collaborative.rawValue),
                    "periods": .array(
                        result.periods.map { period in
                            var object = ReportCells.periodJSON(period.period, partial: period.partial)
                                .merging(Self.figuresJSON(period.figures)) { $1 }
                            object["sectorsAtEnd"] = Self.presenceJSON(period.coverage.sectorsAtEnd)
                            object["sectorsLost"] = .array(period.coverage.lost.map { .string($0.rawValue) })
                            object["joiners"] = .array(period.joiners.map(Self.moveJSON))
                            object["leavers"] = .array(period.leavers.map(Self.moveJSON))
                            if bySector {
                                object["sectors"] = .array(
                                    period.sectors.map { sector in
                                        .object(
                                            Self.figuresJSON(sector.figures).merging([
                                                "sector": .string(sector.sector.rawValue)
                                            ]) { $1 })
                                    })
                            }
                            return .object(object)
                        }),
                    "range": result.coverage.map(Self.coverageJSON) ?? .null,
                    "constantSample": .array(
                        result.constantSample.map { member in
                            .object([
                                "member": .string(member.member.rawValue), "sector": .string(member.sector.rawValue),
                            ])
                        }),
                ])
            })
        return .object(document)
    }

    private static func figuresJSON(_ figures: AttritionFigures) -> [String: JSONValue] {
        [
            "atStart": .integer(Int64(figures.atStart)), "joined": .integer(Int64(figures.joined)),
            "left": .integer(Int64(figures.left)), "atEnd": .integer(Int64(figures.atEnd)),
            "retained": .integer(Int64(figures.retained)),
            "attritionRate": ReportCells.number(figures.attritionRate),
            "retentionRate": ReportCells.number(figures.retentionRate),
            "leavingReasons": .object(
                Dictionary(
                    uniqueKeysWithValues: LeaveReason.allCases.map { reason in
                        (reason.rawValue, JSONValue.integer(Int64(figures.leavingReasons[reason] ?? 0)))
                    })),
        ]
    }

    /// Joins and leaves by day, then member; on one day a member's leave before their re-join.
    private static func chronological(_ moves: [MembershipMove]) -> [MembershipMove] {
        moves.sorted { ($0.day, $0.member, $0.reason == nil ? 1 : 0) < ($1.day, $1.member, $1.reason == nil ? 1 : 0) }
    }

    private static func moveJSON(_ move: MembershipMove) -> JSONValue {
        var object: [String: JSONValue] = [
            "member": .string(move.member.rawValue), "date": .string(move.day.description),
            "sector": .string(move.sector.rawValue),
        ]
        if let reason = move.reason { object["reason"] = .string(reason.rawValue) }
        return .object(object)
    }

    /// `slug date sector [reason]`: one entry of a CSV list of moves.
    private static func moveCSV(_ move: MembershipMove) -> String {
        ([move.member.rawValue, move.day.description, move.sector.rawValue] + (move.reason.map { [$0.rawValue] } ?? []))
            .joined(separator: " ")
    }

    private static func presenceJSON(_ sectors: [SectorPresence]) -> JSONValue {
        .array(
            sectors.map { .object(["sector": .string($0.sector.rawValue), "members": .integer(Int64($0.members))]) })
    }

    private static func coverageJSON(_ coverage: SectorCoverage) -> JSONValue {
        .object([
            "dayBefore": .string(coverage.before.description), "lastDay": .string(coverage.last.description),
            "sectorsBefore": presenceJSON(coverage.sectorsBefore), "sectorsAtEnd": presenceJSON(coverage.sectorsAtEnd),
            "sectorsLost": .array(coverage.lost.map { .string($0.rawValue) }),
        ])
    }

    private func csv(_ results: [AttritionResult], view: HistoryView) -> String {
        let provenance = view.provenanceCSV
        let reasonHeaders = LeaveReason.allCases.map { "left_" + $0.rawValue.replacingOccurrences(of: "-", with: "_") }
        var writer = CSVWriter(
            headers: provenance.headers + ReportCells.periodCSVHeaders
                + ["sector", "at_start", "joined", "left", "at_end", "retained", "attrition_rate", "retention_rate"]
                + reasonHeaders + [
                    "sectors_at_end", "sectors_lost", "joined_members", "left_members", "constant_sample",
                ])
        for result in results {
            for period in result.periods {
                let rows = [("", period.figures)] + period.sectors.map { ($0.sector.rawValue, $0.figures) }
                for (sector, figures) in rows {
                    let counts = [figures.atStart, figures.joined, figures.left, figures.atEnd, figures.retained]
                    writer.addRow(
                        provenance.values + ReportCells.periodCSV(result.collaborative, period.period, period.partial)
                            + [sector] + counts.map(String.init)
                            + [
                                ReportCells.csvNumber(figures.attritionRate),
                                ReportCells.csvNumber(figures.retentionRate),
                            ]
                            + LeaveReason.allCases.map { String(figures.leavingReasons[$0] ?? 0) }
                            + [
                                sector.isEmpty
                                    ? PeopleCells.csvList(period.coverage.sectorsAtEnd.map(\.sector.rawValue)) : "",
                                sector.isEmpty ? PeopleCells.csvList(period.coverage.lost.map(\.rawValue)) : "",
                                sector.isEmpty ? PeopleCells.csvList(period.joiners.map(Self.moveCSV)) : "",
                                sector.isEmpty ? PeopleCells.csvList(period.leavers.map(Self.moveCSV)) : "",
                                sector.isEmpty
                                    ? PeopleCells.csvList(result.constantSample.map(\.member.rawValue)) : "",
                            ])
                }
            }
        }
        return writer.text
    }
}
