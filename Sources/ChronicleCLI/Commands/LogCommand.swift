import ArgumentParser
import Collaboratives
import EventLog
import Foundation

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the history as a table or JSON, filtered.",
        discussion: """
            Examples:
              chronicle log --collaborative oldham --from 2023-09-01 --to 2024-08-31
              chronicle log --member ol-17 --reverse
              chronicle log --type WorkshopHeld --recorded-since 2024-01-01 --json

            --from/--to filter on occurredAt (when it happened, Europe/London days, inclusive);
            --recorded-since filters on recordedAt (when it was written down). Retracted events stay in
            the history and are marked; a retraction is shown with the events it matches.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(
        name: .long, help: ArgumentHelp("Only events of this collaborative.", valueName: "slug"),
        completion: .collaborativeSlugs)
    var collaborative: String?
    @Option(
        name: .long, help: ArgumentHelp("Only events naming this member.", valueName: "slug"), completion: .memberSlugs)
    var member: String?
    @Option(
        name: .long, help: ArgumentHelp("Only events of this sub-group.", valueName: "slug"), completion: .subgroupSlugs
    ) var subgroup: String?
    @Option(
        name: .long,
        help: ArgumentHelp("Only events of this type (repeatable; MemberJoined or member-joined).", valueName: "type"),
        completion: .eventTypes)
    var type: [String] = []
    @Option(name: .long, help: ArgumentHelp("Occurred on or after this day.", valueName: "date")) var from: String?
    @Option(name: .long, help: ArgumentHelp("Occurred on or before this day.", valueName: "date")) var to: String?
    @Option(
        name: .long, help: ArgumentHelp("Recorded at or after this date or RFC 3339 instant (UTC).", valueName: "time"))
    var recordedSince: String?
    @Option(name: .long, help: ArgumentHelp("Show at most this many events.", valueName: "n")) var limit: Int?
    @Flag(name: .long, help: "Newest first.") var reverse = false
    @Flag(name: .long, help: "Print JSON instead of a table.") var json = false

    /// The resident budget the store is opened with: a larger one for the events of one collaborative (a
    /// scan of the whole log holding only its rows), the default when every row printed is held.
    var residentBudget: ResidentBudget { collaborative == nil ? .standard : .collaborativeLog }

    func run() throws {
        let filter = try makeFilter()
        let chronicle = try storeOptions.openChronicle(budget: residentBudget)
        let decoder = chronicle.reader.decoder
        // What is held is what is printed (the rows, at most `--limit` of them) and what links them; the
        // per-member state is kept only for the collaborative asked about, so that the memory `log` needs
        // follows its result, not the log (issue 19).
        var rows: [(event: RecordedEvent, domain: DomainEvent)] = []
        // A retraction's retractor is kept only for a row held: its target always comes before it.
        var retractedBy: [UUID: UUID] = [:]
        // The owners of the sub-groups, needed only to tell which collaborative an event is about.
        var subgroupCollaborative: [Slug: Slug] = [:]
        var membersOfCollaborative = Set<Slug>()
        var collaborativeKnown = filter.collaborative == nil
        var memberKnown = filter.member == nil
        var subgroupKnown = filter.subgroup == nil
        var subjectMatchedIDs = Set<UUID>()
        var links = LogLinks()
        let (head, keys) = try chronicle.log.read { view in
            // Names recorded through the tag index's position are read through it at the end, for the rows'
            // members only; later ones are kept as the pass meets them.
            links = LogLinks(tagPosition: try view.tagScheme() == EventTag.scheme ? view.tagIndexPosition() : 0)
            // The targets of retractions, read a chunk at a time (on LMDB a lookup per id, on PostgreSQL one
            // request per chunk), decoded only for the correction check.
            let lookUp: LogLinks.LookUp = { ids in
                try view.events(ids: ids).mapValues { ($0, try decoder.decode($0)) }
            }
            try view.scan(from: 1, direction: .forward) { event in
                let domain = try decoder.decode(event)
                switch domain {
                case .collaborativeFormed(let formed):
                    if formed.collaborative == filter.collaborative { collaborativeKnown = true }
                case .subGroupFormed(let formed):
                    if formed.subgroup == filter.subgroup { subgroupKnown = true }
                    if filter.collaborative != nil { subgroupCollaborative[formed.subgroup] = formed.collaborative }
                case .memberJoined(let joined):
                    if joined.member == filter.member { memberKnown = true }
                    if joined.collaborative == filter.collaborative { membersOfCollaborative.insert(joined.member) }
                case .eventRetracted(let retraction):
                    if links.isHeld(retraction.event) { retractedBy[retraction.event] = event.id }
                default: break
                }
                // A retraction has no subject of its own: it is shown under its target's subject.
                var aboutSubject = filter.matchesSubject(
                    domain, subgroupCollaborative: subgroupCollaborative, membersOfCollaborative: membersOfCollaborative
                )
                if case .eventRetracted(let retraction) = domain, filter.hasSubjectFilter {
                    aboutSubject = subjectMatchedIDs.contains(retraction.event)
                }
                if aboutSubject && filter.hasSubjectFilter { subjectMatchedIDs.insert(event.id) }
                if aboutSubject && filter.matchesEnvelope(event) {
                    // Oldest first, the rows past the limit are never printed; newest first, only the last
                    // `limit` are, so the older ones are dropped a limit's worth at a time (compared
                    // without doubling the limit, which a limit near Int.max would overflow).
                    let shown = limit.map { max(0, $0) }
                    if let shown, !reverse, rows.count >= shown {
                        try links.note(event, domain, lookUp: lookUp)
                        return true
                    }
                    rows.append((event, domain))
                    links.hold(event, domain)
                    if let shown, reverse, rows.count - min(shown, rows.count) >= max(1, shown) {
                        rows.removeFirst(rows.count - shown)
                        let kept = Set(rows.map(\.event.id))
                        retractedBy = retractedBy.filter { kept.contains($0.key) }
                        links.keepOnly(rows, retractedBy: retractedBy)
                    }
                }
                // Noted once this event is known to be a row or not: what is kept depends on it.
                try links.note(event, domain, lookUp: lookUp)
                return true
            }
            try links.resolve(lookUp: lookUp)
            try links.lookUpNames(view: view, decoder: decoder) { chronicle.log.releaseReadMemory() }
            return (try view.head(), try PersonalDataKeys(view: view, members: links.rowMembers))
        }
        if !collaborativeKnown || !memberKnown || !subgroupKnown {
            try filter.requireKnown(in: chronicle)
        }
        if reverse { rows = Array(rows.suffix(limit.map { max(0, $0) } ?? rows.count).reversed()) }
        if json {
            printJSON(
                .object([
                    "head": head.json,
                    "events": .array(
                        rows.map { row in
                            var object: [String: JSONValue] = ["event": row.event.json(chronicle, keys: keys)]
                            if let by = retractedBy[row.event.id] {
                                object["retractedBy"] = .string(by.uuidString.lowercased())
                            }
                            if let replacement = links.replacedBy[row.event.id] {
                                object["replacedBy"] = .string(replacement.uuidString.lowercased())
                            }
                            if let original = links.replaces[row.event.id] {
                                object["replaces"] = .string(original.uuidString.lowercased())
                            }
                            return .object(object)
                        }),
                ]))
            return
        }
        var table = Table(["SEQ", "OCCURRED", "RECORDED", "BY", "TYPE", "WHAT", "ID"], rightAligned: [0])
        table.highlight(column: 5) { $0.contains(" [retracted") ? .yellow : nil }
        for row in rows {
            table.add([
                String(row.event.seq), OccurredAt(row.event.occurredAt).canonicalText,
                String(row.event.recordedAt.description.prefix(16)).replacingOccurrences(of: "T", with: " "),
                row.event.recordedBy, row.event.type,
                links.described(row.event, row.domain, keys: keys, retractedBy: retractedBy[row.event.id]),
                row.event.shortID,
            ])
        }
        printLine(table.render())
        printDiagnostic("\(rows.count) events; head seq \(head.seq) \(head.hash)")
    }

    private func makeFilter() throws -> LogFilter {
        func slug(_ text: String?, _ flag: String) throws -> Slug? {
            guard let text else { return nil }
            guard let slug = Slug(text) else {
                throw CLIError.usage("--\(flag): \(text.debugDescription) is not a slug")
            }
            return slug
        }
        func day(_ text: String?, _ flag: String) throws -> Day? {
            guard let text else { return nil }
            guard let day = Day(parsing: text) else {
                throw CLIError.usage("--\(flag): \(text.debugDescription) is not a date (YYYY-MM-DD)")
            }
            return day
        }
        var types = Set<String>()
        for name in type {
            let canonical = DomainEvent.typeNames.first {
                $0 == name || FlagNames.kebab($0).dropFirst() == name || FlagNames.kebab($0) == name
            }
            guard let canonical else {
                // Compared in kebab case (`workshop-held`), which is a slug: `WorkshopHeldd` → WorkshopHeld.
                let kebabNames = Dictionary(
                    DomainEvent.typeNames.compactMap { type in
                        Slug(String(FlagNames.kebab(type).dropFirst())).map { ($0, type) }
                    },
                    uniquingKeysWith: { first, _ in first })
                let typed = FlagNames.kebab(name).drop { $0 == "-" }
                if let near = Slug(String(typed)).flatMap({ $0.nearest(among: kebabNames.keys) }),
                    let type = kebabNames[near]
                {
                    throw CLIError.usage("--type: unknown event type \(name.debugDescription); did you mean \(type)?")
                }
                throw CLIError.usage(
                    "--type: unknown event type \(name.debugDescription) (known: \(DomainEvent.typeNames.joined(separator: ", ")))"
                )
            }
            types.insert(canonical)
        }
        var since: Timestamp?
        if let recordedSince {
            if let instant = Timestamp(rfc3339: recordedSince) {
                since = instant
            } else if let day = Day(parsing: recordedSince) {
                since = Timestamp(microsecondsSinceEpoch: Int64(day.daysSinceEpoch) * 86_400_000_000)
            } else {
                throw CLIError.usage(
                    "--recorded-since: \(recordedSince.debugDescription) is neither a date nor an RFC 3339 instant")
            }
        }
        return LogFilter(
            collaborative: try slug(collaborative, "collaborative"), member: try slug(member, "member"),
            subgroup: try slug(subgroup, "subgroup"), types: types, from: try day(from, "from"), to: try day(to, "to"),
            recordedSince: since)
    }
}

/// The filters of `chronicle log`.
struct LogFilter {
    let collaborative: Slug?
    let member: Slug?
    let subgroup: Slug?
    let types: Set<String>
    let from: Day?
    let to: Day?
    let recordedSince: Timestamp?

    var hasSubjectFilter: Bool { collaborative != nil || member != nil || subgroup != nil }

    /// Refuses (exit 65, with a "did you mean") a subject filter that names nothing in the log: a
    /// collaborative never formed, a member who never joined, a sub-group never formed.
    func requireKnown(collaboratives: Set<Slug>, members: Set<Slug>, subgroups: Set<Slug>) throws {
        if let collaborative, !collaboratives.contains(collaborative) {
            throw CLIError.unknownSlug(
                collaborative, flag: "--collaborative", kind: "collaborative", known: collaboratives)
        }
        if let member, !members.contains(member) {
            throw CLIError.unknownSlug(member, flag: "--member", kind: "member", known: members)
        }
        if let subgroup, !subgroups.contains(subgroup) {
            throw CLIError.unknownSlug(subgroup, flag: "--subgroup", kind: "sub-group", known: subgroups)
        }
    }

    /// Refuses, as ``requireKnown(collaboratives:members:subgroups:)`` does, a subject filter that names
    /// nothing in the log: the slugs the log knows are gathered in a second pass, only then, since a
    /// query that names a known subject keeps no list of them.
    func requireKnown(in chronicle: Chronicle) throws {
        var collaboratives = Set<Slug>()
        var members = Set<Slug>()
        var subgroups = Set<Slug>()
        try chronicle.log.read { view in
            try view.scan(from: 1, direction: .forward) { event in
                switch try chronicle.reader.decoder.decode(event) {
                case .collaborativeFormed(let formed): collaboratives.insert(formed.collaborative)
                case .subGroupFormed(let formed): subgroups.insert(formed.subgroup)
                case .memberJoined(let joined): members.insert(joined.member)
                default: break
                }
                return true
            }
        }
        try requireKnown(collaboratives: collaboratives, members: members, subgroups: subgroups)
    }

    /// The filters on envelope fields: type, valid time and transaction time.
    func matchesEnvelope(_ event: RecordedEvent) -> Bool {
        if !types.isEmpty && !types.contains(event.type) { return false }
        let day = OccurredAt(event.occurredAt).localDay
        if let from, day < from { return false }
        if let to, day > to { return false }
        if let recordedSince, event.recordedAt < recordedSince { return false }
        return true
    }

    /// The filters on what the event is about: collaborative, member, sub-group.
    ///
    /// An event is about the collaboratives it names and the one its sub-group was formed in
    /// (`subgroupCollaborative`, the sub-groups formed so far); one that names neither is about the
    /// collaboratives its members had joined by then, so for `--collaborative` it matches when one of them is
    /// in `membersOfCollaborative` (those who had joined that collaborative so far).
    func matchesSubject(
        _ domain: DomainEvent, subgroupCollaborative: [Slug: Slug], membersOfCollaborative: Set<Slug>
    ) -> Bool {
        if let collaborative {
            var named = domain.collaborativesNamed
            if let group = domain.subgroupNamed, let owner = subgroupCollaborative[group] { named.append(owner) }
            let about =
                named.isEmpty
                ? domain.membersNamed.contains(where: membersOfCollaborative.contains) : named.contains(collaborative)
            if !about { return false }
        }
        if let member, !domain.membersNamed.contains(member) { return false }
        if let subgroup, domain.subgroupNamed != subgroup { return false }
        return true
    }
}
