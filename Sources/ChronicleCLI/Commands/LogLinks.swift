import Collaboratives
import EventLog
import Foundation

/// What `chronicle log`'s table says beside each event's summary: the names of the members it names, its
/// attendees, and the links between a retraction, the event it retracts and the event that replaced it.
///
/// A correction (`chronicle correct`) appends the retraction and the corrected event in one batch, the one
/// right after the other with one `recordedAt`: an event found there that stands for the same thing as the
/// retracted one is its replacement (``CorrectionLink``). Built in one pass over the log, in `seq` order.
///
/// Only what the rows held (``hold(_:_:)``) can print is kept, so that what `log` holds follows its result,
/// not the log (issue 19): the links of a retraction that is a row, or whose target or replacement is one,
/// and the names of the members the rows name.
struct LogLinks {
    /// The seqs of the events a link names (retractions, their targets, replacements): only those, so that
    /// a pass over a large log holds what its links need rather than every event.
    private var seqs: [UUID: UInt64] = [:]
    /// The latest name recorded, through ``tagPosition``, of each member named by a row held, since that
    /// member was first named by one (an earlier name is read at the end: ``lookUpNames(view:decoder:)``).
    private var names: [Slug: PersonalText] = [:]
    /// The latest name recorded after ``tagPosition``, of any member: the tag index cannot find it.
    private var laterNames: [Slug: PersonalText] = [:]
    /// The seq through which the tag index finds each member's names (0 when it cannot be used).
    private let tagPosition: UInt64
    /// The ids of the rows held.
    private(set) var held = Set<UUID>()
    /// The members the rows held name.
    private(set) var rowMembers = Set<Slug>()
    /// How many members' names are kept (for tests: it follows the rows, not the log).
    var namesKept: Int { names.count + laterNames.count }
    /// How many events' seqs are kept for links (for tests).
    var linkSeqsKept: Int { seqs.count }
    /// The retractions noted and not yet linked, each with the event right after it (a correction's
    /// replacement, perhaps): their targets are read ``chunkSize`` at a time rather than one round trip
    /// each, and while the pass goes on, so that what is held waiting does not grow with the log (issue 19).
    private var retractions: [Retraction] = []
    /// Whether the last event noted was a retraction (the next one is its candidate replacement).
    private var lastWasRetraction = false
    /// How many noted retractions wait at most before their targets are read.
    private let chunkSize: Int
    /// The event that replaced a corrected one, by the corrected event's id.
    private(set) var replacedBy: [UUID: UUID] = [:]
    /// The event a correction replaces, by the correction's id.
    private(set) var replaces: [UUID: UUID] = [:]

    /// Reads the stored events with the given ids (those not found are left out).
    typealias LookUp = ([UUID]) throws -> [UUID: (event: RecordedEvent, domain: DomainEvent)]

    /// `chunkSize`: how many retractions wait at most before their targets are read in one request.
    /// `tagPosition`: the seq through which the tag index finds each member's joins and details changes
    /// (0: it cannot be used, and every name is kept as the pass meets it).
    init(chunkSize: Int = 10_000, tagPosition: UInt64 = 0) {
        self.chunkSize = max(1, chunkSize)
        self.tagPosition = tagPosition
    }

    /// Whether the row with `id` is held.
    func isHeld(_ id: UUID) -> Bool { held.contains(id) }

    /// A row held: its links and its members' names are kept from now on.
    mutating func hold(_ event: RecordedEvent, _ domain: DomainEvent) {
        held.insert(event.id)
        rowMembers.formUnion(domain.membersNamed)
    }

    /// Forgets what only rows no longer held needed (`--reverse --limit` drops the older rows): `rows` are
    /// those still held, `retractedBy` their retractions.
    mutating func keepOnly(_ rows: [(event: RecordedEvent, domain: DomainEvent)], retractedBy: [UUID: UUID]) {
        held = Set(rows.map(\.event.id))
        rowMembers = Set(rows.flatMap(\.domain.membersNamed))
        names = names.filter { rowMembers.contains($0.key) }
        var targets = Set<UUID>()
        for row in rows {
            if case .eventRetracted(let retraction) = row.domain { targets.insert(retraction.event) }
        }
        replacedBy = replacedBy.filter { held.contains($0.key) || targets.contains($0.key) }
        replaces = replaces.filter { held.contains($0.key) }
        var needed = held.union(targets).union(retractedBy.values)
        needed.formUnion(replacedBy.values)
        needed.formUnion(replaces.values)
        seqs = seqs.filter { needed.contains($0.key) }
    }

    /// A retraction noted: its target's id, its seq and time, and the event that followed it when that
    /// event can be its replacement.
    private struct Retraction {
        let id: UUID
        let targetID: UUID
        let seq: UInt64
        let recordedAt: Timestamp
        var next: (id: UUID, domain: DomainEvent, occurredAt: OccurredAt, seq: UInt64, recordedAt: Timestamp)?
    }

    /// Takes the next event of the log into account; once ``chunkSize`` retractions wait, reads their
    /// targets with `lookUp` and links them (the last ones wait for ``resolve(lookUp:)``).
    mutating func note(_ event: RecordedEvent, _ domain: DomainEvent, lookUp: LookUp) throws {
        // Only an event recorded with the retraction, right after it, can be its replacement, and never
        // another retraction (see `CorrectionLink`): only such an event is kept.
        if lastWasRetraction, let last = retractions.last, last.recordedAt == event.recordedAt,
            event.seq == last.seq + 1
        {
            switch domain {
            case .eventRetracted: break
            default:
                retractions[retractions.count - 1].next = (
                    event.id, domain, OccurredAt(event.occurredAt), event.seq, event.recordedAt
                )
            }
        }
        lastWasRetraction = false
        // Every retraction waiting now has its follower settled: they can be linked.
        if retractions.count >= chunkSize { try resolve(lookUp: lookUp) }
        switch domain {
        case .eventRetracted(let retraction):
            retractions.append(
                .init(id: event.id, targetID: retraction.event, seq: event.seq, recordedAt: event.recordedAt))
            lastWasRetraction = true
        case .memberJoined(let joined): if let name = joined.name { noteName(name, of: joined.member, at: event.seq) }
        case .memberDetailsChanged(let changed):
            if let name = changed.name { noteName(name, of: changed.member, at: event.seq) }
        default: break
        }
    }

    /// Keeps `member`'s name recorded at `seq` when a row held names them, or when the tag index cannot
    /// find it later.
    private mutating func noteName(_ name: PersonalText, of member: Slug, at seq: UInt64) {
        if seq > tagPosition {
            laterNames[member] = name
        } else if rowMembers.contains(member) {
            names[member] = name
        }
    }

    /// Reads, through the tag index, the latest name of each member the rows name whose name was recorded
    /// before a row named them (and not since): one request for their joins and details changes, one for
    /// those events, a chunk of members at a time. `release` is called after each chunk: those events lie
    /// anywhere in the file, and the pages their reads map would otherwise stay until the store's next
    /// check of its page budget, 512 reads later (40 MB more at 1M).
    mutating func lookUpNames(view: any LogView, decoder: EventDecoder, release: () -> Void = {}) throws {
        guard tagPosition > 0 else { return }
        let missing = rowMembers.filter { names[$0] == nil && laterNames[$0] == nil }.sorted()
        var start = 0
        while start < missing.count {
            defer { release() }
            let chunk = missing[start..<min(missing.count, start + min(chunkSize, 32))]
            start += chunk.count
            let tagged = try view.taggedSeqs(forEach: chunk.map(EventTag.person), through: tagPosition)
            let stored = try view.events(at: tagged.values.flatMap { $0 })
            for seq in stored.keys.sorted() {
                guard let event = stored[seq] else { continue }
                switch try decoder.decode(event) {
                case .memberJoined(let joined): if let name = joined.name { names[joined.member] = name }
                case .memberDetailsChanged(let changed):
                    if let name = changed.name { names[changed.member] = name }
                default: break
                }
            }
        }
    }

    /// Links each retraction waiting to its target and, for a correction, to the event that replaced it;
    /// `lookUp` reads the stored events with the given ids (one request for all of them: on PostgreSQL a
    /// round trip per retraction was most of `log`'s time). Of each target only its seq is kept.
    mutating func resolve(lookUp: LookUp) throws {
        guard !retractions.isEmpty else { return }
        let stored = try lookUp(retractions.map(\.targetID))
        for retraction in retractions {
            // A retraction, its target and its replacement are printed only when one of them is a row.
            guard
                held.contains(retraction.id) || held.contains(retraction.targetID)
                    || retraction.next.map({ held.contains($0.id) }) ?? false
            else { continue }
            seqs[retraction.id] = retraction.seq
            guard let target = stored[retraction.targetID] else { continue }
            seqs[retraction.targetID] = target.event.seq
            // Only an earlier event can be corrected (as when every event noted so far was kept).
            guard target.event.seq < retraction.seq, let next = retraction.next,
                CorrectionLink.isReplacement(
                    (next.domain, next.occurredAt, next.seq, next.recordedAt),
                    of: (target.domain, OccurredAt(target.event.occurredAt)),
                    retraction: (retraction.seq, retraction.recordedAt))
            else { continue }
            replacedBy[retraction.targetID] = next.id
            replaces[next.id] = retraction.targetID
            seqs[next.id] = next.seq
        }
        retractions = []
    }

    /// `member`'s latest recorded name, opened; nil when unrecorded or erased.
    func name(of member: Slug, keys: PersonalDataKeys) -> String? {
        guard !keys.isErased(member) else { return nil }
        return keys.open(laterNames[member] ?? names[member], of: member)
    }

    /// `ol-17 (Sam Smith)`, or `ol-17` without a name.
    func named(_ member: Slug, keys: PersonalDataKeys) -> String {
        name(of: member, keys: keys).map { "\(member) (\($0))" } ?? member.rawValue
    }

    /// The WHAT cell of `event`: its summary with names, attendees and links (`retractedBy`: its retraction).
    func described(_ event: RecordedEvent, _ domain: DomainEvent, keys: PersonalDataKeys, retractedBy: UUID?)
        -> String
    {
        var text = domain.summary(keys: keys)
        switch domain {
        case .workshopHeld(let workshop) where !workshop.attendees.isEmpty:
            text += ": " + workshop.attendees.map { named($0, keys: keys) }.joined(separator: ", ")
        case .coachingSessionHeld(let session) where !session.attendees.isEmpty:
            text += ": " + session.attendees.map { named($0, keys: keys) }.joined(separator: ", ")
        case .eventRetracted(let retraction):
            var link = seqs[retraction.event].map { "seq \($0)" } ?? "an unknown event"
            if let replacement = replacedBy[retraction.event], let seq = seqs[replacement] {
                link += ", replaced by seq \(seq)"
            }
            text += " (\(link))"
        default:
            // The first mention of each member gets their name: `ol-17 (Sam Smith) joined oldham …`.
            for member in domain.membersNamed {
                guard let name = name(of: member, keys: keys),
                    let range = Self.wordRange(of: "\(member) ", in: text)
                else { continue }
                text.replaceSubrange(range, with: "\(member) (\(name)) ")
            }
        }
        if let retractedBy {
            var link = seqs[retractedBy].map { "by seq \($0)" } ?? ""
            if let replacement = replacedBy[event.id], let seq = seqs[replacement] {
                link += "; replaced by seq \(seq)"
            }
            text += " [retracted]" + (link.isEmpty ? "" : " (\(link))")
        }
        if let original = replaces[event.id], let seq = seqs[original] {
            text += " [replaces seq \(seq)]"
        }
        return text
    }

    /// The first place `word` (a slug and a space) stands in `text` as a whole word: at the start or after a
    /// character no slug holds, so that `ham ` is not found inside `oldham ` or `ol-ham `.
    static func wordRange(of word: String, in text: String) -> Range<String.Index>? {
        var start = text.startIndex
        while let range = text.range(of: word, range: start..<text.endIndex) {
            if range.lowerBound == text.startIndex { return range }
            let before = text[text.index(before: range.lowerBound)]
            if !(before.isASCII && (before.isLetter || before.isNumber || before == "-")) { return range }
            start = text.index(after: range.lowerBound)
        }
        return nil
    }
}
