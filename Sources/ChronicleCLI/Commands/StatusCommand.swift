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
            folded, so no history is replayed, and read one collaborative at a time
            (output is written as it goes); a checkpoint that is missing or further
            behind (a store written by an older build) is reported on stderr. Every output
            states the last seq folded, its hash and the view's digest (see
            `chronicle rebuild` and `chronicle verify --projections`).
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Flag(name: .long, help: "Print the result as JSON.") var json = false

    /// The resident budget the store is opened with.
    static let residentBudget = ResidentBudget.status

    func run() throws {
        let chronicle = try storeOptions.openChronicle(budget: Self.residentBudget)
        // One collaborative at a time: the JSON is written as each is read, the table's rows kept (a few
        // numbers and lines each) until the overview's column widths are known.
        var output = StandardOutput()
        var table = StatusTable()
        var jsonEnd: [UInt8] = []
        var firstCollaborative = true
        try chronicle.log.read { view in
            let head = try view.head()
            try chronicle.reader.streamPresentView(in: view) { heading in
                note(heading.checkpoint, lastSeq: heading.lastSeq, interval: chronicle.checkpointInterval)
                if json {
                    let (start, end) = PresentCells.jsonAround(heading, lastRecordedAt: head.recordedAt)
                    output.write(bytes: start)
                    jsonEnd = end
                } else {
                    table.heading = heading
                    table.lastRecordedAt = head.recordedAt
                }
            } collaborative: { collaborative in
                if json {
                    if !firstCollaborative { output.write(",") }
                    firstCollaborative = false
                    output.write(bytes: PresentCells.collaborativeJSON(collaborative).canonicalBytes)
                } else {
                    table.add(collaborative)
                }
            }
        }
        if json {
            output.write(bytes: jsonEnd + [0x0A])
        } else {
            output.write(table.render() + "\n")
        }
        output.flush()
    }

    /// Says on stderr when the checkpoint was not read as appends keep it.
    private func note(_ state: CheckpointState, lastSeq: UInt64, interval: UInt64) {
        switch state {
        case .current: break
        case .behind(let position) where lastSeq - position < interval:
            break  // appends store the checkpoint once every interval; folding the rest is the normal course
        case .behind(let position):
            printDiagnostic(
                "note: the present-view checkpoint is at seq \(position), behind the log (seq \(lastSeq)); "
                    + "folded the \(lastSeq - position) events after it")
        case .missing where lastSeq == 0:
            break
        case .missing:
            printDiagnostic(
                "note: no present-view checkpoint is stored; folded the \(lastSeq) events of the log "
                    + "(chronicle rebuild stores one)")
        case .unusable(let reason):
            printDiagnostic(
                "note: the present-view checkpoint cannot be used (\(reason)); folded the \(lastSeq) events "
                    + "of the log (chronicle rebuild stores a new one)")
        }
    }
}

/// The table `status` prints: the heading, an overview row per collaborative, then each one's details.
struct StatusTable {
    var heading: PresentViewHeading?
    var lastRecordedAt: Timestamp?
    private var overview = Table(
        ["COLLABORATIVE", "MEMBERS", "SECTORS", "ROLE SLOTS", "VACANT", "SUB-GROUPS", "WORKSHOPS", "COACHING"],
        rightAligned: [1, 2, 3, 4, 5, 6, 7])
    private var details: [String] = []

    /// Adds a collaborative's row and details (the next in slug order).
    mutating func add(_ collaborative: PresentCollaborative) {
        overview.add([
            collaborative.collaborative.rawValue, String(collaborative.members.count),
            String(collaborative.membersBySector.count), String(collaborative.roles.count),
            String(collaborative.vacantRoleSlots.count), String(collaborative.subgroups.count),
            String(collaborative.workshops), String(collaborative.coachingSessions),
        ])
        let vacant = collaborative.vacantRoleSlots.map(\.description)
        details += [
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

    /// The whole table, without a final newline.
    func render() -> String {
        let lastSeq = heading?.lastSeq ?? 0
        let retracted = heading?.retracted ?? 0
        var lines = [
            "present view after seq \(lastSeq) \(heading?.lastHash ?? .genesis) "
                + "(\(retracted) \(retracted == 1 ? "event" : "events") retracted)",
            // Stated because every append must read its clock at or after it (less a few minutes' tolerance):
            // an instant far ahead of the true time here is why appends are refused.
            "last recordedAt \(lastRecordedAt?.description ?? "none (empty log)")",
            "digest \(heading.map { $0.digest.description } ?? PresentView.empty.digest.description)", "",
        ]
        guard !details.isEmpty else { return (lines + ["(no collaborative formed)"]).joined(separator: "\n") }
        lines.append(overview.render())
        lines += details
        return lines.joined(separator: "\n")
    }
}

/// How `status` writes the present view.
enum PresentCells {
    /// `health 3, primary-school 2`, or `none`.
    static func sectorCounts(_ counts: [SectorCount]) -> String {
        counts.isEmpty ? "none" : counts.map { "\($0.sector.rawValue) \($0.count)" }.joined(separator: ", ")
    }

    /// The document of `status --json` around its `collaboratives` array: the bytes up to the array's
    /// opening bracket, and those from its closing bracket, so that the collaboratives can be written
    /// between them one at a time (`lastRecordedAt` is the head's `recordedAt`; nil: an empty log). Split
    /// from the canonical text of the document with an empty array, the whole is byte for byte what one
    /// JSON value of the whole view would give.
    static func jsonAround(_ heading: PresentViewHeading, lastRecordedAt: Timestamp?) -> (
        start: [UInt8], end: [UInt8]
    ) {
        let document = JSONValue.object([
            "view": .string("present"), "lastSeq": .integer(Int64(clamping: heading.lastSeq)),
            "lastHash": .string(heading.lastHash.description), "digest": .string(heading.digest.description),
            "lastRecordedAt": lastRecordedAt.map { .string($0.description) } ?? .null,
            "retracted": .integer(Int64(heading.retracted)), "checkpoint": checkpointJSON(heading.checkpoint),
            "collaboratives": .array([]),
        ]).canonicalBytes
        // A key's quotes cannot occur unescaped inside a string value, so this is the key's place.
        let marker = Array(#""collaboratives":["#.utf8)
        guard let at = document.firstRange(of: marker) else { return (document, []) }
        return (Array(document[..<at.upperBound]), Array(document[at.upperBound...]))
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

    /// One collaborative in the `collaboratives` array of `status --json`.
    static func collaborativeJSON(_ collaborative: PresentCollaborative) -> JSONValue {
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
