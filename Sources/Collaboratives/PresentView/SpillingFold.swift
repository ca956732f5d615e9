internal import ChronicleSupport
internal import Crypto
internal import EventLog
internal import Foundation

/// A fold of the whole log into the present view that holds a bounded part of the state in memory: what a
/// rebuild uses, so that its footprint does not grow with the people and relationships of a large log.
///
/// Events are folded into a live ``PresentView`` as usual; whenever it holds ``spillThreshold`` records,
/// its records are written to a temporary file as a sorted run (``PresentEntry`` by section and key) and
/// dropped, keeping only the retracted ids and the position. The encoding is then written as the runs are
/// merged (``finish(into:)``), in one pass, without the whole state in memory at any point (the canonical
/// encoding names its symbols in the order of first use and states the table last for this reason).
///
/// **Why merging the runs gives the fold's state.** The present view is a function of the set of visible
/// events (see ``PresentView``): each record is the marks of its key's visible events in timeline order,
/// plus totals. A run holds the marks its events set, so a key's record is the union of its runs' marks,
/// less those of events retracted after the run that holds them was written (``retractedSeqs``: a
/// retraction in the live part finds no marks of an event already spilled; a retraction met before its
/// target keeps the target out of every later part through the retracted ids, as in one fold), and the sum
/// of its runs' totals (a retraction of an earlier run's workshop leaves −1 in its own part).
struct SpillingFold {
    /// Records held in memory before they are spilled: about 4 MB of the state's dictionaries and marks.
    static let defaultSpillThreshold = 16_384

    /// Records held before a spill.
    let spillThreshold: Int
    /// The part of the state folded since the last spill, with every retracted id and the position.
    private(set) var live = PresentView.empty
    /// The `seq`s of events whose effect a retraction took back after they were folded: their marks may
    /// sit in a run written before the retraction was folded.
    private(set) var retractedSeqs: Set<UInt64> = []
    /// The runs, in the order written, as (start, end) byte offsets in `file`.
    private(set) var runs: [Range<Int>] = []
    /// Where its temporary files go.
    let directory: String
    private var file: SpillFile?
    /// The run being encoded on another thread.
    private var pending: Background<[UInt8]>?
    /// Whether a spill failed (its records are lost to the fold).
    private var failed = false
    /// Bytes read or written at a time in its files.
    let chunkSize: Int
    /// The most records (and collaboratives' records) the live part held at once: at most ``spillThreshold``.
    private(set) var mostHeld: (records: Int, collaboratives: Int) = (0, 0)

    /// A fold whose runs go to a temporary file in `directory` (created when the first run is written),
    /// read and written `chunkSize` bytes at a time.
    init(
        directory: String = SpillFile.temporaryDirectory, spillThreshold: Int = defaultSpillThreshold,
        chunkSize: Int = SpillFile.defaultChunkSize
    ) {
        self.directory = directory
        self.spillThreshold = max(spillThreshold, 1)
        self.chunkSize = max(chunkSize, 1)
    }

    var lastSeq: UInt64 { live.lastSeq }
    var lastHash: EventHash { live.lastHash }

    /// Folds one event (see ``PresentView/apply(_:)``), spilling the live part when it is full.
    mutating func apply(_ recorded: RecordedEntry) throws {
        try checkNotFailed()
        guard recorded.seq > live.lastSeq else { return }
        // Exactly when `PresentView.apply` takes the target's effect back (its marks may be in a run).
        if case .eventRetracted(let retraction) = recorded.entry.event, !live.retractedIDs.contains(retraction.event),
            let target = recorded.retracted, target.id == retraction.event, let targetSeq = target.seq,
            targetSeq < recorded.seq
        {
            if case .eventRetracted = target.event {} else { retractedSeqs.insert(targetSeq) }
        }
        live.apply(recorded)
        mostHeld.records = max(mostHeld.records, live.recordCount)
        mostHeld.collaboratives = max(mostHeld.collaboratives, live.collaboratives.count)
        if live.recordCount >= spillThreshold { try spill() }
    }

    /// Starts the fold at a stored state, `encoding` (a checkpoint's, as ``PresentView/encoded()`` writes
    /// it), so that only the events after it are folded: its records become the first run, copied a chunk
    /// at a time as they are read (the state is never decoded whole), and its position, hash and retracted
    /// ids go to the live part. Merging gives the fold's state by the argument of the type's comment: the
    /// encoding is the marks and totals of the events up to its position, like any run.
    ///
    /// Only before anything is folded. Throws ``UnreadableState`` when the encoding cannot be read (every check
    /// of ``PresentView/init(decoding:)``), any other error when its run cannot be written: either way the fold
    /// is then to be given up.
    mutating func start(from encoding: [UInt8]) throws {
        guard live.lastSeq == 0, runs.isEmpty, pending == nil, !failed else {
            throw EventLogError.storage("a fold can start from a stored state only before it folds anything")
        }
        var records = try UnreadableState.reading { try PresentEncodingReader(encoding) }
        var header = PresentView.empty
        header.lastSeq = records.lastSeq
        header.lastHash = records.lastHash
        try UnreadableState.reading {
            try records.readRetractedIDs(reserving: { header.retractedIDs.reserveCapacity($0) }) {
                header.retractedIDs.insert($0)
            }
        }
        failed = true  // until the run is written whole
        let file = try self.file ?? SpillFile(directory: directory, chunkSize: chunkSize)
        self.file = file
        let start = file.size
        var writer = BinaryWriter()
        var record = BinaryWriter()
        var inline = InlineSymbols()
        while let (_, entry) = try UnreadableState.reading({ try records.next() }) {
            entry.write(to: &record, symbols: &inline)
            writer.u8(UInt8(entry.section))
            writer.u32(record.buffer.count)
            writer.append(takingFrom: &record)
            if writer.buffer.count >= chunkSize { try writer.drain { try file.append($0) } }
        }
        try writer.drain { try file.append($0) }
        runs.append(start..<file.size)
        live = header
        failed = false
    }

    /// The stored state given to ``start(from:)`` does not read (the reason is `reason`'s): unlike its temporary
    /// file's errors, this one is the stored checkpoint's.
    struct UnreadableState: Error, CustomStringConvertible {
        let reason: any Error
        var description: String { "\(reason)" }

        /// `body`'s result, or its error as an ``UnreadableState``.
        static func reading<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch { throw UnreadableState(reason: error) }
        }
    }

    /// Throws when an earlier spill failed: the records it dropped are in no run, so nothing folded after
    /// may be encoded.
    private func checkNotFailed() throws {
        if failed { throw EventLogError.storage("the rebuild's fold lost a spilled part to an earlier error") }
    }

    /// Waits for the part being encoded on another thread, if any, and lets it go: for a fold given up
    /// midway (no work of it outlives the rebuild).
    mutating func abandon() {
        _ = try? pending?.value()
        pending = nil
    }

    /// Hands the live part's records to another thread, which encodes them as a run, and drops them here;
    /// the run is written to the file when the next spill (or the end) waits for it, so at most one part is
    /// being encoded while the fold goes on.
    mutating func spill() throws {
        try checkNotFailed()
        try writePendingRun()
        guard live.recordCount > 0 else { return }
        let part = live
        live.removeRecords()  // `part` now holds the records' only copy, let go on the other thread
        pending = Background { part.spillRun() }
    }

    /// Waits for the run being encoded, if any, and appends it to the file.
    private mutating func writePendingRun() throws {
        guard let pending else { return }
        self.pending = nil
        do {
            let run = try pending.value()
            let file = try self.file ?? SpillFile(directory: directory, chunkSize: chunkSize)
            self.file = file
            let start = file.size
            try file.append(run)
            runs.append(start..<file.size)
        } catch {
            failed = true
            throw error
        }
    }

    /// The digest of the state folded so far (the live part is spilled first; folding may go on).
    mutating func digest() throws -> ProjectionDigest {
        try finish(into: nil)
    }

    /// Writes the canonical encoding of the state folded so far (``PresentView/encoded()`` of a plain fold)
    /// to `output`, when given, a chunk at a time, and returns its digest. Folding may go on after.
    mutating func finish(into output: SpillFile?) throws -> ProjectionDigest {
        try spill()
        try writePendingRun()
        var hasher = SHA256()
        var writer = BinaryWriter()
        var written = 0
        func flush() throws {
            try writer.drain { chunk in
                hasher.update(data: chunk)
                try output?.append(chunk)
                written += chunk.count
            }
        }
        var symbols = FirstUseSymbols()
        live.writeHeader(to: &writer)
        var section = 0
        try merge { entry in
            while section < entry.section {  // the sections before it end
                writer.u8(0)
                section += 1
            }
            writer.u8(1)
            entry.write(to: &writer, symbols: &symbols)
            if writer.buffer.count >= chunkSize { try flush() }
        }
        while section < PresentEntry.sectionCount {
            writer.u8(0)
            section += 1
        }
        symbols.writeTable(to: &writer, at: written)
        try flush()
        return ProjectionDigest(hashOf: hasher)
    }

    /// Calls `body` with each key's record merged from the runs, in the encoding's order. The merging runs a
    /// batch ahead on another thread, so that reading the runs back and writing the encoding overlap.
    private func merge(_ body: (PresentEntry) throws -> Void) throws {
        guard let file, !runs.isEmpty else { return }
        let merger = try RunMerger(file: file, runs: runs, dropping: retractedSeqs)
        var pending: Background<[PresentEntry]>? = Background { try merger.next(RunMerger.batchSize) }
        // When `body` throws, the batch being merged is waited for, so that no work on the file outlives the call.
        defer { _ = try? pending?.value() }
        while let current = pending {
            let batch = try current.value()
            pending = batch.isEmpty ? nil : Background { try merger.next(RunMerger.batchSize) }
            for entry in batch { try body(entry) }
        }
    }
}

/// Merges the runs of a ``SpillingFold``: each key's records, from every run that holds one, as one.
private final class RunMerger: @unchecked Sendable {
    // @unchecked: one thread at a time calls `next` (each batch is asked for once the previous one is in).

    /// Records merged per call of ``next(_:)``.
    static let batchSize = 4_096

    private var cursors: [RunCursor]
    /// Each cursor's record, kept apart from the cursors so that comparing them copies no cursor.
    private var heads: [PresentEntry?]
    /// The keys of `heads`, which the order compares: reading a record out of `heads` to compare it copied
    /// it (every array it holds retained and released), a fifth of the merge's work at 1M events.
    private var keys: [PresentKey?]
    /// The cursors with a record left, in the order of their records: the first ones share the next key.
    private var order: [Int]
    private let dropped: Set<UInt64>

    init(file: SpillFile, runs: [Range<Int>], dropping dropped: Set<UInt64>) throws {
        cursors = try runs.map { try RunCursor(file: file, range: $0) }
        heads = cursors.map(\.entry)
        keys = heads.map { $0?.key }
        order = []
        self.dropped = dropped
        order = cursors.indices.filter { keys[$0] != nil }.sorted(by: precedes)
    }

    private func precedes(_ first: Int, _ second: Int) -> Bool {
        guard let one = keys[first], let two = keys[second] else { return keys[first] != nil }
        return one.compare(two) < 0
    }

    /// The next merged records, at most `limit` (none at the end).
    func next(_ limit: Int) throws -> [PresentEntry] {
        var merged: [PresentEntry] = []
        var parts: [PresentEntry] = []
        var advancing: [Int] = []
        while merged.count < limit, let first = order.first, let leading = keys[first] {
            var group = 1
            while group < order.count, let next = keys[order[group]], next.compare(leading) == 0 { group += 1 }
            parts.removeAll(keepingCapacity: true)
            advancing.removeAll(keepingCapacity: true)
            advancing.append(contentsOf: order[..<group])
            order.removeFirst(group)
            for index in advancing {
                if let entry = heads[index].take() { parts.append(entry) }  // moved, not copied
                try cursors[index].advance()
                heads[index] = cursors[index].entry
                keys[index] = heads[index]?.key
                guard keys[index] != nil else { continue }
                order.insert(index, at: order.partitioningIndex { !precedes($0, index) })
            }
            if let entry = PresentEntry.merging(parts, dropping: dropped) { merged.append(entry) }
        }
        return merged
    }
}

extension PresentView {
    /// The records as a run of ``SpillingFold``: each, in the encoding's order, as its section (u8), its
    /// length (u32) and the record with its texts inline.
    func spillRun() -> [UInt8] {
        var writer = BinaryWriter()
        var record = BinaryWriter()
        var inline = InlineSymbols()
        for section in 0..<PresentEntry.sectionCount {
            for entry in sortedEntries(in: section) {
                entry.write(to: &record, symbols: &inline)
                writer.u8(UInt8(section))
                writer.u32(record.buffer.count)
                writer.append(takingFrom: &record)
            }
        }
        return writer.buffer
    }
}

/// Reads one run back a record at a time.
private struct RunCursor {
    private let file: SpillFile
    private var offset: Int
    private let end: Int
    private var buffer: [UInt8] = []
    private var position = 0
    /// The record at the cursor, or `nil` at the end of the run.
    private(set) var entry: PresentEntry?

    init(file: SpillFile, range: Range<Int>) throws {
        self.file = file
        self.offset = range.lowerBound
        self.end = range.upperBound
        try advance()
    }

    /// Moves to the next record.
    mutating func advance() throws {
        guard try available(5) else {
            entry = nil
            return
        }
        let section = Int(buffer[position])
        let length = buffer[position + 1..<position + 5].reduce(0) { $0 << 8 | Int($1) }
        position += 5
        guard try available(length) else {
            throw EventLogError.storage("the rebuild's temporary file ends inside a record")
        }
        var reader = BinaryReader(bytes: buffer, range: position..<position + length)
        position += length
        var inline = InlineSymbols()
        let entry = try PresentEntry.read(section: section, from: &reader, symbols: &inline)
        guard reader.isAtEnd else {
            throw EventLogError.storage("a record of the rebuild's temporary file is too long")
        }
        self.entry = entry
    }

    /// Whether `count` bytes are at `position`, reading more of the run when needed; `false` at its end.
    private mutating func available(_ count: Int) throws -> Bool {
        if buffer.count - position >= count { return true }
        buffer.removeFirst(position)
        position = 0
        let wanted = min(max(count - buffer.count, file.chunkSize), end - offset)
        guard wanted > 0 else { return false }
        let read = try file.read(wanted, at: offset)
        offset += read.count
        buffer.append(contentsOf: read)
        return buffer.count >= count
    }
}
