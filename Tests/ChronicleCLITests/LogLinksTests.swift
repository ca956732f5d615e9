import EventLog
import Foundation
import Testing

@testable import ChronicleCLI
@testable import Collaboratives

/// `log` links each retraction to its target: the targets are read a chunk of retractions at a time, not one
/// lookup per retraction met (on PostgreSQL each lookup was a round trip: ~10,000 at 1M events), nor all at
/// the end of the pass (~90,000 targets held at 10M events).
@Suite struct LogLinksTests {
    @Test func theTargetsOfEveryRetractionAreReadInOneRequest() throws {
        let targets = (0..<3).map { _ in UUID() }
        var links = LogLinks()
        var log: [RecordedEvent] = []
        for (index, target) in targets.enumerated() {
            let retraction = Self.recorded(seq: UInt64(10 + index), recordedAt: Int64(index))
            log.append(retraction)
            let domain = DomainEvent.eventRetracted(EventRetracted(event: target, reason: "wrong"))
            links.hold(retraction, domain)
            try links.note(retraction, domain) { _ in
                Issue.record("a lookup before the chunk is full")
                return [:]
            }
        }
        var requests: [[UUID]] = []
        try links.resolve { ids in
            requests.append(ids)
            return Dictionary(
                uniqueKeysWithValues: ids.enumerated().map { offset, id in
                    (
                        id,
                        (
                            Self.recorded(seq: UInt64(offset + 1), recordedAt: 0, id: id),
                            DomainEvent.eventRetracted(EventRetracted(event: UUID(), reason: "x"))
                        )
                    )
                })
        }
        #expect(requests == [targets])
        let keys = PersonalDataKeys.none
        for (index, retraction) in log.enumerated() {
            let text = links.described(
                retraction, .eventRetracted(EventRetracted(event: targets[index], reason: "wrong")), keys: keys,
                retractedBy: nil)
            #expect(text.contains("(seq \(index + 1))"), "\(text)")
        }
    }

    /// Corrections (a retraction and its replacement recorded together), a plain retraction and a retracted
    /// replacement, linked a chunk at a time, read the same as linked all at once, whatever falls on a chunk's
    /// edge, and no chunk asks for more targets than its size.
    @Test func retractionsLinkedAChunkAtATimeReadTheSameAsAllAtOnce() throws {
        let day = Day(daysSinceEpoch: 19_000)
        func formed(_ slug: String) throws -> DomainEvent {
            .collaborativeFormed(
                CollaborativeFormed(
                    collaborative: try #require(Slug(slug)), name: slug, anchorOrganisation: "council",
                    programmeStart: day))
        }
        var log: [(event: RecordedEvent, domain: DomainEvent)] = []
        func append(_ domain: DomainEvent, at time: Int64) {
            let seq = UInt64(log.count + 1)
            log.append((Self.recorded(seq: seq, recordedAt: time), domain))
        }
        func retract(_ seq: Int, at time: Int64) {
            append(.eventRetracted(EventRetracted(event: log[seq - 1].event.id, reason: "wrong")), at: time)
        }
        for slug in ["a", "b", "c", "d"] { append(try formed(slug), at: Int64(log.count)) }
        retract(1, at: 10)  // seq 5, corrected by seq 6
        append(try formed("a"), at: 10)
        retract(2, at: 11)  // seq 7, a plain retraction
        retract(3, at: 12)  // seq 8, corrected by seq 9
        append(try formed("c"), at: 12)
        retract(6, at: 13)  // seq 10, the replacement corrected in turn by seq 11
        append(try formed("a"), at: 13)
        retract(4, at: 14)  // seq 12, then an unrelated event recorded with it
        append(try formed("e"), at: 14)
        let byID = Dictionary(uniqueKeysWithValues: log.map { ($0.event.id, $0) })
        var retractedBy: [UUID: UUID] = [:]
        for (event, domain) in log {
            if case .eventRetracted(let retraction) = domain { retractedBy[retraction.event] = event.id }
        }

        func described(chunkSize: Int) throws -> (lines: [String], requests: [[UUID]]) {
            var links = LogLinks(chunkSize: chunkSize)
            var requests: [[UUID]] = []
            let lookUp: LogLinks.LookUp = { ids in
                requests.append(ids)
                return byID.filter { ids.contains($0.key) }
            }
            for (event, domain) in log {
                links.hold(event, domain)
                try links.note(event, domain, lookUp: lookUp)
            }
            try links.resolve(lookUp: lookUp)
            let lines = log.map { event, domain in
                links.described(event, domain, keys: .none, retractedBy: retractedBy[event.id])
            }
            return (lines, requests)
        }
        // Holding only some rows keeps only their links, and describes them as when every row is held.
        func describedHolding(_ rows: Set<Int>) throws -> (lines: [Int: String], seqsKept: Int) {
            var links = LogLinks(chunkSize: 2)
            let lookUp: LogLinks.LookUp = { ids in byID.filter { ids.contains($0.key) } }
            for (index, (event, domain)) in log.enumerated() {
                if rows.contains(index) { links.hold(event, domain) }
                try links.note(event, domain, lookUp: lookUp)
            }
            try links.resolve(lookUp: lookUp)
            var lines: [Int: String] = [:]
            for index in rows {
                let (event, domain) = log[index]
                let by = retractedBy[event.id].flatMap { links.isHeld(event.id) ? $0 : nil }
                lines[index] = links.described(event, domain, keys: .none, retractedBy: by)
            }
            return (lines, links.linkSeqsKept)
        }
        let whole = try described(chunkSize: 100)
        #expect(whole.requests.count == 1)
        #expect(whole.lines[4].hasSuffix("(seq 1, replaced by seq 6)"), "\(whole.lines[4])")
        #expect(whole.lines[5].hasSuffix("[replaces seq 1]"), "\(whole.lines[5])")
        #expect(whole.lines[8].hasSuffix("[replaces seq 3]"), "\(whole.lines[8])")
        #expect(whole.lines[10].hasSuffix("[replaces seq 6]"), "\(whole.lines[10])")
        #expect(!whole.lines[12].contains("[replaces"), "\(whole.lines[12])")
        #expect(try describedHolding([]).seqsKept == 0)
        for rows: Set<Int> in [[0], [5], [9], [3, 11], [4, 5, 6]] {
            let held = try describedHolding(rows)
            for index in rows { #expect(held.lines[index] == whole.lines[index], "row \(index) of \(rows)") }
            // A row is in at most two links (the one it replaces in and the one it is retracted in, or the
            // one it makes as a retraction) of three seqs each (a retraction, its target, its replacement).
            #expect(held.seqsKept <= 6 * rows.count, "\(rows)")
        }
        for chunkSize in 1...4 {
            let chunked = try described(chunkSize: chunkSize)
            #expect(chunked.lines == whole.lines, "chunk size \(chunkSize)")
            #expect(chunked.requests.count > 1, "chunk size \(chunkSize)")
            #expect(chunked.requests.allSatisfy { $0.count <= chunkSize }, "chunk size \(chunkSize)")
        }
    }

    /// Names are kept for the members the rows held name, and, past the tag index's position (which cannot
    /// find them later), for every member: 1,000 members joining with names leave two names kept, not 1,000.
    @Test func onlyTheNamesOfTheRowsMembersAreKept() throws {
        let oldham = try #require(Slug("oldham"))
        var links = LogLinks(tagPosition: 999)
        var joins: [(RecordedEvent, DomainEvent)] = []
        for index in 1...1_000 {
            let member = try #require(Slug("ol-\(index)"))
            let joined = DomainEvent.memberJoined(
                MemberJoined(
                    collaborative: oldham, member: member, name: .plain("Name \(index)"), sector: .programmeStaff))
            joins.append((Self.recorded(seq: UInt64(index), recordedAt: 0), joined))
        }
        for (index, (event, domain)) in joins.enumerated() {
            if index == 499 { links.hold(event, domain) }
            try links.note(event, domain) { _ in [:] }
        }
        #expect(links.namesKept == 2)
        #expect(links.name(of: try #require(Slug("ol-500")), keys: .none) == "Name 500")
        #expect(links.name(of: try #require(Slug("ol-1000")), keys: .none) == "Name 1000")
        #expect(links.name(of: try #require(Slug("ol-10")), keys: .none) == nil)
    }

    private static func recorded(seq: UInt64, recordedAt: Int64, id: UUID = UUID()) -> RecordedEvent {
        RecordedEvent(
            seq: seq, id: id, stream: "s", streamVersion: seq, type: "EventRetracted", schemaVersion: 1,
            occurredAt: .day(19_000), recordedAt: Timestamp(microsecondsSinceEpoch: recordedAt), recordedBy: "me",
            payload: [], hash: .genesis)
    }
}
