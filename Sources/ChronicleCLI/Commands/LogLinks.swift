import Collaboratives
import EventLog
import Foundation

/// What `chronicle log`'s table says beside each event's summary: the names of the members it names, its
/// attendees, and the links between a retraction, the event it retracts and the event that replaced it.
///
/// A correction (`chronicle correct`) appends the retraction and the corrected event in one batch, the one
/// right after the other with one `recordedAt`: an event found there that stands for the same thing as the
/// retracted one is its replacement (``CorrectionLink``). Built in one pass over the log, in `seq` order.
struct LogLinks {
    /// The seqs of the events a link names (retractions, their targets, replacements): only those, so that
    /// a pass over a large log holds what its links need rather than every event.
    private var seqs: [UUID: UInt64] = [:]
    private var names: [Slug: PersonalText] = [:]
    /// The last event noted, when it was a retraction: its target (nil when not stored), seq and time.
    private var lastRetraction:
        (targetID: UUID, target: (event: DomainEvent, occurredAt: OccurredAt)?, recordedAt: Timestamp, seq: UInt64)?
    /// The event that replaced a corrected one, by the corrected event's id.
    private(set) var replacedBy: [UUID: UUID] = [:]
    /// The event a correction replaces, by the correction's id.
    private(set) var replaces: [UUID: UUID] = [:]

    /// Takes the next event of the log into account; `lookUp` reads a stored event by id (a retraction's
    /// target, read when the retraction is met rather than kept from when it was).
    mutating func note(
        _ event: RecordedEvent, _ domain: DomainEvent,
        lookUp: (UUID) throws -> (event: RecordedEvent, domain: DomainEvent)?
    ) throws {
        let occurredAt = OccurredAt(event.occurredAt)
        if let last = lastRetraction, let target = last.target,
            CorrectionLink.isReplacement(
                (domain, occurredAt, event.seq, event.recordedAt), of: target,
                retraction: (last.seq, last.recordedAt))
        {
            replacedBy[last.targetID] = event.id
            replaces[event.id] = last.targetID
            seqs[event.id] = event.seq
        }
        lastRetraction = nil
        switch domain {
        case .eventRetracted(let retraction):
            seqs[event.id] = event.seq
            let stored = try lookUp(retraction.event)
            if let stored { seqs[retraction.event] = stored.event.seq }
            // Only an earlier event can be corrected (as when every event noted so far was kept).
            let target = stored.flatMap { $0.event.seq < event.seq ? $0 : nil }
            lastRetraction = (
                retraction.event, target.map { ($0.domain, OccurredAt($0.event.occurredAt)) }, event.recordedAt,
                event.seq
            )
        case .memberJoined(let joined): if let name = joined.name { names[joined.member] = name }
        case .memberDetailsChanged(let changed): if let name = changed.name { names[changed.member] = name }
        default: break
        }
    }

    /// `member`'s latest recorded name, opened; nil when unrecorded or erased.
    func name(of member: Slug, keys: PersonalDataKeys) -> String? {
        guard !keys.isErased(member) else { return nil }
        return keys.open(names[member], of: member)
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
