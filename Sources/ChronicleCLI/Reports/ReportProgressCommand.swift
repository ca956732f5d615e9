import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct ReportProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Each sub-group's status, milestones, time to delivery, partners, and whether it has stalled.",
        discussion: """
            Examples:
              chronicle report progress --collaborative worcestershire
              chronicle report progress --as-of 2023-08-31 --stalled-after 90
              chronicle report progress --known-at 2024-03-01 --json

            Status on D = the latest status change on or before D (planned from
            formation). Days to delivery run from formation to the first delivered
            or embedded status. Partner sectors = the sectors on D of the members
            in both the sub-group and the collaborative on D. A sub-group is
            STALLED when its status is not delivered, embedded or closed and at
            least N days (--stalled-after, default 120) have passed since its last
            change: formation, a status change or a milestone (a redefinition is
            not a change).
            """)

    @OptionGroup var options: ReportOptions

    @Option(
        name: .long,
        help: ArgumentHelp("N: a sub-group with no change for at least N days is stalled.", valueName: "days"))
    var stalledAfter = ProgressReport.defaultStalledAfterDays

    func validate() throws {
        guard stalledAfter >= 0 else { throw ValidationError("--stalled-after must be 0 or more") }
    }

    func run() throws {
        let view = try options.loadView()
        let results = try options.collaboratives(in: view).map { collaborative in
            ProgressReport.compute(view: view, collaborative: collaborative, stalledAfterDays: stalledAfter)
        }
        switch options.format {
        case .json: printJSON(json(results, view: view))
        case .csv: writeToStandardOutput(csv(results, view: view))
        case .table: printLine(table(results, view: view))
        }
    }

    private func table(_ results: [ProgressResult], view: HistoryView) -> String {
        var sections = [view.provenanceLines]
        for result in results {
            let stalled = result.subgroups.filter(\.isStalled).count
            var lines = [
                "",
                "\(result.collaborative): sub-group progress on \(view.asOf) "
                    + "(\(result.subgroups.count) sub-groups, \(stalled) stalled after \(stalledAfter) days)",
            ]
            var table = Table(
                [
                    "SUB-GROUP", "STATUS", "SINCE", "MILESTONES", "DELIVERED", "PARTNER SECTORS", "REDEFINED",
                    "LAST CHANGE", "FLAGS",
                ], rightAligned: [3, 6])
            table.highlight(column: 8, TextStyle.flag)
            for subgroup in result.subgroups {
                table.add([
                    subgroup.subgroup.rawValue, subgroup.status.rawValue, subgroup.statusSince.description,
                    String(subgroup.milestones.count),
                    subgroup.deliveredOn.map { "\($0) (\(subgroup.daysToDelivery ?? 0)d)" } ?? "–",
                    subgroup.partnerSectors.isEmpty
                        ? "–" : subgroup.partnerSectors.map(\.rawValue).joined(separator: ", "),
                    String(subgroup.redefinitions.count),
                    "\(subgroup.lastChange) (\(subgroup.daysSinceLastChange)d ago)",
                    subgroup.isStalled ? "STALLED \(subgroup.daysSinceLastChange)d" : "",
                ])
            }
            lines.append(result.subgroups.isEmpty ? "(no sub-groups)" : table.render())
            let milestones = result.subgroups.flatMap { subgroup in
                subgroup.milestones.map { (subgroup.subgroup, $0) }
            }.sorted { ($0.1.day, $0.0) < ($1.1.day, $1.0) }
            if !milestones.isEmpty {
                var list = Table(["DATE", "SUB-GROUP", "MILESTONE", "TITLE"])
                for (subgroup, milestone) in milestones {
                    list.add([milestone.day.description, subgroup.rawValue, milestone.kind.rawValue, milestone.title])
                }
                lines += ["", "milestones to \(view.asOf):", list.render()]
            }
            sections.append(lines.joined(separator: "\n"))
        }
        return sections.joined(separator: "\n")
    }

    private func json(_ results: [ProgressResult], view: HistoryView) -> JSONValue {
        var document = view.provenanceJSON
        document["report"] = .string("progress")
        document["stalledAfterDays"] = .integer(Int64(stalledAfter))
        document["collaboratives"] = .array(
            results.map { result in
                .object([
                    "collaborative": .string(result.collaborative.rawValue),
                    "subgroups": .array(result.subgroups.map(subgroupJSON)),
                ])
            })
        return .object(document)
    }

    private func subgroupJSON(_ subgroup: SubGroupProgress) -> JSONValue {
        .object([
            "subgroup": .string(subgroup.subgroup.rawValue), "title": .string(subgroup.title),
            "formedOn": .string(subgroup.formedOn.description), "status": .string(subgroup.status.rawValue),
            "statusSince": .string(subgroup.statusSince.description),
            "statusChanges": .array(
                subgroup.statusChanges.map {
                    .object(["day": .string($0.day.description), "status": .string($0.status.rawValue)])
                }),
            "milestones": .array(subgroup.milestones.map(ReplayCells.milestoneJSON)),
            "deliveredOn": ReplayCells.day(subgroup.deliveredOn),
            "daysToDelivery": subgroup.daysToDelivery.map { .integer(Int64($0)) } ?? .null,
            "partnerSectors": .array(subgroup.partnerSectors.map { .string($0.rawValue) }),
            "partners": .integer(Int64(subgroup.partners)),
            "redefinitions": .array(
                subgroup.redefinitions.map { redefinition in
                    .object([
                        "day": .string(redefinition.day.description),
                        "title": redefinition.title.map { .string($0) } ?? .null, "aim": .string(redefinition.aim),
                        "reason": .string(redefinition.reason),
                    ])
                }),
            "lastChange": .string(subgroup.lastChange.description),
            "daysSinceLastChange": .integer(Int64(subgroup.daysSinceLastChange)), "stalled": .bool(subgroup.isStalled),
        ])
    }

    private func csv(_ results: [ProgressResult], view: HistoryView) -> String {
        let provenance = view.provenanceCSV
        var writer = CSVWriter(
            headers: provenance.headers + [
                "collaborative", "subgroup", "title", "formed_on", "status", "status_since", "milestones",
                "last_milestone_day", "delivered_on", "days_to_delivery", "partners", "partner_sectors",
                "redefinitions", "last_change", "days_since_last_change", "stalled",
            ])
        for result in results {
            for subgroup in result.subgroups {
                writer.addRow(
                    provenance.values + [
                        result.collaborative.rawValue, subgroup.subgroup.rawValue, subgroup.title,
                        subgroup.formedOn.description, subgroup.status.rawValue, subgroup.statusSince.description,
                        String(subgroup.milestones.count), subgroup.milestones.last?.day.description ?? "",
                        subgroup.deliveredOn?.description ?? "", subgroup.daysToDelivery.map(String.init) ?? "",
                        String(subgroup.partners), PeopleCells.csvList(subgroup.partnerSectors.map(\.rawValue)),
                        String(subgroup.redefinitions.count), subgroup.lastChange.description,
                        String(subgroup.daysSinceLastChange), String(subgroup.isStalled),
                    ])
            }
        }
        return writer.text
    }
}
