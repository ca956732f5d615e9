import EventLog
import Foundation
import Testing

@testable import Collaboratives

/// A rebuild spills its state to a temporary file as it grows and merges it back (``SpillingFold``): the
/// bytes it stores must be those of the plain fold in memory, wherever the spills fall, with retractions
/// and late events reaching across them.
@Suite struct SpillingFoldTests {
    /// Events given the next `seq` each, a retraction bringing its target when it is already there, as
    /// ``EventDecoder/recordedEntry(of:in:)`` does.
    private struct Entries {
        var list: [RecordedEntry] = []
        var byID: [UUID: TimelineEntry] = [:]

        /// `stored`, when given, is the retraction's target as the log stores it (after the retraction,
        /// in a restored log).
        @discardableResult
        mutating func add(_ date: String, _ event: DomainEvent, id: UUID = UUID(), stored: TimelineEntry? = nil)
            -> UUID
        {
            let seq = UInt64(list.count + 1)
            let entry = TimelineEntry(id: id, seq: seq, occurredAt: occurred(date), event: event)
            var target = stored
            if case .eventRetracted(let retraction) = event, target == nil { target = byID[retraction.event] }
            byID[id] = entry
            list.append(RecordedEntry(seq: seq, hash: .genesis, entry: entry, retracted: target))
            return id
        }
    }

    /// The encoding a spilling fold of `entries` writes, with the number of runs it spilled.
    private func spilled(_ entries: [RecordedEntry], threshold: Int) throws -> (bytes: [UInt8], runs: Int) {
        var fold = SpillingFold(spillThreshold: threshold)
        for entry in entries { try fold.apply(entry) }
        let output = try SpillFile(directory: SpillFile.temporaryDirectory)
        let digest = try fold.finish(into: output)
        let bytes = try output.read(output.size, at: 0)
        #expect(digest == ProjectionDigest(of: bytes))
        return (bytes, fold.runs.count)
    }

    private func plain(_ entries: [RecordedEntry]) -> PresentView {
        var present = PresentView.empty
        for entry in entries { present.apply(entry) }
        return present
    }

    /// Retractions of a join, a workshop, a coaching session, a role and a status change spilled before
    /// them; a retraction folded before its target; late events whose marks land between ones of earlier
    /// runs; a sub-group renamed; a member erased.
    private func crossingHistory() -> [RecordedEntry] {
        var log = Entries()
        log.add("2021-01-01", Events.formed("oldham", start: "2021-01-01"))
        log.add("2021-01-02", Events.formed("rochdale", start: "2021-01-02"))
        let join = log.add("2021-02-01", Events.joined("ol-1", "oldham", sector: .health, organisation: "A"))
        log.add("2021-02-02", Events.joined("ol-2", "oldham", sector: .primarySchool))
        log.add("2021-02-03", Events.joined("ro-1", "rochdale", sector: .socialCare))
        let workshop = log.add("2021-03-01", Events.workshop("w1", for: ["oldham", "rochdale"], attendees: ["ol-2"]))
        log.add("2021-03-02", Events.workshop("w2", for: ["oldham"], attendees: ["ol-2"]))
        let session = log.add("2021-03-03", Events.coaching(in: "rochdale", advisor: "ro-1", attendees: ["ro-1"]))
        let role = log.add("2021-04-01", Events.assigned("ol-2", .anchor, in: "oldham"))
        log.add("2021-05-01", Events.subgroupFormed("transitions", in: "oldham"))
        let status = log.add("2021-06-01", Events.status("transitions", .inProgress))
        log.add("2021-07-01", Events.status("transitions", .delivered))
        // Late: a leave and a re-join dated between marks of earlier runs.
        log.add("2021-02-15", Events.left("ol-2", "oldham"))
        log.add("2021-02-20", Events.joined("ol-2", "oldham", sector: .laEducation))
        log.add("2020-12-31", Events.changed("ro-1", sector: .health))
        // A retraction of an event not folded yet, stored after it (a restored log may hold one): the target
        // stays out.
        let early = UUID()
        let target = TimelineEntry(
            id: early, seq: UInt64(log.list.count + 2), occurredAt: occurred("2021-08-01"),
            event: Events.joined("ol-3", "oldham"))
        log.add("2022-01-01", Events.retract(early), stored: target)
        log.add("2021-08-01", Events.joined("ol-3", "oldham"), id: early)
        var retractions: [UUID] = []
        for target in [join, workshop, session, role, status] {
            retractions.append(log.add("2022-02-01", Events.retract(target)))
        }
        // Retracting an event twice, and a retraction, change nothing more (the rules forbid both; the fold
        // must not depend on them).
        log.add("2022-02-02", Events.retract(join))
        log.add("2022-02-03", Events.retract(retractions[1]))
        log.add("2022-03-01", Events.erased("ro-1"))
        log.add("2022-03-02", Events.assigned("ol-2", .anchor, in: "oldham", appointment: .interim))
        log.add("2022-04-01", Events.joined("ol-4", "rochdale", sector: .health, organisation: "B"))
        return log.list
    }

    @Test(arguments: [1, 2, 3, 5, 1_000])
    func retractionsAndLateEventsAcrossSpillsGiveThePlainFoldsBytes(threshold: Int) throws {
        let entries = crossingHistory()
        let expected = plain(entries)
        #expect(expected.memberships[MembershipKey(member: slug("ol-1"), group: slug("oldham"))] == nil)
        #expect(expected.collaboratives[slug("rochdale")]?.coachingSessions == 0)
        let (bytes, runs) = try spilled(entries, threshold: threshold)
        #expect(bytes == expected.encoded())
        #expect(try PresentView(decoding: bytes) == expected)
        if threshold <= 5 { #expect(runs >= 4, "the state was spilled \(runs) times") }
    }

    @Test func aWorkshopSpilledBeforeItsRetractionIsNotCountedTwiceOrLeftNegative() throws {
        var log = Entries()
        log.add("2021-01-01", Events.formed("oldham", start: "2021-01-01"))
        let first = log.add("2021-02-01", Events.workshop("w1", for: ["oldham"], attendees: []))
        log.add("2021-02-02", Events.workshop("w2", for: ["oldham"], attendees: []))
        log.add("2022-01-01", Events.retract(first))
        var fold = SpillingFold(spillThreshold: 1)
        for entry in log.list { try fold.apply(entry) }
        let output = try SpillFile(directory: SpillFile.temporaryDirectory)
        _ = try fold.finish(into: output)
        let present = try PresentView(decoding: try output.read(output.size, at: 0))
        #expect(present.collaboratives[slug("oldham")]?.workshops == 1)
        #expect(present == plain(log.list))
    }

    /// Runs and an encoding read and written a few bytes at a time: records cut across reads, leftovers
    /// carried over, the encoding flushed in many chunks (its table's offset counted across them).
    @Test(arguments: [1, 7, 4_096])
    func runsReadAndWrittenInSmallChunksGiveTheSameBytes(chunkSize: Int) throws {
        let entries = crossingHistory()
        var fold = SpillingFold(spillThreshold: 3, chunkSize: chunkSize)
        for entry in entries { try fold.apply(entry) }
        let output = try SpillFile(directory: SpillFile.temporaryDirectory, chunkSize: chunkSize)
        let digest = try fold.finish(into: output)
        let bytes = try output.read(output.size, at: 0)
        #expect(bytes == plain(entries).encoded() && digest == ProjectionDigest(of: bytes))
        #expect(bytes.count > 8 * chunkSize || chunkSize > 100)
    }

    @Test func aSpillThatCannotBeWrittenStopsTheFoldForGood() throws {
        let missing = "/nonexistent-\(UUID())"
        var fold = SpillingFold(directory: missing, spillThreshold: 1)
        var log = Entries()
        log.add("2021-01-01", Events.formed("oldham", start: "2021-01-01"))
        log.add("2021-01-02", Events.formed("rochdale", start: "2021-01-02"))
        log.add("2021-01-03", Events.formed("bury", start: "2021-01-03"))
        try fold.apply(log.list[0])  // handed to another thread
        #expect {
            try fold.apply(log.list[1])  // writing the first run fails
        } throws: { error in
            "\(error)".contains("cannot create a temporary file in \(missing)")
        }
        #expect {
            try fold.apply(log.list[2])
        } throws: { error in
            "\(error)".contains("lost a spilled part")
        }
        #expect(throws: EventLogError.self) { try fold.finish(into: nil) }
    }

    @Test func anEmptyFoldWritesTheEmptyViewsEncoding() throws {
        let (bytes, runs) = try spilled([], threshold: 1)
        #expect(bytes == PresentView.empty.encoded() && runs == 0)
    }

    /// A generated history (membership churn, workshops, roles, sub-groups, late entries, retractions),
    /// stored, folded by a rebuild that spills every few records: the checkpoint it stores is the plain
    /// fold's encoding, and the digest it takes midway is the plain fold's at that point.
    @Test(arguments: [3, 40, 700])
    func aRebuildThatSpillsStoresThePlainFoldOfAGeneratedHistory(threshold: Int) throws {
        let store = try TemporaryChronicle(now: HistoryGeneratorTests.now, today: HistoryGeneratorTests.today)
        let lines = HistoryGeneratorTests.numbered(HistoryGeneratorTests.history.prefix(1_500))
        _ = try store.chronicle.importLines(Array(lines), defaultRecordedBy: "t", dryRun: false)
        let expected = try plainFold(store.chronicle)
        // A checkpoint behind the head, so that the rebuild takes a digest midway through its fold.
        let midway = try store.chronicle.log.read { view in
            var present = PresentView.empty
            try store.chronicle.reader.fold(&present, in: view, through: 900)
            return present
        }
        try store.chronicle.log.saveCheckpoint(midway.checkpoint)
        let rebuild = try store.chronicle.rebuild(using: SpillingFold(spillThreshold: threshold))
        #expect(rebuild.comparison == .matched(position: 900, digest: midway.digest))
        #expect(rebuild.digest == expected.digest && rebuild.lastSeq == 1_500)
        let stored = try #require(try store.chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) })
        #expect(stored.position == 1_500 && stored.state == expected.encoded())
        #expect(expected.retractedCount > 0, "the history retracts events")
        // The spills were many, and retractions reached back across them.
        var fold = SpillingFold(spillThreshold: threshold)
        try store.chronicle.reader.forEachDecodedEntry(through: 1_500) { try fold.apply($0) }
        if threshold < 100 { #expect(fold.runs.count > 10 && !fold.retractedSeqs.isEmpty) }
    }

    @Test func aRebuildWhoseTemporaryDirectoryIsMissingFailsNamingItAndStoresNothing() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        try store.record(at: "2024-01-01T00:00:00Z", PresentViewTests.first)
        let before = try store.chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) }
        let missing = "/nonexistent-\(UUID())"
        #expect {
            try store.chronicle.rebuildPresentView(spillDirectory: missing)
        } throws: { error in
            guard case EventLogError.storage(let message) = error else { return false }
            return message.contains("cannot create a temporary file in \(missing)")
        }
        let after = try store.chronicle.log.read { try $0.checkpoint(named: PresentView.checkpointName) }
        #expect(after == before)
    }

    @Test func aRederivationWhoseSpillsCannotBeWrittenFailsNamingTheDirectory() throws {
        let store = try ClockedChronicle(checkpointInterval: 1)
        try store.record(at: "2024-01-01T00:00:00Z", PresentViewTests.first)
        let missing = "/nonexistent-\(UUID())"
        #expect {
            try store.chronicle.reader.rederive(using: SpillingFold(directory: missing, spillThreshold: 1))
        } throws: { error in
            guard case EventLogError.storage(let message) = error else { return false }
            return message.contains("cannot create a temporary file in \(missing)")
        }
    }

    @Test func theTemporaryFileIsGoneFromItsDirectoryFromTheStart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spill-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try SpillFile(directory: directory)
        try file.append([1, 2, 3, 4, 5])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        #expect(try file.read(3, at: 1) == [2, 3, 4])
        #expect(try file.read(10, at: 3) == [4, 5])
        var buffer = [UInt8](repeating: 0, count: 4)
        #expect(throws: EventLogError.self) { try buffer.withUnsafeMutableBytes { try file.read(into: $0, at: 2) } }
    }
}

/// The version 3 encoding names its symbols in the order of first use, states the table last and marks
/// each record: one state has one encoding, and anything else is refused.
@Suite struct PresentViewEncodingVersion3Tests {
    private func sample() -> PresentView {
        var present = PresentView.empty
        let entry = TimelineEntry(
            id: UUID(), seq: 1, occurredAt: occurred("2021-01-01"), event: Events.formed("oldham"))
        present.apply(RecordedEntry(seq: 1, hash: .genesis, entry: entry))
        let join = TimelineEntry(
            id: UUID(), seq: 2, occurredAt: occurred("2021-01-02"), event: Events.joined("ol-1", "oldham"))
        present.apply(RecordedEntry(seq: 2, hash: .genesis, entry: join))
        return present
    }

    /// The encoding's parts: everything before the table, the table's texts, and a writer of both.
    private func rebuilt(_ bytes: [UInt8], texts: [String], offsetShift: Int = 0) -> [UInt8] {
        let offset = Int(bytes.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        var writer = BinaryWriter()
        writer.bytes(Array(bytes[..<offset]))
        writer.count(texts.count)
        for text in texts { writer.string(text) }
        writer.u64(UInt64(offset + offsetShift))
        return writer.buffer
    }

    @Test func theTableIsInFirstUseOrderAndLast() throws {
        let bytes = sample().encoded()
        #expect(bytes.first == 3)
        // oldham (the collaborative) is named first, then ol-1 (in the membership after it), then the sector.
        #expect(rebuilt(bytes, texts: ["oldham", "ol-1", "secondary-school"]) == bytes)
        #expect(try PresentView(decoding: bytes) == sample())
    }

    @Test func aTableThatIsNotTheRecordsOwnIsRefused() throws {
        let bytes = sample().encoded()
        let cases: [(String, [UInt8])] = [
            ("a symbol no record names", rebuilt(bytes, texts: ["oldham", "ol-1", "secondary-school", "extra"])),
            ("a symbol stated twice", rebuilt(bytes, texts: ["oldham", "ol-1", "secondary-school", "oldham"])),
            ("a symbol missing", rebuilt(bytes, texts: ["oldham", "ol-1"])),
            (
                "the table's offset beyond it",
                rebuilt(bytes, texts: ["oldham", "ol-1", "secondary-school"], offsetShift: 1)
            ),
            ("the table's offset inside the header", Array(bytes.dropLast(8)) + [0, 0, 0, 0, 0, 0, 0, 3]),
        ]
        for (what, damaged) in cases {
            #expect(throws: PresentViewDecodingError.self, "\(what)") { try PresentView(decoding: damaged) }
        }
    }

    /// Ends `writer`'s records with the table of `texts` and its offset.
    private func closing(_ writer: inout BinaryWriter, table texts: [String]) -> [UInt8] {
        let offset = writer.buffer.count
        writer.count(texts.count)
        for text in texts { writer.string(text) }
        writer.u64(UInt64(offset))
        return writer.buffer
    }

    /// Collaboratives only, named by `slugs` (indices into `table`), each with `workshops`.
    private func collaboratives(_ slugs: [Int], workshops: Int64, table: [String]) -> [UInt8] {
        var writer = BinaryWriter()
        var header = PresentView.empty
        header.lastSeq = 10
        header.writeHeader(to: &writer)
        for slug in slugs {
            writer.u8(1)
            writer.count(slug)
            writer.count(0)  // no formations
            writer.signed(workshops)
            writer.signed(0)
        }
        for _ in 0..<5 { writer.u8(0) }
        return closing(&writer, table: table)
    }

    @Test func symbolsNamedOutOfFirstUseOrderAreRefused() throws {
        // Every symbol named, records in order, but the first named is symbol 1: the table is not in the
        // order of first use (that would be rochdale, oldham).
        var writer = BinaryWriter()
        PresentView.empty.writeHeader(to: &writer)
        writer.u8(1)
        writer.count(1)  // the collaborative rochdale: symbol 1
        writer.count(0)  // no formations
        writer.signed(1)  // a workshop
        writer.signed(0)
        writer.u8(0)
        writer.u8(1)
        writer.count(0)  // the membership of rochdale (symbol 1) in oldham (symbol 0)
        writer.count(1)
        writer.count(1)  // one mark: seq 2, day 100, midnight, joined
        writer.varint(2)
        writer.signed(100)
        writer.signed(0)
        writer.u8(1)
        for _ in 0..<4 { writer.u8(0) }
        let bytes = closing(&writer, table: ["oldham", "rochdale"])
        #expect {
            try PresentView(decoding: bytes)
        } throws: { error in
            "\(error)".contains("named before")
        }
    }

    @Test func recordsOutOfKeyOrderRepeatedOrEmptyAreRefused() throws {
        let table = ["rochdale", "oldham"]
        // rochdale then oldham: named in first-use order, but not in key order; then one key twice; then an
        // empty record.
        for damaged in [
            collaboratives([0, 1], workshops: 1, table: table), collaboratives([0, 0], workshops: 1, table: table),
            collaboratives([0], workshops: 0, table: table),
        ] {
            #expect(throws: PresentViewDecodingError.self) { try PresentView(decoding: damaged) }
        }
        // Totals that no fold of the events could give: negative, or more than the 10 events folded.
        for workshops: Int64 in [-1, 11, .max] {
            let bytes = collaboratives([0], workshops: workshops, table: ["oldham"])
            #expect(throws: PresentViewDecodingError.self) { try PresentView(decoding: bytes) }
        }
        // In order (oldham first), it reads, and is what the encoder writes.
        let valid = collaboratives([0, 1], workshops: 1, table: ["oldham", "rochdale"])
        let decoded = try PresentView(decoding: valid)
        #expect(decoded.collaboratives.count == 2 && decoded.encoded() == valid)
    }

    @Test func aRecordMarkerOtherThanZeroOrOneIsRefused() throws {
        var bytes = PresentView.empty.encoded()
        // Header (41 bytes), no retracted ids (1 byte), then the first section's marker.
        #expect(bytes[42] == 0)
        bytes[42] = 2
        #expect(throws: PresentViewDecodingError.self) { try PresentView(decoding: bytes) }
    }
}
