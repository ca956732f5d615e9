internal import EventLog
internal import Foundation

/// The write side of the present-view checkpoint: what an append folds from its drafts, and the commands
/// that store the checkpoint again. Reading it is ``HistoryReader``'s.
extension Chronicle {
    /// The present view at the head of `view` right after an append of `appended`, whose domain events are
    /// those of `drafts` (the batch, in order): the events before the batch are folded from the log as usual,
    /// the batch's own from its drafts, without decoding again what was just encoded (an import's whole
    /// file, say).
    func presentView(in view: any LogView, appended: [RecordedEvent], drafts: [Draft]) throws -> PresentView {
        let batch = appended.map { BatchPosition(seq: $0.seq, id: $0.id, hash: $0.hash) }
        guard let present = try presentView(in: view, batch: batch, drafts: drafts, batchIsStored: true) else {
            throw EventLogError.storage("the present view of the batch could not be folded")  // only without drafts
        }
        return present
    }

    /// The present view after `batch` (its events' places, in order), whose domain events are those of
    /// `drafts`: the stored checkpoint and the events after it up to the batch are folded from `view`, the
    /// batch's from its drafts. When `batchIsStored`, `view` holds the batch too, and an event without a draft
    /// is folded from it; otherwise (`view` is the log before the batch) such an event gives `nil`.
    func presentView(in view: any LogView, batch: [BatchPosition], drafts: [Draft], batchIsStored: Bool) throws
        -> PresentView?
    {
        guard let first = batch.first else { return try reader.presentView(in: view).present }
        var (present, state, _) = try reader.storedPresentView(in: view, head: try view.head())
        if case .unusable = state { present = .empty }
        try reader.fold(&present, in: view, through: first.seq - 1)
        var drafted = DraftedEntries(drafts)
        var walk = DraftWalk(drafts)
        for event in batch {
            guard let draft = walk.draft(event.id), present.lastSeq + 1 == event.seq else {
                guard batchIsStored else { return nil }
                try reader.fold(&present, in: view, through: event.seq)
                continue
            }
            try present.apply(
                drafted.entry(seq: event.seq, hash: event.hash, draft: draft, in: view, decoder: reader.decoder))
        }
        return present
    }

    /// Brings the stored checkpoint up to the head of the log and stores it (after a restore, which writes
    /// events without one): a usable checkpoint with at most ``mergeLimit`` events after it is brought up a
    /// record at a time (``MergedCheckpoint``), anything else rebuilt from the whole log as
    /// ``rebuildPresentView(spillDirectory:progress:)`` does; neither holds the whole view.
    ///
    /// The fold reads one snapshot and the checkpoint is written in a transaction of its own: should another
    /// writer append in between, the checkpoint stored is behind, never wrong, and the next append (or
    /// ``HistoryReader/presentView(in:)``) folds what it lacks.
    public func refreshPresentView() throws {
        guard let merged = try log.read({ mergedCheckpoint(in: $0) }) else {
            _ = try rebuildPresentView()
            lastCheckpointWrite.set(nil)
            return
        }
        try log.saveCheckpoint(
            name: PresentView.checkpointName, position: merged.position, stateSize: merged.encoding.size,
            write: merged.write(into:))
        lastCheckpointWrite.set(merged.footprint)
    }

    /// The most events after the stored checkpoint that ``MergedCheckpoint`` folds (it holds them decoded):
    /// an append's are fewer than two checkpoint intervals; more (a restore's, or a checkpoint left far
    /// behind by an older build) are folded from the whole log instead.
    static let mergeLimit: UInt64 = 16_384

    /// The stored checkpoint brought up to the head of `view` (``MergedCheckpoint``), or `nil` when it cannot
    /// be, for any reason (a temporary file that cannot be written included): the caller then folds the
    /// view whole.
    func mergedCheckpoint(in view: any LogView) -> MergedCheckpoint? {
        do {
            return try MergedCheckpoint(
                in: view, reader: reader, directory: SpillFile.temporaryDirectory, limit: Self.mergeLimit,
                release: log.releaseReadMemory)
        } catch {
            return nil
        }
    }

    /// ``HistoryReader/rederivePresentView(spillDirectory:progress:)``, then stores the result as the
    /// checkpoint, after folding the events appended meanwhile (see ``refreshPresentView()`` for what a
    /// concurrent append can do). The encoding goes from the temporary file straight into the store.
    public func rebuildPresentView(
        spillDirectory: String? = nil, progress: (_ folded: UInt64, _ total: UInt64) -> Void = { _, _ in }
    ) throws -> PresentViewRebuild {
        try rebuild(using: SpillingFold(directory: spillDirectory ?? SpillFile.temporaryDirectory), progress)
    }

    /// ``rebuildPresentView(spillDirectory:progress:)`` with `fold` (a test's spills more often): the whole
    /// log folded, then the events appended meanwhile too, and the result stored as the checkpoint.
    func rebuild(
        using fold: SpillingFold, _ progress: (_ folded: UInt64, _ total: UInt64) -> Void = { _, _ in }
    ) throws -> PresentViewRebuild {
        try reader.rederive(using: fold, progress) { fold, start in
            try log.read { view in
                guard try view.head().seq > fold.lastSeq else { return }
                if start.stored?.position == fold.lastSeq { start.rebuiltAtStored = try fold.digest() }
                try reader.decoder.forEachRecordedEntry(in: view, after: fold.lastSeq) { try fold.apply($0) }
            }
            let encoding = try SpillFile(directory: fold.directory, chunkSize: fold.chunkSize)
            let digest = try fold.finish(into: encoding)
            try log.saveCheckpoint(
                name: PresentView.checkpointName, position: fold.lastSeq, stateSize: encoding.size
            ) { try encoding.read(into: $0, at: 0) }
            return digest
        }
    }
}
