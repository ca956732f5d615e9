internal import Crypto
public import EventLog
internal import Foundation

/// What a streamed read of the present view states before its collaboratives: where the view ends, how
/// many events were retracted, its digest and how the checkpoint stood.
public struct PresentViewHeading: Equatable, Sendable {
    /// The last `seq` folded (0 when none).
    public let lastSeq: UInt64
    /// That event's hash.
    public let lastHash: EventHash
    /// How many events were retracted.
    public let retracted: Int
    /// The digest of the view's canonical encoding (see ``PresentView/digest``).
    public let digest: ProjectionDigest
    /// How the stored checkpoint stood against the log.
    public let checkpoint: CheckpointState
}

/// How much of the present view a streamed read held at once: what a test checks to know that it was read
/// one collaborative at a time (no timing or memory measure is needed for that).
public struct PresentViewFootprint: Equatable, Sendable {
    /// Whether it was read from the checkpoint one collaborative at a time (`false`: the checkpoint could
    /// not be used, and the view was folded and held whole, as before).
    public let streamed: Bool
    /// The most collaboratives' records held at once.
    public let collaboratives: Int
    /// The most records (of every kind) held at once.
    public let records: Int
}

extension HistoryReader {
    /// The present view at the head of `view` as ``presentViewAndDigest(in:)`` and ``summary(of:in:)`` give
    /// it, read one collaborative at a time: `heading` is called once, then `collaborative` with each
    /// collaborative formed, in slug order, each made and handed over before the next is read.
    ///
    /// When the stored checkpoint is usable, its records are read where they lie in its encoding (records
    /// in key order, symbol table last): only one collaborative's records are held at a time, with the
    /// records that the events after the checkpoint change (those events folded into them alone), so
    /// memory does not grow with the collaboratives. The digest is that of the checkpoint's bytes when it
    /// is current, else of the canonical encoding of the view, written from the checkpoint's records and
    /// the changed ones as they are read. When it is missing or cannot be used, the whole log is folded and
    /// the view held whole, as ``presentViewAndDigest(in:)`` does.
    ///
    /// - Complexity: O(S) to read a state of size S, three times through (checked in order, encoded for the
    ///   digest when behind, read for the output), plus the events after the checkpoint.
    @discardableResult
    public func streamPresentView(
        in view: any LogView, heading: (PresentViewHeading) throws -> Void,
        collaborative: (PresentCollaborative) throws -> Void
    ) throws -> PresentViewFootprint {
        if let stream = try CheckpointStream(in: view, reader: self) {
            try heading(stream.heading)
            return try stream.forEachCollaborative(in: view, reader: self, collaborative)
        }
        let (present, state, digest) = try presentViewAndDigest(in: view)
        let summary = try summary(of: present, in: view)
        try heading(
            PresentViewHeading(
                lastSeq: summary.lastSeq, lastHash: summary.lastHash, retracted: summary.retracted, digest: digest,
                checkpoint: state))
        for each in summary.collaboratives { try collaborative(each) }
        return PresentViewFootprint(
            streamed: false, collaboratives: present.collaboratives.count, records: present.recordCount)
    }
}

/// A usable present-view checkpoint, checked and indexed, with the events after it folded into the records
/// they change (``delta``): what ``HistoryReader/streamPresentView(in:heading:collaborative:)`` reads one
/// collaborative at a time.
struct CheckpointStream {
    /// The stored encoding.
    private let bytes: [UInt8]
    let heading: PresentViewHeading
    /// The records the events after the checkpoint change, as those events leave them (a record they
    /// empty is absent), with the retracted ids those events name.
    private let delta: PresentView
    /// The keys of those records.
    private let touched: Set<PresentKey>
    /// The table, read without the first-use check (the records were checked in order when indexed).
    private let symbols: DecodedSymbols
    /// Where each collaborative's record starts, in key order.
    private let collaboratives: [(slug: Slug, offset: Int)]
    /// Per collaborative, where its first membership record starts and how many follow in a run.
    private let memberships: [Slug: Run]
    /// Per collaborative, the same for its role records.
    private let roles: [Slug: Run]
    /// Per symbol index, where the record of the member it names starts (-1: none).
    private let members: [Int]
    /// Per collaborative, where the records of the sub-groups first formed in it start.
    private let subgroups: [Slug: [Int]]

    /// Consecutive records of one section.
    struct Run {
        let start: Int
        var count = 0
    }

    /// Reads the checkpoint of `view`, or gives `nil` when none is stored or it cannot be used (its
    /// header, position or hash do not fit the log, or its encoding does not read): the caller then folds
    /// the whole log, which states why.
    init?(in view: any LogView, reader: HistoryReader) throws {
        guard let start = try Start(in: view, reader: reader) else { return nil }
        let (bytes, after, touched, ids) = (start.bytes, start.after, start.touched, start.ids)
        var delta = start.delta
        var retracted = 0
        var collaboratives: [(slug: Slug, offset: Int)] = []
        var memberships: [Slug: Run] = [:]
        var roles: [Slug: Run] = [:]
        var members: [Int] = []
        var subgroups: [Slug: [Int]] = [:]
        do {
            var records = try PresentEncodingReader(bytes)
            members = Array(repeating: -1, count: records.symbols.texts.count)
            try records.readRetractedIDs { id in
                retracted += 1
                if ids.contains(id) { delta.retractedIDs.insert(id) }
            }
            while let (offset, entry) = try records.next() {
                if touched.contains(entry.key) { delta.insert(entry) }
                switch entry {
                case .collaborative(let slug, _):
                    collaboratives.append((slug, offset))
                case .membership(let key, _):
                    memberships[key.group, default: Run(start: offset)].count += 1
                case .member:
                    // The record's key is its first symbol index.
                    var key = BinaryReader(bytes: bytes, range: offset..<bytes.count)
                    let index = Int(try key.varint())
                    if members.indices.contains(index) { members[index] = offset }
                case .role(let key, _):
                    roles[key.collaborative, default: Run(start: offset)].count += 1
                case .subgroup(_, let record):
                    // One formed in no collaborative is in no summary, unless an event after the checkpoint
                    // forms it (it is then in `delta`).
                    if let formation = record.formations.first {
                        subgroups[formation.value.collaborative, default: []].append(offset)
                    }
                }
            }
            var symbols = records.symbols
            symbols.checksFirstUse = false
            self.symbols = symbols
        } catch {
            return nil
        }
        let loaded = delta.retractedIDs
        for recorded in after { delta.apply(recorded) }
        // Retractions after the checkpoint add only ids it did not hold (one it held was loaded).
        retracted += delta.retractedIDs.count - loaded.count
        self.bytes = bytes
        self.delta = delta
        self.touched = touched
        self.collaboratives = collaboratives
        self.memberships = memberships
        self.roles = roles
        self.members = members
        self.subgroups = subgroups
        let digest =
            after.isEmpty
            ? ProjectionDigest(of: bytes) : try Self.digest(of: bytes, delta: delta, touched: touched, held: loaded)
        heading = PresentViewHeading(
            lastSeq: delta.lastSeq, lastHash: delta.lastHash, retracted: retracted, digest: digest,
            checkpoint: after.isEmpty ? .current : .behind(position: start.delta.lastSeq))
    }

    /// A stored checkpoint that fits the log of `view` (its header, position and last hash), with the events
    /// after it and what they touch: where a streamed read and a merge begin.
    struct Start {
        /// The stored encoding.
        let bytes: [UInt8]
        /// The events after the checkpoint, decoded.
        let after: [RecordedEntry]
        /// The records those events change, and the retracted ids they name.
        let touched: Set<PresentKey>
        let ids: Set<UUID>
        /// An empty view at the checkpoint's position, for the records read to be folded into.
        let delta: PresentView

        /// `nil` when no checkpoint is stored, it does not fit the log, or more than `limit` events follow
        /// it; `release` is called once the encoding is copied out of the store.
        init?(in view: any LogView, reader: HistoryReader, limit: UInt64 = .max, release: () -> Void = {}) throws {
            guard let checkpoint = try view.checkpoint(named: PresentView.checkpointName) else { return nil }
            release()
            let bytes = checkpoint.state
            let head = try view.head().seq
            guard let stated = PresentView.header(of: bytes), stated.lastSeq == checkpoint.position,
                stated.lastSeq <= head, head - stated.lastSeq <= limit
            else { return nil }
            let hash = try stated.lastSeq == 0 ? EventHash.genesis : view.event(at: stated.lastSeq)?.hash
            guard hash == stated.lastHash else { return nil }
            var after: [RecordedEntry] = []
            try reader.decoder.forEachRecordedEntry(in: view, after: stated.lastSeq) { after.append($0) }
            (touched, ids) = CheckpointStream.touched(by: after)
            var delta = PresentView.empty
            delta.lastSeq = stated.lastSeq
            delta.lastHash = stated.lastHash
            self.bytes = bytes
            self.after = after
            self.delta = delta
        }
    }

    /// The keys of the records `events` change (a retraction's target's too), and the ids whose being
    /// retracted folding them asks about. A membership's member is counted in, so that the details of
    /// every member of a changed membership are in the delta.
    static func touched(by events: [RecordedEntry]) -> (Set<PresentKey>, Set<UUID>) {
        var keys: Set<PresentKey> = []
        var ids: Set<UUID> = []
        let insert = { (key: PresentKey) in
            keys.insert(key)
            if case .membership(let membership) = key { keys.insert(.member(membership.member)) }
        }
        for recorded in events {
            ids.insert(recorded.entry.id)
            PresentView.forEachKey(touchedBy: recorded.entry, insert)
            if case .eventRetracted(let retraction) = recorded.entry.event { ids.insert(retraction.event) }
            if let target = recorded.retracted { PresentView.forEachKey(touchedBy: target, insert) }
        }
        return (keys, ids)
    }

    /// The digest of the canonical encoding of the view the checkpoint (`bytes`) and the events after it
    /// make (see ``writeMerged(of:delta:touched:held:to:)``), hashed as it is written, a chunk at a time.
    private static func digest(
        of bytes: [UInt8], delta: PresentView, touched: Set<PresentKey>, held: Set<UUID>
    ) throws -> ProjectionDigest {
        var hasher = SHA256()
        var output = ChunkedOutput { hasher.update(data: $0) }
        try writeMerged(of: bytes, delta: delta, touched: touched, held: held, to: &output)
        return ProjectionDigest(hashOf: hasher)
    }

    /// Writes to `output` the canonical encoding of the view the checkpoint (`bytes`) and the events after
    /// it make: the checkpoint's records in order, each touched one replaced by the delta's (or dropped when
    /// the delta has none), the delta's new records at their places, the symbols numbered as they are
    /// first written, and the retracted ids of both in byte order; a chunk at a time, never held whole.
    /// `held` are the ids the checkpoint held that the delta holds too.
    static func writeMerged(
        of bytes: [UInt8], delta: PresentView, touched: Set<PresentKey>, held: Set<UUID>, to output: inout ChunkedOutput
    ) throws {
        var records = try PresentEncodingReader(bytes)
        output.writer.u8(PresentView.encodingVersion)
        output.writer.u64(delta.lastSeq)
        output.writer.bytes(delta.lastHash.bytes)
        var added = delta.retractedIDs.subtracting(held).sorted(by: PresentView.precedesInByteOrder)[...]
        var stored: [UUID] = []
        try records.readRetractedIDs { stored.append($0) }
        output.writer.count(stored.count + added.count)
        for id in stored {
            while let first = added.first, PresentView.precedesInByteOrder(first, id) {
                output.writer.uuid(first)
                added.removeFirst()
            }
            output.writer.uuid(id)
        }
        for id in added { output.writer.uuid(id) }
        stored = []
        var symbols = FirstUseSymbols()
        var section = 0
        var changed = delta.sortedEntries(in: 0)[...]
        func write(_ entry: PresentEntry) throws {
            output.writer.u8(1)
            entry.write(to: &output.writer, symbols: &symbols)
            try output.flushIfFull()
        }
        func endSection() throws {
            for entry in changed { try write(entry) }
            output.writer.u8(0)
            section += 1
            changed = section < PresentEntry.sectionCount ? delta.sortedEntries(in: section)[...] : []
        }
        while let (_, entry) = try records.next() {
            while entry.section > section { try endSection() }
            while let first = changed.first, first.precedes(entry) {
                try write(first)
                changed.removeFirst()
            }
            guard touched.contains(entry.key) else {
                try write(entry)
                continue
            }
            if let first = changed.first, first.hasKey(of: entry) {
                try write(first)
                changed.removeFirst()
            }
        }
        while section < PresentEntry.sectionCount { try endSection() }
        symbols.writeTable(to: &output.writer, at: output.written)
        try output.flush()
    }

    /// Calls `body` with each collaborative formed, in slug order, each made from its own records alone.
    func forEachCollaborative(
        in view: any LogView, reader: HistoryReader, _ body: (PresentCollaborative) throws -> Void
    ) throws -> PresentViewFootprint {
        let erased = try PersonalDataKeys.erasedMembers(in: view)
        var slugs = collaboratives.filter { !touched.contains(.collaborative($0.slug)) }
        slugs += delta.collaboratives.keys.map { (slug: $0, offset: -1) }
        slugs.sort { $0.slug < $1.slug }
        var most = (collaboratives: 0, records: 0)
        for (slug, offset) in slugs {
            var part = try self.part(of: slug, at: offset)
            let keys = try PersonalDataKeys(view: view, members: part.members.keys, erased: erased)
            let summary = try part.summary(organisation: reader.organisations(in: view, keys: keys))
            most.collaboratives = max(most.collaboratives, part.collaboratives.count)
            most.records = max(most.records, part.recordCount + delta.recordCount)
            part = .empty
            for each in summary.collaboratives { try body(each) }
        }
        return PresentViewFootprint(streamed: true, collaboratives: most.collaboratives, records: most.records)
    }

    /// The records the summary of `slug` reads: its own, its memberships and their members', its roles,
    /// and its sub-groups (with every changed one: the summary keeps those formed in it).
    private func part(of slug: Slug, at offset: Int) throws -> PresentView {
        var part = PresentView.empty
        part.lastSeq = delta.lastSeq
        part.lastHash = delta.lastHash
        if offset >= 0 {
            part.insert(try record(in: 0, at: offset))
        } else if let record = delta.collaboratives[slug] {
            part.collaboratives[slug] = record
        }
        var memberIndices: [Slug: Int] = [:]
        try forEach(in: 1, memberships[slug]) { offset, entry in
            // The member is the record's second symbol index.
            var key = BinaryReader(bytes: bytes, range: offset..<bytes.count)
            _ = try key.varint()
            if case .membership(let membership, _) = entry {
                memberIndices[membership.member] = Int(try key.varint())
            }
            if !touched.contains(entry.key) { part.insert(entry) }
        }
        for (key, marks) in delta.memberships where key.group == slug { part.memberships[key] = marks }
        for key in part.memberships.keys {
            if touched.contains(.member(key.member)) {
                part.members[key.member] = delta.members[key.member]
            } else if let index = memberIndices[key.member], members.indices.contains(index), members[index] >= 0 {
                part.insert(try record(in: 2, at: members[index]))
            }
        }
        try forEach(in: 3, roles[slug]) { _, entry in if !touched.contains(entry.key) { part.insert(entry) } }
        for (key, marks) in delta.roles where key.collaborative == slug { part.roles[key] = marks }
        for offset in subgroups[slug] ?? [] {
            let entry = try record(in: 4, at: offset)
            if !touched.contains(entry.key) { part.insert(entry) }
        }
        for (key, record) in delta.subgroups { part.subgroups[key] = record }
        return part
    }

    /// The record of `section` at `offset`.
    private func record(in section: Int, at offset: Int) throws -> PresentEntry {
        var reader = BinaryReader(bytes: bytes, range: offset..<bytes.count)
        var symbols = symbols
        return try PresentEntry.read(section: section, from: &reader, symbols: &symbols)
    }

    /// Calls `body` with each record of `run` (of `section`) and where it starts.
    private func forEach(in section: Int, _ run: Run?, _ body: (Int, PresentEntry) throws -> Void) throws {
        guard let run else { return }
        var reader = BinaryReader(bytes: bytes, range: run.start..<bytes.count)
        var symbols = symbols
        for index in 0..<run.count {
            // Records follow each other with a marker byte 1 between them (checked when indexed).
            if index > 0 { _ = try reader.marker() }
            let offset = reader.position
            try body(offset, try PresentEntry.read(section: section, from: &reader, symbols: &symbols))
        }
    }
}

/// An encoding handed to `sink` as it is written, a chunk at a time (to a hasher, or a file).
struct ChunkedOutput {
    var writer = BinaryWriter()
    /// The bytes handed over so far.
    private(set) var written = 0
    private let sink: ([UInt8]) throws -> Void

    init(_ sink: @escaping ([UInt8]) throws -> Void) { self.sink = sink }

    /// Hands over what was written once it is a chunk's worth.
    mutating func flushIfFull() throws {
        if writer.buffer.count >= 1 << 16 { try flush() }
    }

    mutating func flush() throws {
        written += writer.buffer.count
        try writer.drain(sink)
    }
}
