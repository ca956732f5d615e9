import ArgumentParser
import Collaboratives
import EventLog
import Foundation

/// `chronicle members`: the roster, and a search of it by name.
struct MembersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "members",
        abstract: "List the people: name, sector, organisation, memberships with dates, current roles.",
        discussion: """
            Examples:
              chronicle members --collaborative oldham
              chronicle members --name jose
              chronicle members --sector health --as-of 2023-08-31 --json

            Everyone who had joined a collaborative by D is listed, also after they left (their memberships say when), as known at K. Name, sector and organisation are those recorded on D; roles are those held on D. --name keeps the people whose name contains the text, ignoring case and accents ("jose" finds José Álvarez). A person whose personal data is erased is shown without name or organisation, and --name never finds them.
            """)

    @OptionGroup var options: ReportOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only people whose name contains this text (case and accents ignored).",
            valueName: "text"))
    var name: String?

    @Option(name: .long, help: ArgumentHelp("Only people of this sector on D.", valueName: "sector"))
    var sector: String?

    func run() throws {
        let sectorFilter = try sector.map { text in
            guard let sector = Sector(rawValue: text) else {
                throw CLIError.usage(
                    "--sector: \(text.debugDescription) is not a sector (\(Sector.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            return sector
        }
        // With --collaborative, the events that concern it, read through the tag index: they hold every join,
        // leave, details change, erasure and role change anywhere of each of its members, all that their rows
        // need (their memberships of other collaboratives are part of who they are), so that memory and time
        // follow that collaborative rather than the log. Without it, every event.
        let view = try options.loadView()
        let filter = MemberRoster.Filter(
            collaborative: try options.collaborativeFilter(in: view), name: name, sector: sectorFilter)
        let roster = MemberRoster.compute(view: view, filter: filter)
        switch options.format {
        case .json: printJSON(json(roster, view: view))
        case .csv: writeToStandardOutput(csv(roster, view: view))
        case .table: printLine(table(roster, view: view))
        }
    }

    /// `oldham joined 2021-11-15, left 2023-07-20` (the day `MemberLeft` gives), or `oldham joined 2021-11-15`.
    static func membership(_ membership: MemberRoster.Membership) -> String {
        "\(membership.collaborative) joined \(membership.joined)" + (membership.left.map { ", left \($0)" } ?? "")
    }

    /// `anchor of oldham since 2021-09-01`, `subgroup-lead (ol-transitions) of oldham since …`.
    static func role(_ role: MemberRoster.HeldRole) -> String {
        role.role.rawValue + (role.subgroup.map { " (\($0))" } ?? "")
            + " of \(role.collaborative) since \(role.since)"
    }

    private func table(_ roster: MemberRoster, view: HistoryView) -> String {
        var table = Table(["MEMBER", "NAME", "SECTOR", "ORGANISATION", "MEMBERSHIPS", "ROLES"])
        for member in roster.members {
            table.add([
                member.member.rawValue, member.name ?? (member.erased ? "(erased)" : "–"), member.sector.rawValue,
                member.organisation ?? "–", member.memberships.map(Self.membership).joined(separator: "; "),
                member.roles.isEmpty ? "–" : member.roles.map(Self.role).joined(separator: "; "),
            ])
        }
        let count = roster.members.count
        return [view.provenanceLines, "", table.render(), "\(count) \(count == 1 ? "person" : "people")"]
            .joined(separator: "\n")
    }

    private func json(_ roster: MemberRoster, view: HistoryView) -> JSONValue {
        var document = view.provenanceJSON
        document["report"] = .string("members")
        document["members"] = .array(
            roster.members.map { member in
                .object([
                    "member": .string(member.member.rawValue),
                    "name": member.name.map(JSONValue.string) ?? .null,
                    "organisation": member.organisation.map(JSONValue.string) ?? .null,
                    "sector": .string(member.sector.rawValue), "erased": .bool(member.erased),
                    "memberships": .array(
                        member.memberships.map { membership in
                            .object([
                                "collaborative": .string(membership.collaborative.rawValue),
                                "joined": .string(membership.joined.description),
                                "left": membership.left.map { .string($0.description) } ?? .null,
                            ])
                        }),
                    "roles": .array(
                        member.roles.map { role in
                            .object([
                                "collaborative": .string(role.collaborative.rawValue),
                                "role": .string(role.role.rawValue),
                                "subgroup": role.subgroup.map { .string($0.rawValue) } ?? .null,
                                "appointment": .string(role.appointment.rawValue),
                                "since": .string(role.since.description),
                            ])
                        }),
                ])
            })
        return .object(document)
    }

    private func csv(_ roster: MemberRoster, view: HistoryView) -> String {
        let provenance = view.provenanceCSV
        var writer = CSVWriter(
            headers: provenance.headers + [
                "member", "name", "sector", "organisation", "erased", "memberships", "roles",
            ])
        for member in roster.members {
            writer.addRow(
                provenance.values + [
                    member.member.rawValue, member.name ?? "", member.sector.rawValue, member.organisation ?? "",
                    member.erased ? "true" : "false", member.memberships.map(Self.membership).joined(separator: "; "),
                    member.roles.map(Self.role).joined(separator: "; "),
                ])
        }
        return writer.text
    }
}
