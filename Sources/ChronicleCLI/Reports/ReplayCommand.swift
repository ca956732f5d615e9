import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Show the whole state on a date (members, roles, sub-groups), as it was known at a moment.",
        discussion: """
            Examples:
              chronicle replay --as-of 2023-08-31 --collaborative oldham
              chronicle replay --as-of 2023-08-31 --known-at 2024-03-01 --csv
              chronicle replay --as-of 2023-08-31 --json

            For each collaborative formed by D: the members active on D (a membership
            is [joined, left), so a member who left on D is gone), with their name,
            sector and organisation on D and the start of their current membership
            (after a re-join, the re-join day); every role slot that has had a
            holder, with its holders on D (or VACANT); the sub-groups with their
            status, leads, members (in the sub-group and active in the
            collaborative on D) and last milestone; and the counts. --csv prints
            the member roster: one row per active member, with the roles they hold
            and the sub-groups they are in on D.
            """)

    @OptionGroup var options: ReportOptions

    func run() throws {
        let view = try options.loadView()
        let results = try options.collaboratives(in: view).map { ReplayReport.compute(view: view, collaborative: $0) }
        switch options.format {
        case .json: printJSON(json(results, view: view))
        case .csv: writeToStandardOutput(csv(results, view: view))
        case .table: printLine(table(results, view: view))
        }
    }

    private func table(_ results: [ReplayResult], view: HistoryView) -> String {
        var sections = [view.provenanceLines]
        for result in results {
            let counts = result.counts
            var lines = [
                "",
                "\(result.collaborative): \(result.name) (anchor organisation \(result.anchorOrganisation); "
                    + "programme start \(result.programmeStart))",
                "\(counts.members) members in \(counts.sectors) sectors; \(counts.roleSlots) role slots, "
                    + "\(counts.vacantRoleSlots) vacant; \(counts.subgroups) sub-groups"
                    + (counts.subgroupsByStatus.isEmpty
                        ? "" : " (\(ReplayCells.statusCounts(counts.subgroupsByStatus)))"),
                "", "members on \(view.asOf):",
            ]
            var members = Table(["MEMBER", "NAME", "SECTOR", "ORGANISATION", "SINCE"])
            for member in result.members {
                members.add([
                    member.member.rawValue, member.displayName ?? "–", member.sector.rawValue,
                    member.organisation ?? "–",
                    member.since.description,
                ])
            }
            lines.append(result.members.isEmpty ? "(none)" : members.render())
            lines += ["", "roles:"]
            var roles = Table(["ROLE", "SUB-GROUP", "HOLDER", "APPOINTED", "SINCE"])
            roles.highlight(column: 2) { $0 == "VACANT" ? .red : nil }
            roles.highlight(column: 3, TextStyle.appointment)
            for slot in result.roles {
                let subgroup = slot.slot.subgroup?.rawValue ?? "–"
                if slot.isVacant { roles.add([slot.slot.role.rawValue, subgroup, "VACANT", "", ""]) }
                for holder in slot.holders {
                    roles.add([
                        slot.slot.role.rawValue, subgroup, holder.member.rawValue,
                        ReplayCells.appointment(holder.appointment), holder.since.description,
                    ])
                }
            }
            lines.append(result.roles.isEmpty ? "(none)" : roles.render())
            lines += ["", "sub-groups:"]
            var subgroups = Table(["SUB-GROUP", "TITLE", "STATUS", "SINCE", "LEADS", "MEMBERS", "LAST MILESTONE"])
            for subgroup in result.subgroups {
                subgroups.add([
                    subgroup.subgroup.rawValue, subgroup.title, subgroup.status.rawValue,
                    subgroup.statusSince.description, ReplayCells.list(subgroup.leads),
                    ReplayCells.list(subgroup.members),
                    subgroup.lastMilestone.map { "\($0.day) \($0.kind.rawValue): \($0.title)" } ?? "–",
                ])
            }
            lines.append(result.subgroups.isEmpty ? "(none)" : subgroups.render())
            sections.append(lines.joined(separator: "\n"))
        }
        if results.isEmpty { sections.append("\n(no collaborative formed by \(view.asOf))") }
        return sections.joined(separator: "\n")
    }

    private func json(_ results: [ReplayResult], view: HistoryView) -> JSONValue {
        var document = view.provenanceJSON
        document["report"] = .string("replay")
        document["collaboratives"] = .array(
            results.map { result in
                .object([
                    "collaborative": .string(result.collaborative.rawValue), "name": .string(result.name),
                    "anchorOrganisation": .string(result.anchorOrganisation),
                    "programmeStart": .string(result.programmeStart.description),
                    "formedOn": .string(result.formedOn.description),
                    "members": .array(result.members.map(ReplayCells.memberJSON)),
                    "roles": .array(
                        result.roles.map { slot in
                            .object(
                                ReplayCells.slotJSON(slot.slot).merging([
                                    "vacant": .bool(slot.isVacant),
                                    "holders": .array(slot.holders.map(ReplayCells.holderJSON)),
                                ]) { $1 })
                        }),
                    "subgroups": .array(result.subgroups.map(subgroupJSON)),
                    "counts": ReplayCells.countsJSON(result.counts),
                ])
            })
        return .object(document)
    }

    private func subgroupJSON(_ subgroup: SubGroupSnapshot) -> JSONValue {
        .object([
            "subgroup": .string(subgroup.subgroup.rawValue), "title": .string(subgroup.title),
            "formedOn": .string(subgroup.formedOn.description), "status": .string(subgroup.status.rawValue),
            "statusSince": .string(subgroup.statusSince.description),
            "leads": .array(subgroup.leads.map { .string($0.rawValue) }),
            "members": .array(subgroup.members.map { .string($0.rawValue) }),
            "lastMilestone": subgroup.lastMilestone.map(ReplayCells.milestoneJSON) ?? .null,
        ])
    }

    private func csv(_ results: [ReplayResult], view: HistoryView) -> String {
        let provenance = view.provenanceCSV
        var writer = CSVWriter(
            headers: provenance.headers + [
                "collaborative", "member", "name", "sector", "organisation", "since", "roles", "subgroups",
            ])
        for result in results {
            for member in result.members {
                let roles = result.roles.filter { slot in slot.holders.contains { $0.member == member.member } }
                    .map(\.slot.description)
                let subgroups = result.subgroups.filter { $0.members.contains(member.member) }.map(\.subgroup.rawValue)
                writer.addRow(
                    provenance.values + [
                        result.collaborative.rawValue, member.member.rawValue, member.displayName ?? "",
                        member.sector.rawValue,
                        member.organisation ?? "", member.since.description, PeopleCells.csvList(roles),
                        PeopleCells.csvList(subgroups),
                    ])
            }
        }
        return writer.text
    }
}
