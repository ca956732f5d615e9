import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the present state of every collaborative, from the stored present view.",
        discussion: """
            Examples:
              chronicle status
              chronicle status --json

            The present view is the state after every visible event (everything known
            now, on the latest day): per collaborative, the members active with their
            sector (and organisation) from their latest details, the counts by
            sector, the role slots with their holders and the vacant ones, the
            sub-groups with their status and the day of their last change, and the
            workshops and coaching sessions held. It is read from the checkpoint that
            appends keep within 1,000 events of the head, and the events after it are
            folded, so no history is replayed; a checkpoint that is missing or further
            behind (a store written by an older build) is reported on stderr. Every output
            states the last seq folded, its hash and the view's digest (see
            `chronicle rebuild` and `chronicle verify --projections`).
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Flag(name: .long, help: "Print the result as JSON.") var json = false

    func run() throws {
        let chronicle = try storeOptions.openChronicle()
        let (present, state, digest, summary, head) = try chronicle.log.read { view in
            let (present, state, digest) = try chronicle.reader.presentViewAndDigest(in: view)
            return (present, state, digest, try chronicle.reader.summary(of: present, in: view), try view.head())
        }
        switch state {
        case .current: break
        case .behind(let position) where present.lastSeq - position < chronicle.checkpointInterval:
            break  // appends store the checkpoint once every interval; folding the rest is the normal course
        case .behind(let position):
            printDiagnostic(
                "note: the present-view checkpoint is at seq \(position), behind the log (seq \(present.lastSeq)); "
                    + "folded the \(present.lastSeq - position) events after it")
        case .missing where present.lastSeq == 0:
            break
        case .missing:
            printDiagnostic(
                "note: no present-view checkpoint is stored; folded the \(present.lastSeq) events of the log "
                    + "(chronicle rebuild stores one)")
        case .unusable(let reason):
            printDiagnostic(
                "note: the present-view checkpoint cannot be used (\(reason)); folded the \(present.lastSeq) events "
                    + "of the log (chronicle rebuild stores a new one)")
        }
        if json {
            printJSON(PresentCells.json(summary, digest: digest, checkpoint: state, lastRecordedAt: head.recordedAt))
        } else {
            printLine(table(summary, digest: digest, lastRecordedAt: head.recordedAt))
        }
    }

    private func table(_ summary: PresentSummary, digest: ProjectionDigest, lastRecordedAt: Timestamp?) -> String {
        var lines = [
            "present view after seq \(summary.lastSeq) \(summary.lastHash) "
                + "(\(summary.retracted) \(summary.retracted == 1 ? "event" : "events") retracted)",
            // Stated because every append must read its clock at or after it (less a few minutes' tolerance):
            // an instant far ahead of the true time here is why appends are refused.
            "last recordedAt \(lastRecordedAt?.description ?? "none (empty log)")",
            "digest \(digest)", "",
        ]
        guard !summary.collaboratives.isEmpty else {
            return (lines + ["(no collaborative formed)"]).joined(separator: "\n")
        }
        var overview = Table(
            ["COLLABORATIVE", "MEMBERS", "SECTORS", "ROLE SLOTS", "VACANT", "SUB-GROUPS", "WORKSHOPS", "COACHING"],
            rightAligned: [1, 2, 3, 4, 5, 6, 7])
        for collaborative in summary.collaboratives {
            overview.add([
                collaborative.collaborative.rawValue, String(collaborative.members.count),
                String(collaborative.membersBySector.count), String(collaborative.roles.count),
                String(collaborative.vacantRoleSlots.count), String(collaborative.subgroups.count),
                String(collaborative.workshops), String(collaborative.coachingSessions),
            ])
        }
        lines.append(overview.render())
        for collaborative in summary.collaboratives {
            let vacant = collaborative.vacantRoleSlots.map(\.description)
            lines += [
                "",
                "\(collaborative.collaborative): \(collaborative.name) (formed \(collaborative.formedOn), "
                    + "programme start \(collaborative.programmeStart))",
                "  by sector:  " + PresentCells.sectorCounts(collaborative.membersBySector),
                "  vacant:     " + (vacant.isEmpty ? "none" : vacant.joined(separator: ", ")),
                "  sub-groups: "
                    + (collaborative.subgroupsByStatus.isEmpty
                        ? "none" : ReplayCells.statusCounts(collaborative.subgroupsByStatus)),
            ]
        }
        return lines.joined(separator: "\n")
    }
}

/// How `status` writes the present view.
enum PresentCells {
    /// `health 3, primary-school 2`, or `none`.
    static func sectorCounts(_ counts: [SectorCount]) -> String {
        counts.isEmpty ? "none" : counts.map { "\($0.sector.rawValue) \($0.count)" }.joined(separator: ", ")
    }

    /// The whole document of `status --json`; `lastRecordedAt` is the head's `recordedAt` (nil: an empty log).
    static func json(
        _ summary: PresentSummary, digest: ProjectionDigest, checkpoint: CheckpointState, lastRecordedAt: Timestamp?
    ) -> JSONValue {
        .object([
            "view": .string("present"), "lastSeq": .integer(Int64(clamping: summary.lastSeq)),
            "lastHash": .string(summary.lastHash.description), "digest": .string(digest.description),
            "lastRecordedAt": lastRecordedAt.map { .string($0.description) } ?? .null,
            "retracted": .integer(Int64(summary.retracted)), "checkpoint": checkpointJSON(checkpoint),
            "collaboratives": .array(summary.collaboratives.map(collaborativeJSON)),
        ])
    }

    private static func checkpointJSON(_ state: CheckpointState) -> JSONValue {
        let (name, position, reason): (String, UInt64?, String?) =
            switch state {
            case .current: ("current", nil, nil)
            case .behind(let position): ("behind", position, nil)
            case .missing: ("missing", nil, nil)
            case .unusable(let reason): ("unusable", nil, reason)
            }
        return .object([
            "name": .string(PresentView.checkpointName), "state": .string(name),
            "position": position.map { .integer(Int64(clamping: $0)) } ?? .null,
            "reason": reason.map { .string($0) } ?? .null,
        ])
    }

    private static func collaborativeJSON(_ collaborative: PresentCollaborative) -> JSONValue {
        .object([
            "collaborative": .string(collaborative.collaborative.rawValue), "name": .string(collaborative.name),
            "anchorOrganisation": .string(collaborative.anchorOrganisation),
            "programmeStart": .string(collaborative.programmeStart.description),
            "formedOn": .string(collaborative.formedOn.description),
            "members": .array(
                collaborative.members.map { member in
                    .object([
                        "member": .string(member.member.rawValue), "sector": .string(member.sector.rawValue),
                        "organisation": member.organisation.map { .string($0) } ?? .null,
                        "erased": .bool(member.erased), "since": .string(member.since.description),
                    ])
                }),
            "roles": .array(
                collaborative.roles.map { slot in
                    .object([
                        "role": .string(slot.slot.role.rawValue),
                        "subgroup": slot.slot.subgroup.map { .string($0.rawValue) } ?? .null,
                        "vacant": .bool(slot.isVacant), "holders": .array(slot.holders.map(ReplayCells.holderJSON)),
                    ])
                }),
            "subgroups": .array(
                collaborative.subgroups.map { subgroup in
                    .object([
                        "subgroup": .string(subgroup.subgroup.rawValue), "title": .string(subgroup.title),
                        "formedOn": .string(subgroup.formedOn.description), "status": .string(subgroup.status.rawValue),
                        "statusSince": .string(subgroup.statusSince.description),
                        "lastChange": .string(subgroup.lastChange.description),
                        "milestones": .integer(Int64(subgroup.milestones)),
                    ])
                }),
            "counts": .object([
                "members": .integer(Int64(collaborative.members.count)),
                "bySector": .object(
                    Dictionary(
                        uniqueKeysWithValues: collaborative.membersBySector.map {
                            ($0.sector.rawValue, JSONValue.integer(Int64($0.count)))
                        })),
                "roleSlots": .integer(Int64(collaborative.roles.count)),
                "vacantRoleSlots": .integer(Int64(collaborative.vacantRoleSlots.count)),
                "subgroups": .integer(Int64(collaborative.subgroups.count)),
                "subgroupsByStatus": ReplayCells.statusCountsJSON(collaborative.subgroupsByStatus),
                "workshops": .integer(Int64(collaborative.workshops)),
                "coachingSessions": .integer(Int64(collaborative.coachingSessions)),
            ]),
        ])
    }
}
