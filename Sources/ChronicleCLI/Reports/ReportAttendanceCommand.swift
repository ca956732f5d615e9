import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct ReportAttendanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance",
        abstract: "Workshop attendance per period: rates, the trend, by sector, and members who stopped coming.",
        discussion: """
            Examples:
              chronicle report attendance --collaborative oldham
              chronicle report attendance --by academic-year --by-sector --as-of 2024-08-31
              chronicle report attendance --lapsing-after 3 --known-at 2024-03-01 --json

            Attendance of a workshop for a collaborative = attendees who were active
            members of it that day ÷ members active that day. A cross-locality workshop
            counts once for each collaborative; with nobody active there is no rate (–).
            Per period: workshops, attendances (attendees who were active members) and
            the mean rate, unweighted over the workshops with a rate; then the change
            from the first to the last period, in percentage points. --by-sector counts
            each member under their sector on the workshop's day. Lapsing members:
            active on D, with at least N workshops held while they were active, and
            absent from each of the last N of them. A period that runs past --from,
            --to or D is cut there (marked *; "partial" in JSON and CSV). The people: per
            workshop the attendees counted and the active members absent, and the
            workshops each lapsing member missed, in JSON always, in CSV on each
            period's row (attendees_by_workshop, absent_by_workshop: entries
            "workshop date slug…" joined by ;; lapsing_members on the last period's
            row: entries "slug missed-workshop…"), and in the table with --people.
            """)

    @OptionGroup var options: ReportOptions
    @OptionGroup var periodOptions: PeriodOptions
    @OptionGroup var peopleOptions: PeopleOptions

    @Flag(name: .long, help: "Split the figures by each member's sector on the workshop's day.")
    var bySector = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Lapsing members: absent from each of the last N workshops held while active.",
            valueName: "n"))
    var lapsingAfter = 2

    func validate() throws {
        guard lapsingAfter >= 1 else { throw ValidationError("--lapsing-after must be at least 1") }
    }

    func run() throws {
        let view = try options.loadView()
        let results = try options.collaboratives(in: view).map { collaborative in
            AttendanceReport.compute(
                view: view, collaborative: collaborative,
                periods: try periodOptions.periods(for: collaborative, in: view), bySector: bySector,
                lapsingThreshold: lapsingAfter)
        }
        switch options.format {
        case .json: printJSON(json(results, view: view))
        case .csv: writeToStandardOutput(csv(results, view: view))
        case .table: printLine(table(results, view: view))
        }
    }

    private func table(_ results: [AttendanceResult], view: HistoryView) -> String {
        var sections = [view.provenanceLines]
        for result in results {
            var lines = ["", "\(result.collaborative): workshop attendance"]
            lines.append(
                Sparkline.trendLine(
                    result.periods.map(\.figures.meanRate), what: "mean rate per period", format: ReportCells.percent))
            var periods = Table(
                ["PERIOD", "FROM", "TO", "WORKSHOPS", "ATTENDANCES", "MEAN RATE"], rightAligned: [3, 4, 5])
            for period in result.periods {
                periods.add(
                    ReportCells.period(period.period, partial: period.partial) + [
                        String(period.figures.workshops), String(period.figures.attendances),
                        ReportCells.percent(period.figures.meanRate),
                    ])
            }
            lines.append(periods.render())
            if result.periods.contains(where: \.partial) { lines.append(ReportCells.partialNote) }
            if let first = result.periods.first, let last = result.periods.last, result.periods.count > 1 {
                let missing = [first, last].filter { $0.figures.meanRate == nil }.map(\.period.label)
                lines.append(
                    "change from \(first.period.label) to \(last.period.label): "
                        + ReportCells.points(result.changeInPercentagePoints)
                        + (missing.isEmpty ? "" : " (no rate in \(missing.joined(separator: " and ")))"))
            }
            if bySector { lines += sectorLines(result) }
            lines += ["", "workshops:"]
            var workshops = Table(
                ["DATE", "WORKSHOP", "KIND", "ATTENDEES", "MEMBERS", "RATE"], rightAligned: [3, 4, 5])
            for workshop in result.workshops {
                workshops.add([
                    workshop.day.description, workshop.workshop.rawValue, workshop.kind.rawValue,
                    String(workshop.figures.attendees), String(workshop.figures.members),
                    ReportCells.percent(workshop.figures.rate),
                ])
            }
            lines.append(result.workshops.isEmpty ? "(none)" : workshops.render())
            lines += [
                "",
                "lapsing members (active on \(view.asOf), absent from each of the last \(result.lapsingThreshold) "
                    + "workshops held while active):",
            ]
            let people = PeopleCells(view: view)
            var lapsing = Table([
                "MEMBER", "SECTOR", "WORKSHOPS WHILE ACTIVE", "MISSED IN A ROW", "LAST ATTENDED", "MISSED",
            ])
            for member in result.lapsingMembers {
                lapsing.add([
                    people.label(member.member), member.sector.rawValue, String(member.workshopsWhileActive),
                    String(member.consecutiveAbsences), member.lastAttended?.description ?? "never",
                    member.missed.map(\.workshop.rawValue).joined(separator: ", "),
                ])
            }
            lines.append(result.lapsingMembers.isEmpty ? "(none)" : lapsing.render())
            if peopleOptions.people {
                lines += ["", "who came and who did not (active members absent):"]
                var attendance = Table(["DATE", "WORKSHOP", "ATTENDEES COUNTED", "ABSENT"])
                for workshop in result.workshops {
                    attendance.add([
                        workshop.day.description, workshop.workshop.rawValue, people.labels(workshop.countedAttendees),
                        people.labels(workshop.absentMembers),
                    ])
                }
                lines.append(result.workshops.isEmpty ? "(none)" : attendance.render())
            }
            sections.append(lines.joined(separator: "\n"))
        }
        return sections.joined(separator: "\n")
    }

    private func sectorLines(_ result: AttendanceResult) -> [String] {
        var sectors = Table(
            ["PERIOD", "SECTOR", "WORKSHOPS WITH MEMBERS", "ATTENDANCES", "MEAN RATE"], rightAligned: [2, 3, 4])
        for period in result.periods {
            for sector in period.sectors {
                sectors.add([
                    period.period.label, sector.sector.rawValue, String(sector.figures.workshopsWithRate),
                    String(sector.figures.attendances), ReportCells.percent(sector.figures.meanRate),
                ])
            }
        }
        var lines = ["", "by sector (each member's sector on the workshop's day):", sectors.render()]
        if !result.sectorChanges.isEmpty {
            var changes = Table(["SECTOR", "CHANGE FIRST TO LAST"], rightAligned: [1])
            for change in result.sectorChanges {
                changes.add([change.sector.rawValue, ReportCells.points(change.changeInPercentagePoints)])
            }
            lines += ["", changes.render()]
        }
        return lines
    }

    private func json(_ results: [AttendanceResult], view: HistoryView) -> JSONValue {
        var document = view.provenanceJSON
        document["report"] = .string("attendance")
        document["bySector"] = .bool(bySector)
        document["lapsingAfter"] = .integer(Int64(lapsingAfter))
        document["collaboratives"] = .array(
            results.map { result in
                .object([
                    "collaborative": .string(result.collaborative.rawValue),
                    "periods": .array(
                        result.periods.map { period in
                            var object = ReportCells.periodJSON(period.period, partial: period.partial)
                                .merging(figuresJSON(period.figures)) { $1 }
                            if bySector {
                                object["sectors"] = .array(
                                    period.sectors.map { sector in
                                        .object(
                                            figuresJSON(sector.figures).merging([
                                                "sector": .string(sector.sector.rawValue)
                                            ]) { $1 })
                                    })
                            }
                            return .object(object)
                        }),
                    "changePercentagePoints": ReportCells.number(result.changeInPercentagePoints),
                    "sectorChanges": .array(
                        result.sectorChanges.map { change in
                            .object([
                                "sector": .string(change.sector.rawValue),
                                "changePercentagePoints": ReportCells.number(change.changeInPercentagePoints),
                            ])
                        }),
                    "workshops": .array(result.workshops.map(workshopJSON)),
                    "lapsingMembers": .array(
                        result.lapsingMembers.map { member in
                            .object([
                                "member": .string(member.member.rawValue), "sector": .string(member.sector.rawValue),
                                "workshopsWhileActive": .integer(Int64(member.workshopsWhileActive)),
                                "consecutiveAbsences": .integer(Int64(member.consecutiveAbsences)),
                                "lastAttended": member.lastAttended.map { .string($0.description) } ?? .null,
                                "missed": .array(
                                    member.missed.map { missed in
                                        .object([
                                            "workshop": .string(missed.workshop.rawValue),
                                            "date": .string(missed.day.description),
                                        ])
                                    }),
                            ])
                        }),
                ])
            })
        return .object(document)
    }

    private func figuresJSON(_ figures: AttendanceFigures) -> [String: JSONValue] {
        [
            "workshops": .integer(Int64(figures.workshops)),
            "workshopsWithRate": .integer(Int64(figures.workshopsWithRate)),
            "attendances": .integer(Int64(figures.attendances)), "meanRate": ReportCells.number(figures.meanRate),
        ]
    }

    private func workshopJSON(_ workshop: WorkshopAttendance) -> JSONValue {
        func figures(_ figures: WorkshopFigures) -> [String: JSONValue] {
            [
                "attendees": .integer(Int64(figures.attendees)), "members": .integer(Int64(figures.members)),
                "rate": ReportCells.number(figures.rate),
            ]
        }
        var object = figures(workshop.figures).merging([
            "workshop": .string(workshop.workshop.rawValue), "date": .string(workshop.day.description),
            "kind": .string(workshop.kind.rawValue), "mode": .string(workshop.mode.rawValue),
            "crossLocality": .bool(workshop.crossLocality),
            "otherAttendees": .integer(Int64(workshop.otherAttendees)),
            "attendeesCounted": PeopleCells.slugsJSON(workshop.countedAttendees),
            "absentMembers": PeopleCells.slugsJSON(workshop.absentMembers),
        ]) { $1 }
        if bySector {
            object["sectors"] = .array(
                workshop.sectors.map {
                    .object(figures($0.figures).merging(["sector": .string($0.sector.rawValue)]) { $1 })
                }
            )
        }
        return .object(object)
    }

    private func csv(_ results: [AttendanceResult], view: HistoryView) -> String {
        let provenance = view.provenanceCSV
        var writer = CSVWriter(
            headers: provenance.headers + ReportCells.periodCSVHeaders + [
                "sector", "workshops", "workshops_with_rate", "attendances", "mean_rate", "change_pp_first_to_last",
                "attendees_by_workshop", "absent_by_workshop", "lapsing_members",
            ])
        /// `workshop date slug…` per workshop of the period, joined by `;`.
        func byWorkshop(
            _ period: AttendancePeriod, in result: AttendanceResult, _ members: (WorkshopAttendance) -> [Slug]
        )
            -> String
        {
            PeopleCells.csvList(
                result.workshops.filter { period.period.contains($0.day) }.map { workshop in
                    ([workshop.workshop.rawValue, workshop.day.description] + members(workshop).map(\.rawValue))
                        .joined(separator: " ")
                })
        }
        for result in results {
            let lapsing = PeopleCells.csvList(
                result.lapsingMembers.map { member in
                    ([member.member.rawValue] + member.missed.map(\.workshop.rawValue)).joined(separator: " ")
                })
            for period in result.periods {
                let isLast = period.period == result.periods.last?.period
                let rows =
                    [("", period.figures, result.changeInPercentagePoints)]
                    + period.sectors.map { sector in
                        let change = result.sectorChanges.first { $0.sector == sector.sector }
                        return (sector.sector.rawValue, sector.figures, change?.changeInPercentagePoints)
                    }
                for (sector, figures, change) in rows {
                    writer.addRow(
                        provenance.values + ReportCells.periodCSV(result.collaborative, period.period, period.partial)
                            + [
                                sector, String(figures.workshops), String(figures.workshopsWithRate),
                                String(figures.attendances), ReportCells.csvNumber(figures.meanRate),
                                ReportCells.csvNumber(change),
                                sector.isEmpty ? byWorkshop(period, in: result, \.countedAttendees) : "",
                                sector.isEmpty ? byWorkshop(period, in: result, \.absentMembers) : "",
                                sector.isEmpty && isLast ? lapsing : "",
                            ])
                }
            }
        }
        return writer.text
    }
}
