internal import EventLog
internal import Foundation

/// Where a long import's present-view fold spills, and how much it holds before it does (``SpillingFold``).
struct CheckpointSpill: Sendable {
    /// The directory of its temporary file (`nil`: `TMPDIR`, or `/tmp`).
    var directory: String?
    /// Records held in memory before a spill.
    var threshold: Int

    /// `TMPDIR` and ``SpillingFold/defaultSpillThreshold``: a few megabytes held.
    static let standard = CheckpointSpill(directory: nil, threshold: SpillingFold.defaultSpillThreshold)
}

/// The present view that an import long enough to store the checkpoint keeps folded for it, held as a
/// ``SpillingFold``: a bounded part of the state in memory, the rest in sorted runs in a temporary file,
/// merged into the canonical encoding at the end and copied from there into the store (as a rebuild
/// stores its state). The whole view (tens of megabytes a million events, hundreds at ten million) is
/// never held, whatever the import's length or the store's size.
///
/// It starts from the stored checkpoint when that fits the log (its records copied as the fold's first
/// run, never decoded whole), else from the empty view, and folds the log from there to the head; the
/// stretches written afterwards are folded from their drafts, without decoding again what was just encoded.
/// What it stores is what a fold of the whole view stores, byte for byte (``SpillingFold/finish(into:)``).
///
/// A class, so that the fold's background work is waited for however the import ends (``deinit``); its
/// temporary files are unlinked from the start (``SpillFile``), so a failed import leaves none behind.
final class ImportCheckpointFold {
    private var fold: SpillingFold
    private let reader: HistoryReader

    /// The present view at the head of `view` (see the type's comment), spilled as `spill` says. `release`
    /// is called once the stored checkpoint is copied out of the store (see ``MergedCheckpoint``).
    init(in view: any LogView, reader: HistoryReader, spill: CheckpointSpill, release: () -> Void = {}) throws {
        self.reader = reader
        let directory = spill.directory ?? SpillFile.temporaryDirectory
        fold = SpillingFold(directory: directory, spillThreshold: spill.threshold)
        if let encoding = try Self.usableCheckpoint(in: view, release: release) {
            do {
                try fold.start(from: encoding)
            } catch {
                // Unusable after all (damaged records): the whole log is folded, as a reader of it would.
                fold.abandon()
                fold = SpillingFold(directory: directory, spillThreshold: spill.threshold)
            }
        }
        try reader.decoder.forEachRecordedEntry(in: view, after: fold.lastSeq) { try fold.apply($0) }
    }

    deinit { fold.abandon() }

    /// The stored checkpoint's encoding when its header fits the log (position, at or before the head, and
    /// the hash there), as ``HistoryReader/presentView(in:)`` judges it; its records are checked as they
    /// are copied.
    private static func usableCheckpoint(in view: any LogView, release: () -> Void) throws -> [UInt8]? {
        guard let checkpoint = try view.checkpoint(named: PresentView.checkpointName) else { return nil }
        release()
        let bytes = checkpoint.state
        guard let stated = PresentView.header(of: bytes), stated.lastSeq == checkpoint.position,
            stated.lastSeq <= (try view.head().seq)
        else { return nil }
        let hash = try stated.lastSeq == 0 ? EventHash.genesis : view.event(at: stated.lastSeq)?.hash
        return hash == stated.lastHash ? bytes : nil
    }

    /// The last `seq` folded.
    var lastSeq: UInt64 { fold.lastSeq }

    /// Folds `written`, a stretch the import just wrote at the head of `view`, whose domain events are those
    /// of `drafts` (the stretch's, in order): each from its draft, an event without one (or out of place)
    /// from the log.
    func fold(_ written: [RecordedEvent], drafts: [Draft], in view: any LogView) throws {
        // A retraction of an earlier stretch's event finds it in the session's transaction.
        var drafted = DraftedEntries(drafts)
        var walk = DraftWalk(drafts)
        for event in written {
            guard let draft = walk.draft(event.id), fold.lastSeq + 1 == event.seq else {
                try reader.decoder.forEachRecordedEntry(in: view, after: fold.lastSeq, through: event.seq) {
                    try fold.apply($0)
                }
                continue
            }
            try fold.apply(
                drafted.entry(seq: event.seq, hash: event.hash, draft: draft, in: view, decoder: reader.decoder))
        }
    }

    /// The state folded so far as its canonical encoding, in a temporary file (removed once let go).
    func encoded() throws -> (position: UInt64, encoding: SpillFile) {
        let encoding = try SpillFile(directory: fold.directory, chunkSize: fold.chunkSize)
        _ = try fold.finish(into: encoding)
        return (fold.lastSeq, encoding)
    }

    /// The most of the view held at once (what a test checks to know that it was not held whole).
    var footprint: PresentViewFootprint {
        PresentViewFootprint(
            streamed: true, collaboratives: fold.mostHeld.collaboratives, records: fold.mostHeld.records)
    }
}
