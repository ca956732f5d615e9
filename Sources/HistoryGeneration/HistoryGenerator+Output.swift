internal import Collaboratives
internal import Foundation

extension HistoryGenerator {
    /// How an event may be written.
    enum Timing {
        /// In order: other events depend on it (a join, a role, a sub-group…).
        case inOrder
        /// Possibly late: nothing depends on it, so writing it after later-dated events changes no verdict.
        case mayBeLate
    }

    /// The share of the events that may be late which are written late.
    static let lateShare = 0.05

    /// Makes the line of `event`, dated `day`, counting it against the budget; a late one is held back.
    mutating func emit(_ event: DomainEvent, on day: Day, by recorder: String, timing: Timing = .inOrder) {
        created += 1
        let id = makeID()
        let bytes = Self.line(id: id, event: event, day: day, recorder: recorder)
        let retractable: Bool
        switch event {
        case .workshopHeld, .coachingSessionHeld, .milestoneReached: retractable = true
        default: retractable = false
        }
        let line = PendingLine(release: day, bytes: bytes, id: id, retractable: retractable)
        guard timing == .mayBeLate, random.chance(Self.lateShare) else {
            write(line)
            return
        }
        let delay = random.chance(0.8) ? random.int(in: 3...45) : random.int(in: 46...400)
        pending.append(
            PendingLine(
                release: day.adding(days: delay), bytes: bytes, id: id, retractable: retractable,
                personalDataOf: Self.personalDataSubject(of: event)))
        if pending.count > Self.pendingLimit { write(pending.removeFirst()) }
    }

    /// The member whose personal fields `event` carries, if it carries any (see `PendingLine.personalDataOf`).
    static func personalDataSubject(of event: DomainEvent) -> Slug? {
        switch event {
        case .memberDetailsChanged(let change) where change.name != nil || change.organisation != nil:
            return change.member
        case .memberLeft(let left) where left.note != nil: return left.member
        case .roleEnded(let ended) where ended.reason != nil: return ended.member
        case .subGroupMemberLeft(let left) where left.reason != nil: return left.member
        default: return nil
        }
    }

    /// Writes now, before `member`'s erasure, every held-back line that carries their personal data: written
    /// after it, such a line would be refused (rule erasure-final) although it is dated before the erasure.
    mutating func writePendingPersonalData(of member: Slug) {
        guard pending.contains(where: { $0.personalDataOf == member }) else { return }
        var kept: [PendingLine] = []
        for line in pending {
            if line.personalDataOf == member { write(line) } else { kept.append(line) }
        }
        pending = kept
    }

    /// Queues a line for `next()`.
    mutating func write(_ line: PendingLine) {
        ready.append(line.bytes)
        guard line.retractable else { return }
        if retractable.count < Self.retractableLimit {
            retractable.append(line.id)
        } else {
            retractable[random.below(retractable.count)] = line.id
        }
    }

    /// A random (version 4) UUID from the seeded source.
    mutating func makeID() -> UUID {
        let high = (random.next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (random.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * index))
            bytes[8 + index] = UInt8(truncatingIfNeeded: low >> (56 - 8 * index))
        }
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// `{"id":…,"type":…,"schemaVersion":1,"occurredAt":…,"recordedBy":…,"data":…}`.
    static func line(id: UUID, event: DomainEvent, day: Day, recorder: String) -> [UInt8] {
        let data = EventCodec.encode(event)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count + 160)
        bytes.append(contentsOf: #"{"id":""#.utf8)
        id.appendLowercased(to: &bytes)
        bytes.append(contentsOf: #"","type":""#.utf8)
        bytes.append(contentsOf: event.typeName.utf8)
        bytes.append(contentsOf: #"","schemaVersion":1,"occurredAt":""#.utf8)
        bytes.append(contentsOf: day.description.utf8)
        bytes.append(contentsOf: #"","recordedBy":"#.utf8)
        bytes.append(contentsOf: JSONValue.string(recorder).canonicalBytes)
        bytes.append(contentsOf: #","data":"#.utf8)
        bytes.append(contentsOf: data)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

}
