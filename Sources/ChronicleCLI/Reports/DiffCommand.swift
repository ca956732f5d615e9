import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What late entries and corrections recorded between two moments changed, for a date.",
        discussion: """
            Examples:
              chronicle diff --known-at 2024-03-01 --as-of 2023-08-31
              chronicle diff --known-at 2024-03-01 --against 2024-09-01 --csv
              chronicle diff --known-at 2024-03-01 --as-of 2023-08-31 --json

            "What did we know when we wrote the interim report (K1), and what do
            we know now (K2)?" For the date D (--as-of, default today): the events
            recorded after K1 and at or before K2 (--against, default: the whole log) that
            are visible at D (new events dated on or before D and not retracted by
            K2; retractions of events visible at K1); the differences in each
            collaborative's state on D (members added, removed or changed; role
            holders; sub-group statuses); and the headline figures at K1 and at K2
            (active members, role slots and vacant roles, sub-groups by status,
            workshops and their mean attendance rate). A date for K1 or K2 means
            the end of that UTC day.
            """)

    @OptionGroup var storeOptions: ReportStoreOptions

    @Option(
        name: .long, help: ArgumentHelp("D: the date the state is compared on (default: today).", valueName: "date"))
    var asOf: String?

    @Option(
        name: .long,
        help: ArgumentHelp("K1: what had been recorded by then (RFC 3339 instant or date).", valueName: "time"))
    var knownAt: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "K2: compared with what had been recorded by then (default: everything in the log, as for --known-at elsewhere).",
            valueName: "time"))
    var against: String?

    @Option(
        name: .long, help: ArgumentHelp("Only this collaborative.", valueName: "slug"), completion: .collaborativeSlugs)
    var collaborative: String?
    @Flag(name: .long, help: "Print JSON.") var json = false
    @Flag(name: .long, help: "Print CSV (RFC 4180).") var csv = false

    /// The resident budget the store is opened with: the default (two whole views are loaded, whose heap
    /// grows with the log, whatever `--collaborative` names).
    var residentBudget: ResidentBudget { .standard }

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv cannot be used together") }
    }

    func run() throws {
        let chronicle = try storeOptions.openChronicle(budget: residentBudget)
        let now = try Clock.current().now()
        let first = try KnownAt.parse(knownAt, flag: "known-at")
        let second =
            try against.map { try KnownAt.parse($0, flag: "against") }
            ?? KnownAt.everything(in: chronicle, now: now)
        guard first <= second else {
            throw CLIError.usage(
                "--against (\(second)) is before --known-at (\(first)); give the later moment to --against")
        }
        var asOfDay = chronicle.today
        if let asOf {
            guard let day = Day(parsing: asOf) else {
                throw CLIError.usage("--as-of: \(asOf.debugDescription) is not a date (YYYY-MM-DD)")
            }
            asOfDay = try day.accepted(for: "--as-of")
        }
        let input = try DiffReport.load(from: chronicle.reader, asOf: asOfDay, knownAt: first, against: second)
        let filter = try collaborative.map { text -> Slug in
            guard let slug = Slug(text) else {
                throw CLIError.usage("--collaborative: \(text.debugDescription) is not a slug")
            }
            let known = Set(input.after.timeline.collaborativeSlugs + input.before.timeline.collaborativeSlugs)
            guard known.contains(slug) else {
                throw CLIError.unknownSlug(slug, flag: "--collaborative", kind: "collaborative", known: known)
            }
            return slug
        }
        let result = DiffReport.compute(input, collaborative: filter)
        if json {
            printJSON(document(result, input))
        } else if csv {
            writeToStandardOutput(rows(result, input))
        } else {
            printLine(table(result, input))
        }
    }

    // MARK: Table

    private func table(_ result: DiffResult, _ input: DiffInput) -> String {
        var lines = ["K1: " + input.before.provenanceLines, "K2: " + input.after.provenanceLines, ""]
        lines.append("recorded after K1 and by K2, visible at \(result.asOf): \(result.recorded.count) events")
        var recorded = Table(["SEQ", "RECORDED", "CHANGE", "OCCURRED", "TYPE", "WHAT"], rightAligned: [0])
        recorded.highlight(column: 2) { $0 == "RETRACTION" ? .yellow : nil }
        for change in result.recorded {
            let what =
                change.kind == .retracted
                ? "retracted: \(change.entry.event.summary(keys: input.after.keys)) (\(change.reason ?? ""))"
                : change.entry.event.summary(keys: input.after.keys)
            recorded.add([
                String(change.seq), change.recordedAt.description, change.kind == .retracted ? "RETRACTION" : "added",
                change.entry.occurredAt.canonicalText, change.entry.event.typeName, what,
            ])
        }
        if !result.recorded.isEmpty { lines.append(recorded.render()) }
        for diff in result.collaboratives {
            lines += ["", "\(diff.collaborative): state on \(result.asOf) at K1 and at K2"]
            if diff.isEmpty {
                lines.append("(no difference)")
                continue
            }
            var changes = Table(["WHAT", "SUBJECT", "AT K1", "AT K2"])
            for member in diff.members {
                changes.add(["member \(member.kind.rawValue)", member.member.rawValue] + memberCells(member))
            }
            for holder in diff.roleHolders {
                changes.add([
                    "role holder", "\(holder.slot): \(holder.member)", holderCell(holder.before),
                    holderCell(holder.after),
                ])
            }
            for status in diff.subgroupStatuses {
                changes.add([
                    "sub-group status", status.subgroup.rawValue, statusCell(status.before, status.beforeSince),
                    statusCell(status.after, status.afterSince),
                ])
            }
            let unchanged = diff.members.isEmpty && diff.roleHolders.isEmpty && diff.subgroupStatuses.isEmpty
            lines.append(unchanged ? "(no member, role holder or sub-group status differs)" : changes.render())
            var figures = Table(["HEADLINE", "AT K1", "AT K2", "CHANGE"], rightAligned: [1, 2, 3])
            for row in headlineRows(diff) {
                figures.add([
                    row.label, row.format(row.before), row.format(row.after),
                    row.change(row.before, row.after),
                ])
            }
            lines += ["", figures.render()]
        }
        return lines.joined(separator: "\n")
    }

    /// The member as seen at K1 and at K2 (for a change, only the fields that differ); `none` for absent.
    private func memberCells(_ change: MemberChange, none: String = "–") -> [String] {
        func describe(_ member: ActiveMember?) -> String {
            guard let member else { return none }
            return [member.displayName, member.sector.rawValue, member.organisation, "since \(member.since)"]
                .compactMap { $0 }.joined(separator: ", ")
        }
        guard change.kind == .changed, let before = change.before, let after = change.after else {
            return [describe(change.before), describe(change.after)]
        }
        var was: [String] = []
        var now: [String] = []
        func compare(_ field: String, _ old: String?, _ new: String?) {
            guard old != new else { return }
            was.append("\(field) \(old ?? none)")
            now.append("\(field) \(new ?? none)")
        }
        compare("name", before.displayName, after.displayName)
        compare("sector", before.sector.rawValue, after.sector.rawValue)
        compare("organisation", before.organisation, after.organisation)
        compare("since", before.since.description, after.since.description)
        return [was.joined(separator: ", "), now.joined(separator: ", ")]
    }

    private func holderCell(_ holder: RoleHolder?, none: String = "–") -> String {
        holder.map { "\($0.appointment.rawValue) since \($0.since)" } ?? none
    }

    private func statusCell(_ status: SubGroupStatus?, _ since: Day?) -> String {
        status.map { "\($0.rawValue) since \(since?.description ?? "?")" } ?? "–"
    }

    /// One headline figure at both K.
    private struct HeadlineRow {
        let label: String
        let key: String
        let before: Double?
        let after: Double?
        let isRate: Bool

        func format(_ value: Double?) -> String {
            guard let value else { return "–" }
            return isRate ? String(format: "%.1f%%", value * 100) : String(Int(value))
        }

        func change(_ old: Double?, _ new: Double?) -> String {
            guard let old, let new else { return "–" }
            return isRate ? String(format: "%+.1f pp", (new - old) * 100) : String(format: "%+d", Int(new - old))
        }
    }

    private func headlineRows(_ diff: CollaborativeDiff) -> [HeadlineRow] {
        func count(_ figures: HeadlineFigures?, _ value: (HeadlineFigures) -> Int) -> Double? {
            figures.map { Double(value($0)) }
        }
        var rows = [
            HeadlineRow(
                label: "active members", key: "active_members", before: count(diff.before, \.activeMembers),
                after: count(diff.after, \.activeMembers), isRate: false),
            HeadlineRow(
                label: "role slots", key: "role_slots", before: count(diff.before, \.roleSlots),
                after: count(diff.after, \.roleSlots), isRate: false),
            HeadlineRow(
                label: "vacant roles", key: "vacant_roles", before: count(diff.before, \.vacantRoles),
                after: count(diff.after, \.vacantRoles), isRate: false),
        ]
        let statuses = Set(
            ((diff.before?.subgroupsByStatus ?? []) + (diff.after?.subgroupsByStatus ?? [])).map(\.status))
        for status in SubGroupStatus.allCases where statuses.contains(status) {
            func value(_ figures: HeadlineFigures?) -> Double? {
                figures.map { Double($0.subgroupsByStatus.first { $0.status == status }?.count ?? 0) }
            }
            rows.append(
                HeadlineRow(
                    label: "sub-groups \(status.rawValue)", key: "subgroups_\(status.rawValue)",
                    before: value(diff.before), after: value(diff.after), isRate: false))
        }
        rows.append(
            HeadlineRow(
                label: "workshops", key: "workshops", before: count(diff.before, \.workshops),
                after: count(diff.after, \.workshops), isRate: false))
        rows.append(
            HeadlineRow(
                label: "mean attendance rate", key: "mean_attendance_rate", before: diff.before?.meanAttendanceRate,
                after: diff.after?.meanAttendanceRate, isRate: true))
        return rows
    }

    // MARK: JSON

    private func document(_ result: DiffResult, _ input: DiffInput) -> JSONValue {
        var document = input.before.provenanceJSON
        document["report"] = .string("diff")
        let after = input.after.provenanceJSON
        document["against"] = .object([
            "knownAt": after["knownAt"] ?? .null, "lastSeq": after["lastSeq"] ?? .null,
            "lastHash": after["lastHash"] ?? .null,
        ])
        document["recorded"] = .array(
            result.recorded.map { change in
                .object([
                    "change": .string(change.kind.rawValue), "seq": .integer(Int64(clamping: change.seq)),
                    "recordedAt": .string(change.recordedAt.description),
                    "retraction": change.retractionID.map { id in
                        .object(["id": .string(id.uuidString.lowercased()), "reason": .string(change.reason ?? "")])
                    } ?? .null,
                    "event": .object([
                        "id": .string(change.entry.id.uuidString.lowercased()),
                        "seq": change.entry.seq.map { .integer(Int64(clamping: $0)) } ?? .null,
                        "type": .string(change.entry.event.typeName),
                        "occurredAt": .string(change.entry.occurredAt.canonicalText),
                        "data": change.entry.event.shownData(keys: input.after.keys),
                    ]),
                ])
            })
        document["collaboratives"] = .array(result.collaboratives.map(collaborativeJSON))
        return .object(document)
    }

    private func collaborativeJSON(_ diff: CollaborativeDiff) -> JSONValue {
        func figures(_ figures: HeadlineFigures?) -> JSONValue {
            guard let figures else { return .null }
            return .object([
                "activeMembers": .integer(Int64(figures.activeMembers)),
                "roleSlots": .integer(Int64(figures.roleSlots)),
                "vacantRoles": .integer(Int64(figures.vacantRoles)),
                "subgroupsByStatus": ReplayCells.statusCountsJSON(figures.subgroupsByStatus),
                "workshops": .integer(Int64(figures.workshops)),
                "meanAttendanceRate": ReportCells.number(figures.meanAttendanceRate),
            ])
        }
        return .object([
            "collaborative": .string(diff.collaborative.rawValue),
            "members": .array(
                diff.members.map { change in
                    .object([
                        "change": .string(change.kind.rawValue), "member": .string(change.member.rawValue),
                        "before": change.before.map(ReplayCells.memberJSON) ?? .null,
                        "after": change.after.map(ReplayCells.memberJSON) ?? .null,
                    ])
                }),
            "roleHolders": .array(
                diff.roleHolders.map { change in
                    .object(
                        ReplayCells.slotJSON(change.slot).merging([
                            "member": .string(change.member.rawValue),
                            "before": change.before.map(ReplayCells.holderJSON) ?? .null,
                            "after": change.after.map(ReplayCells.holderJSON) ?? .null,
                        ]) { $1 })
                }),
            "subgroupStatuses": .array(
                diff.subgroupStatuses.map { status in
                    .object([
                        "subgroup": .string(status.subgroup.rawValue),
                        "before": status.before.map { .string($0.rawValue) } ?? .null,
                        "beforeSince": ReplayCells.day(status.beforeSince),
                        "after": status.after.map { .string($0.rawValue) } ?? .null,
                        "afterSince": ReplayCells.day(status.afterSince),
                    ])
                }),
            "headline": .object(["before": figures(diff.before), "after": figures(diff.after)]),
        ])
    }

    // MARK: CSV

    /// One row per difference: recorded events, member, role and status changes, then headline figures.
    private func rows(_ result: DiffResult, _ input: DiffInput) -> String {
        let provenance = input.before.provenanceCSV
        let after = input.after.provenanceCSV.values
        var writer = CSVWriter(
            headers: provenance.headers + ["against_known_at", "against_last_seq", "against_last_hash"] + [
                "section", "collaborative", "subject", "change", "before", "after",
            ])
        let prefix = provenance.values + Array(after.dropFirst())
        for change in result.recorded {
            writer.addRow(
                prefix + [
                    "recorded", "", String(change.seq), change.kind.rawValue,
                    change.kind == .retracted ? change.entry.event.summary(keys: input.after.keys) : "",
                    change.kind == .added ? change.entry.event.summary(keys: input.after.keys) : "",
                ])
        }
        for diff in result.collaboratives {
            let slug = diff.collaborative.rawValue
            for member in diff.members {
                let cells = memberCells(member, none: "")
                writer.addRow(prefix + ["member", slug, member.member.rawValue, member.kind.rawValue] + cells)
            }
            for holder in diff.roleHolders {
                writer.addRow(
                    prefix + [
                        "role-holder", slug, "\(holder.slot): \(holder.member)", "",
                        holderCell(holder.before, none: ""), holderCell(holder.after, none: ""),
                    ])
            }
            for status in diff.subgroupStatuses {
                writer.addRow(
                    prefix + [
                        "subgroup-status", slug, status.subgroup.rawValue, "", status.before?.rawValue ?? "",
                        status.after?.rawValue ?? "",
                    ])
            }
            for row in headlineRows(diff) {
                writer.addRow(
                    prefix + [
                        "headline", slug, row.key, "", row.before.map { Self.number($0, rate: row.isRate) } ?? "",
                        row.after.map { Self.number($0, rate: row.isRate) } ?? "",
                    ])
            }
        }
        return writer.text
    }

    private static func number(_ value: Double, rate: Bool) -> String {
        rate ? String(ReportCells.exact(value)) : String(Int(value))
    }
}
