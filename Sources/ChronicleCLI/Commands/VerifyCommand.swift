import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract:
            "Check the hash chain and every index (and, with --projections, the stored projections; with --rules, "
            + "every event against the domain rules).",
        discussion: """
            Examples:
              chronicle verify --store ./programme-store
              chronicle verify --projections
              chronicle verify --rules --json

            Walks the whole log once: seq gapless, every hash = SHA-256(previous hash ‖ event), recordedAt
            never decreasing, every index entry present and no extra ones, the stored head matching.
            Exit 0 with one summary line when sound; exit 1 naming the first fault otherwise.

            With --projections, and a sound chain, every projection (the present view that
            `chronicle status` reads) is then derived again from the log and compared with its
            stored checkpoint by SHA-256 digest, at the checkpoint's position: a difference is a
            fault naming the projection and both digests. A checkpoint that is missing or behind
            the log is reported but is not a fault: it is derived data, which the next append (or
            `chronicle rebuild`) brings up to date. The tag index (which the rule checks and
            one-collaborative queries read instead of the whole log) is derived again too: every
            event's tags present and nothing more, up to the index's position.

            With --rules, and a sound chain, every event is checked against the domain rules exactly as
            an append of it at its place in the log would have been: against the log before it, with
            its own dates ("today" for the future-date rule is the London day it was recorded). An
            event that breaks a rule, or makes an earlier-recorded one invalid, is listed (the first
            \(HistoryReader.defaultRuleAuditLimit), the rest counted) and is a fault. Such events can reach a
            store past the client's checks: a PostgreSQL recorder running their own code, a store written
            by an older build with fewer rules, a restore. A listed event stays applied, so one bad event
            is not reported again through every later one.

            Deriving the projections spills them to a temporary file in $TMPDIR (or
            /tmp) as they are folded, so that memory stays bounded: that directory
            must be writable.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Flag(name: .long, help: "Print the result as JSON.") var json = false
    @Flag(name: .long, help: "Also derive every projection again from the log and compare it with its checkpoint.")
    var projections = false
    @Flag(name: .long, help: "Also check every event against the domain rules, as an append of it would have.")
    var rules = false

    /// The resident budget the chain's walk opens the store with: its heap is a few MB, and it looks each
    /// event up in four indexes at random, so the larger the budget the fewer pages it faults in again.
    static let chainBudget = ResidentBudget.verify

    /// The resident budget the store is opened with again, after the chain's walk, for `--projections` (the
    /// derived view's heap leaves less) or `--rules` (the rule model's heap grows with the log: the default).
    var residentBudget: ResidentBudget { rules ? .standard : (projections ? .verifyProjections : .verify) }

    func run() throws {
        // The walk's store is let go before the next phases open it again with their budget (one environment
        // per path per process). Each phase reads its own snapshot, as it did with one store.
        let report = try storeOptions.openLog(budget: Self.chainBudget).verify()
        let reader =
            (projections || rules) && report.isSound
            ? HistoryReader(log: try storeOptions.openLog(budget: residentBudget)) : nil
        var checks: [CheckpointComparison]?
        var tags: TagIndexCheck?
        if projections, let reader {
            var bar = ProgressBar(label: "verifying \(PresentView.checkpointName)")
            let rebuild = try reader.rederivePresentView { done, total in bar.update(done, of: total) }
            bar.finish()
            checks = [rebuild.comparison]
            var tagBar = ProgressBar(label: "verifying the tag index")
            tags = try reader.verifyTagIndex { done, total in tagBar.update(done, of: total) }
            tagBar.finish()
        }
        var audit: RuleAuditReport?
        if rules, let reader {
            var bar = ProgressBar(label: "verifying the rules")
            audit = try reader.verifyRules { done, total in bar.update(done, of: total) }
            bar.finish()
        }
        let ruleFault = audit?.findings.first.map(Self.problem)
        let projectionFault =
            checks?.lazy.compactMap { Self.fault($0, head: report.head.seq) }.first
            ?? tags?.fault.map { "tag index: \($0)" }
        let sound = report.isSound && projectionFault == nil && ruleFault == nil
        if json {
            var document: [String: JSONValue] = [
                "sound": .bool(sound), "events": .integer(Int64(clamping: report.eventCount)),
                "head": report.head.json,
                "fault": report.fault.map { fault in
                    .object([
                        "seq": fault.seq.map { .integer(Int64(clamping: $0)) } ?? .null,
                        "problem": .string(fault.problem),
                    ])
                } ?? projectionFault.map { .object(["seq": .null, "problem": .string($0)]) }
                    ?? audit?.findings.first.map { finding in
                        .object([
                            "seq": .integer(Int64(clamping: finding.seq)), "problem": .string(Self.problem(finding)),
                        ])
                    } ?? .null,
            ]
            if rules { document["rules"] = audit.map(Self.rulesJSON) ?? .null }
            if projections {
                document["projections"] =
                    checks.map { checks in
                        .array(
                            checks.map { check in
                                var object = RebuildCommand.comparisonJSON(check)
                                if case .object(var fields) = object {
                                    fields["name"] = .string(PresentView.checkpointName)
                                    fields["behind"] = .bool(Self.isBehind(check, head: report.head.seq))
                                    object = .object(fields)
                                }
                                return object
                            })
                    } ?? .null
                document["tagIndex"] =
                    tags.map { tags in
                        .object([
                            "position": .integer(Int64(clamping: tags.position)),
                            "entries": .integer(Int64(tags.entries)), "sound": .bool(tags.isSound),
                            "problem": tags.fault.map(JSONValue.string) ?? .null,
                        ])
                    } ?? .null
            }
            printJSON(.object(document))
        } else if report.isSound {
            printLine("ok: \(report.eventCount) events, chain and indexes sound, head \(report.head.hash)")
            for check in checks ?? [] where Self.fault(check, head: report.head.seq) == nil {
                printLine(Self.summary(check, head: report.head.seq))
            }
            if let tags, tags.isSound {
                printLine(
                    "ok: tag index holds the \(tags.entries) entries the log implies through seq \(tags.position)")
            }
            if let audit {
                printLine(
                    audit.isClean
                        ? "ok: all \(audit.checkedThrough) events pass the domain rules, each judged as its append was"
                        : Self.table(audit))
            }
        }
        if let fault = report.fault {
            // How far the chain checked out, so that a damaged store says what of it can still be trusted.
            let checked =
                report.eventCount == 0 ? "no event checked" : "chain sound through seq \(report.eventCount)"
            throw CLIError.failure("verify failed at \(fault) (\(checked))")
        }
        if let projectionFault {
            throw CLIError.failure("verify failed: \(projectionFault)")
        }
        if let audit, let ruleFault {
            let events = audit.count == 1 ? "1 event breaks" : "\(audit.count) events break"
            throw CLIError.failure("verify failed: \(events) a domain rule; the first: \(ruleFault)")
        }
    }

    /// A rule finding in one line.
    private static func problem(_ finding: RuleAuditFinding) -> String {
        "event \(finding.id.uuidString.lowercased()) (seq \(finding.seq), \(finding.eventType), "
            + "\(finding.occurredAt.canonicalText)) breaks rule \(finding.rule.rawValue): \(finding.message)"
    }

    /// The findings as a table, with a line counting those not listed.
    private static func table(_ audit: RuleAuditReport) -> String {
        var table = Table(["SEQ", "OCCURRED", "TYPE", "RULE", "PROBLEM"], rightAligned: [0])
        for finding in audit.findings {
            table.add([
                String(finding.seq), finding.occurredAt.canonicalText, finding.eventType, finding.rule.rawValue,
                finding.message,
            ])
        }
        let rest = audit.unlisted == 0 ? "" : "\n… and \(audit.unlisted) more events that break a rule"
        return table.render() + rest
    }

    /// The `rules` member of the JSON output.
    private static func rulesJSON(_ audit: RuleAuditReport) -> JSONValue {
        .object([
            "checkedThrough": .integer(Int64(clamping: audit.checkedThrough)), "sound": .bool(audit.isClean),
            "count": .integer(Int64(audit.count)), "unlisted": .integer(Int64(audit.unlisted)),
            "violations": .array(
                audit.findings.map { finding in
                    .object([
                        "seq": .integer(Int64(clamping: finding.seq)),
                        "id": .string(finding.id.uuidString.lowercased()),
                        "type": .string(finding.eventType), "occurredAt": .string(finding.occurredAt.canonicalText),
                        "rule": .string(finding.rule.rawValue), "message": .string(finding.message),
                        "invalidated": finding.invalidated.map { .string($0.uuidString.lowercased()) } ?? .null,
                    ])
                }),
        ])
    }

    /// The fault a comparison is, if it is one: only a difference.
    private static func fault(_ check: CheckpointComparison, head: UInt64) -> String? {
        guard case .differed(let position, let stored, let rebuilt) = check else { return nil }
        let name = PresentView.checkpointName
        if position > head {
            return "projection \(name): its checkpoint claims seq \(position), beyond the head of the log "
                + "(seq \(head)): stored \(stored), rebuilt at the head \(rebuilt)"
        }
        return "projection \(name) differs from its checkpoint at seq \(position): stored \(stored), rebuilt \(rebuilt)"
    }

    private static func isBehind(_ check: CheckpointComparison, head: UInt64) -> Bool {
        guard case .matched(let position, _) = check else { return false }
        return position < head
    }

    private static func summary(_ check: CheckpointComparison, head: UInt64) -> String {
        let name = PresentView.checkpointName
        switch check {
        case .matched(let position, let digest) where position < head:
            return "ok: projection \(name) matches the log up to its checkpoint at seq \(position) (digest \(digest)); "
                + "it is behind the head (seq \(head)) until the next append or chronicle rebuild"
        case .matched(let position, let digest):
            return "ok: projection \(name) matches its checkpoint at seq \(position) (digest \(digest))"
        case .missing where head == 0:
            return "ok: projection \(name) has nothing to check in an empty log"
        case .missing:
            return "note: projection \(name) has no checkpoint stored (the next append or chronicle rebuild stores one)"
        case .differed:
            return fault(check, head: head) ?? ""
        }
    }
}
