import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct AuditSuccessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "succession",
        abstract: "Per role, the chain of holders: appointments, gaps, overlaps, and what needs a look.",
        discussion: """
            Examples:
              chronicle audit succession --collaborative east-sussex
              chronicle audit succession --as-of 2023-08-31 --gap-over 60
              chronicle audit succession --known-at 2024-03-01 --csv

            A role slot is a role in a collaborative (for subgroup-lead, of one
            sub-group). Its tenures are [assigned, ended); a holder leaving the
            collaborative ends the tenure that day (ENDED BY LEAVING). Tenures are
            ordered by start, then member; between consecutive holders, gap = next
            start - previous end in days: positive is a vacancy, 0 a same-day
            handover, negative an overlap. Flags: NO OVERLAP on every handover with
            a gap of 0 or more (a vacancy too: nobody overlapped); VACANT on D;
            SELF-APPOINTED or INTERIM holders; GAP Nd over --gap-over days
            (default 30); ENDED BY LEAVING; SUCCEEDS naming someone who was not a
            previous holder (the previous tenure's holder, a co-holder on the day
            before, or the last to leave the slot); ALSO for members holding two
            or more slots at once (in any collaborative).
            """)

    @OptionGroup var options: ReportOptions

    @Option(name: .long, help: ArgumentHelp("Flag vacancies longer than this many days.", valueName: "days"))
    var gapOver = SuccessionAudit.defaultLongGapDays

    func validate() throws {
        guard gapOver >= 0 else { throw ValidationError("--gap-over must be 0 or more") }
    }

    func run() throws {
        let view = try options.loadView()
        let results = try options.collaboratives(in: view).map { collaborative in
            SuccessionAudit.compute(view: view, collaborative: collaborative, longGapDays: gapOver)
        }
        switch options.format {
        case .json: printJSON(json(results, view: view))
        case .csv: writeToStandardOutput(csv(results, view: view))
        case .table: printLine(table(results, view: view))
        }
    }

    private func table(_ results: [SuccessionResult], view: HistoryView) -> String {
        var sections = [view.provenanceLines]
        let people = PeopleCells(view: view)
        for result in results {
            let vacant = result.chains.filter(\.isVacant).count
            var lines = [
                "",
                "\(result.collaborative): succession of \(result.chains.count) role slots on \(view.asOf) "
                    + "(\(vacant) vacant)",
            ]
            var table = Table(["ROLE", "HOLDER", "APPOINTED", "FROM", "UNTIL", "SUCCEEDS", "GAP", "FLAGS"])
            table.highlight(column: 1) { $0 == "VACANT" ? .red : nil }
            table.highlight(column: 2, TextStyle.appointment)
            table.highlight(column: 7, TextStyle.flag)
            for chain in result.chains {
                for (index, tenure) in chain.tenures.enumerated() {
                    let handover = index > 0 ? chain.handovers[index - 1] : nil
                    table.add([
                        chain.slot.description, people.label(tenure.member),
                        ReplayCells.appointment(tenure.appointment),
                        tenure.start.description, tenure.end?.description ?? "–", tenure.succeeds?.rawValue ?? "–",
                        handover.map(Self.gap) ?? "",
                        flags(tenure, after: handover, in: result.collaborative).joined(separator: ", "),
                    ])
                }
                if chain.isVacant {
                    table.add([
                        chain.slot.description, "VACANT", "", chain.vacantSince?.description ?? "", "–", "", "",
                        "VACANT ON \(view.asOf)",
                    ])
                }
            }
            lines.append(result.chains.isEmpty ? "(no role has had a holder)" : table.render())
            if !result.concurrentHoldings.isEmpty {
                var holdings = Table(["MEMBER", "SLOTS HELD AT ONCE", "FROM", "UNTIL"])
                for holding in result.concurrentHoldings {
                    holdings.add([
                        holding.member.rawValue,
                        holding.slots.map { Self.slotName($0, in: result.collaborative) }.joined(separator: " + "),
                        holding.from.description, holding.until?.description ?? "–",
                    ])
                }
                lines += ["", "members holding two or more slots at once:", holdings.render()]
            }
            sections.append(lines.joined(separator: "\n"))
        }
        return sections.joined(separator: "\n")
    }

    /// `+45d vacancy`, `0d`, `-12d overlap`, or `overlap` when the previous holder still holds the slot.
    private static func gap(_ handover: Handover) -> String {
        guard let days = handover.gapDays else { return "overlap" }
        switch handover.kind {
        case .vacancy: return "+\(days)d vacancy"
        case .withoutOverlap: return "0d"
        case .overlap: return "\(days)d overlap"
        }
    }

    /// A slot, named with its collaborative when that is not the one audited: `anchor`, `worcs advisor`.
    private static func slotName(_ slot: RoleSlot, in collaborative: Slug) -> String {
        slot.collaborative == collaborative ? slot.description : "\(slot.collaborative) \(slot)"
    }

    /// The readable flags of one tenure and of the handover into it.
    private func flags(_ tenure: SuccessionTenure, after handover: Handover?, in collaborative: Slug) -> [String] {
        var flags: [String] = []
        if let handover, handover.isLongGap, let days = handover.gapDays { flags.append("GAP \(days)d") }
        if handover?.isWithoutOverlap == true { flags.append("NO OVERLAP") }
        if tenure.appointment != .formal { flags.append(tenure.appointment.rawValue.uppercased()) }
        if tenure.endedByLeaving { flags.append("ENDED BY LEAVING") }
        if tenure.succeedsSomeoneElse, let named = tenure.succeeds {
            flags.append("SUCCEEDS \(named), NOT PREVIOUS (\(tenure.previousHolder?.rawValue ?? "none"))")
        }
        if !tenure.concurrentSlots.isEmpty {
            flags.append(
                "ALSO " + tenure.concurrentSlots.map { Self.slotName($0, in: collaborative) }.joined(separator: " + "))
        }
        return flags
    }

    private func json(_ results: [SuccessionResult], view: HistoryView) -> JSONValue {
        var document = view.provenanceJSON
        document["report"] = .string("audit-succession")
        document["longGapDays"] = .integer(Int64(gapOver))
        document["collaboratives"] = .array(
            results.map { result in
                .object([
                    "collaborative": .string(result.collaborative.rawValue),
                    "chains": .array(result.chains.map(chainJSON)),
                    "concurrentHoldings": .array(
                        result.concurrentHoldings.map { holding in
                            .object([
                                "member": .string(holding.member.rawValue),
                                "slots": .array(holding.slots.map { .object(ReplayCells.slotJSON($0)) }),
                                "from": .string(holding.from.description), "until": ReplayCells.day(holding.until),
                            ])
                        }),
                ])
            })
        return .object(document)
    }

    private func chainJSON(_ chain: SuccessionChain) -> JSONValue {
        .object(
            ReplayCells.slotJSON(chain.slot).merging([
                "vacant": .bool(chain.isVacant), "vacantSince": ReplayCells.day(chain.vacantSince),
                "flags": .array(chain.flags.map { .string($0.rawValue) }),
                "tenures": .array(
                    chain.tenures.map { tenure in
                        .object([
                            "member": .string(tenure.member.rawValue),
                            "appointment": .string(tenure.appointment.rawValue),
                            "succeeds": tenure.succeeds.map { .string($0.rawValue) } ?? .null,
                            "previousHolder": tenure.previousHolder.map { .string($0.rawValue) } ?? .null,
                            "succeedsSomeoneElse": .bool(tenure.succeedsSomeoneElse),
                            "start": .string(tenure.start.description), "end": ReplayCells.day(tenure.end),
                            "endedByLeaving": .bool(tenure.endedByLeaving),
                            "concurrentSlots": .array(tenure.concurrentSlots.map { .object(ReplayCells.slotJSON($0)) }),
                        ])
                    }),
                "handovers": .array(
                    chain.handovers.map { handover in
                        .object([
                            "from": .string(handover.from.rawValue), "to": .string(handover.to.rawValue),
                            "previousEnd": ReplayCells.day(handover.previousEnd),
                            "nextStart": .string(handover.nextStart.description),
                            "gapDays": handover.gapDays.map { .integer(Int64($0)) } ?? .null,
                            "kind": .string(handover.kind.rawValue), "longGap": .bool(handover.isLongGap),
                            "withoutOverlap": .bool(handover.isWithoutOverlap),
                        ])
                    }),
            ]) { $1 })
    }

    private func csv(_ results: [SuccessionResult], view: HistoryView) -> String {
        let provenance = view.provenanceCSV
        var writer = CSVWriter(
            headers: provenance.headers + [
                "collaborative", "role", "subgroup", "position", "member", "appointment", "start", "end", "succeeds",
                "previous_holder", "gap_days", "handover", "flags", "slot_vacant",
            ])
        for result in results {
            for chain in result.chains {
                for (index, tenure) in chain.tenures.enumerated() {
                    let handover = index > 0 ? chain.handovers[index - 1] : nil
                    writer.addRow(
                        provenance.values + [
                            result.collaborative.rawValue, chain.slot.role.rawValue,
                            chain.slot.subgroup?.rawValue ?? "",
                            String(index + 1), tenure.member.rawValue, tenure.appointment.rawValue,
                            tenure.start.description, tenure.end?.description ?? "", tenure.succeeds?.rawValue ?? "",
                            tenure.previousHolder?.rawValue ?? "", handover?.gapDays.map(String.init) ?? "",
                            handover?.kind.rawValue ?? "",
                            PeopleCells.csvList(flags(tenure, after: handover, in: result.collaborative)),
                            String(chain.isVacant),
                        ])
                }
            }
        }
        return writer.text
    }
}
