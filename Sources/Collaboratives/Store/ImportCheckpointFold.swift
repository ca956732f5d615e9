internal import EventLog
internal import FileSystem
internal import Foundation

/// Where a long import's present-view fold spills, how much it holds before it does (``SpillingFold``), and
/// where the warning goes when it cannot spill.
struct CheckpointSpill: Sendable {
    /// The directory of its temporary file (`nil`: `TMPDIR`, or `/tmp`).
    var directory: String?
    /// Records held in memory before a spill.
    var threshold: Int
    /// Told the one-line warning (``ImportCheckpointFold/SpillFailure/warning``) when the fold cannot spill
    /// and the view is folded whole instead.
    var warn: @Sendable (String) -> Void = CheckpointSpill.warnOnStandardError

    /// `TMPDIR` and ``SpillingFold/defaultSpillThreshold``: a few megabytes held.
    static let standard = CheckpointSpill(directory: nil, threshold: SpillingFold.defaultSpillThreshold)

    /// Writes `message` to standard error as the command line's diagnostics are written (`chronicle: ` first).
    static let warnOnStandardError: @Sendable (String) -> Void = { message in
        var line = "chronicle: " + message + "\n"
        line.withUTF8 { bytes in _ = FileSystem.writeAll(UnsafeRawBufferPointer(bytes), to: .standardError) }
    }
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
///
/// **Errors.** What goes wrong with its temporary file while the view is folded and merged (it cannot be
/// created, written, or read back for the merge) is thrown as a ``SpillFailure``, which the import answers by
/// folding the view whole, as before the fold spilled, with a warning naming `TMPDIR`: the checkpoint is
/// derived data, not worth refusing the import for. Reading the merged encoding back into the store's
/// reserved value is not retried: that value is then partly filled, so a failure there is the import's
/// error, and nothing is written. Any other error, reading or decoding the log, is the import's and is thrown
/// as it is: folding again would only meet it a second time (on PostgreSQL, as "current transaction is
/// aborted").
final class ImportCheckpointFold {
    private var fold: SpillingFold
    private let reader: HistoryReader

    /// The fold's temporary file failed (`reason`) in `directory`.
    struct SpillFailure: Error, CustomStringConvertible {
        let reason: any Error
        let directory: String

        var description: String { "\(reason)" }

        /// What the import says on standard error before it folds the view whole instead: one line, naming
        /// the directory (in the reason) and `TMPDIR`, which chooses it.
        var warning: String {
            let why = if case EventLogError.storage(let message) = reason { message } else { "\(reason)" }
            return "warning: the present view's checkpoint is folded in memory, its temporary file having failed "
                + "(\(why)); set TMPDIR to a writable directory with room (now \(directory))"
        }
    }

    /// The present view at the head of `view` (see the type's comment), spilled as `spill` says. `release`
    /// is called once the stored checkpoint is copied out of the store (see ``MergedCheckpoint``).
    init(in view: any LogView, reader: HistoryReader, spill: CheckpointSpill, release: () -> Void = {}) throws {
        self.reader = reader
        let directory = spill.directory ?? SpillFile.temporaryDirectory
        fold = SpillingFold(directory: directory, spillThreshold: spill.threshold)
        if let encoding = try Self.usableCheckpoint(in: view, release: release) {
            do {
                try Self.spilling(in: directory) { try fold.start(from: encoding) }
            } catch let failure as SpillFailure where failure.reason is SpillingFold.UnreadableState {
                // Unusable after all (damaged records): the whole log is folded, as a reader of it would.
                fold.abandon()
                fold = SpillingFold(directory: directory, spillThreshold: spill.threshold)
            }
        }
        try reader.decoder.forEachRecordedEntry(in: view, after: fold.lastSeq) { entry in
            try Self.spilling(in: directory) { try fold.apply(entry) }
        }
    }

    /// `body`'s result, or its error (the fold's temporary file's) as a ``SpillFailure``.
    private static func spilling<T>(in directory: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw SpillFailure(reason: error, directory: directory) }
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
                try reader.decoder.forEachRecordedEntry(in: view, after: fold.lastSeq, through: event.seq) { entry in
                    try Self.spilling(in: fold.directory) { try fold.apply(entry) }
                }
                continue
            }
            let entry = try drafted.entry(
                seq: event.seq, hash: event.hash, draft: draft, in: view, decoder: reader.decoder)
            try Self.spilling(in: fold.directory) { try fold.apply(entry) }
        }
    }

    /// The state folded so far as its canonical encoding, in a temporary file (removed once let go).
    func encoded() throws -> (position: UInt64, encoding: SpillFile) {
        try Self.spilling(in: fold.directory) {
            let encoding = try SpillFile(directory: fold.directory, chunkSize: fold.chunkSize)
            _ = try fold.finish(into: encoding)
            return (fold.lastSeq, encoding)
        }
    }

    /// The most of the view held at once (what a test checks to know that it was not held whole).
    var footprint: PresentViewFootprint {
        PresentViewFootprint(
            streamed: true, collaboratives: fold.mostHeld.collaboratives, records: fold.mostHeld.records)
    }
}
