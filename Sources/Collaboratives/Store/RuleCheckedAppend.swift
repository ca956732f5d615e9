internal import EventLog

/// The hooks of a ``Chronicle`` append: personal data sealed with the members' keys, the rules of EVENTS.md
/// checked against the log as it was, and the present view's checkpoint stored with the events when due.
struct RuleCheckedAppend: AppendHooks {
    let chronicle: Chronicle
    /// The batch's drafts, in batch order (retries included).
    let drafts: [Draft]
    /// A dry run checks the rules and folds nothing ahead (it stores no checkpoint).
    let dryRun: Bool
    /// The present view folded by a large batch's validation, for its checkpoint.
    let foldedAhead = FoldedBatch()

    /// Seals the personal data of `batch` with its subjects' keys, created in the append's transaction.
    func prepare(_ batch: [NewEvent], keys: any SubjectKeyWriter) throws -> [NewEvent] {
        try chronicle.sealPersonalData(batch, drafts: drafts, in: keys)
    }

    /// Checks the rules for the events about to be written; a batch long enough to make the checkpoint due
    /// has its present view folded here too, where a large batch's validation runs (on a second thread,
    /// while the batch is written).
    func validate(_ offered: [NewEvent], against log: any LogView) throws {
        let ids = offered.map(\.id)
        var walk = DraftWalk(drafts)
        let batch = try walk.drafts(of: ids).map(\.pendingEntry)
        do {
            try chronicle.checkRules(batch, in: log)
        } catch let violation as RuleViolation {
            throw Chronicle.renumber(violation, fresh: offered, drafts: drafts)
        }
        // The events are written right after the head, in this order (the log's contract).
        foldedAhead.forget()
        guard !dryRun, offered.count >= chronicle.checkpointInterval else { return }
        let head = try log.head().seq
        let places = offered.enumerated().map { offset, event in
            BatchPosition(seq: head + 1 + UInt64(offset), id: event.id, hash: .genesis)
        }
        if let present = try chronicle.presentView(in: log, batch: places, drafts: drafts, batchIsStored: false) {
            foldedAhead.keep(present, firstSeq: head + 1, ids: ids)
        }
    }

    /// The present view moves with the log, in the same transaction, a checkpoint interval at a time: storing
    /// it costs its whole state, so an append stores it only when the events after it reach the interval (or
    /// it is missing); readers fold the few events it lacks.
    func checkpoints(for appended: [RecordedEvent], in log: any LogView) throws -> [Checkpoint] {
        guard try chronicle.checkpointIsDue(in: log) else { return [] }
        return [try checkpoint(for: appended, in: log)]
    }

    /// As ``checkpoints(for:in:)``, but a usable checkpoint is brought up to the head a record at a time
    /// (``MergedCheckpoint``) and written from its temporary file into the store, so that the append does not
    /// hold the whole view (hundreds of megabytes for ten million events). A large batch's view, folded
    /// during its validation, is stored as it was encoded there; a missing or unusable checkpoint, or one
    /// the merge could not write (no temporary file, say), is folded whole as before: the append is never
    /// refused for the checkpoint's sake.
    func storeCheckpoints(for appended: [RecordedEvent], in log: any LogView, put: CheckpointPut) throws {
        guard try chronicle.checkpointIsDue(in: log) else { return }
        if !foldedAhead.holds(appended), let merged = chronicle.mergedCheckpoint(in: log) {
            try put(PresentView.checkpointName, merged.position, merged.encoding.size, merged.write(into:))
            chronicle.lastCheckpointWrite.set(merged.footprint)
            return
        }
        let checkpoint = try checkpoint(for: appended, in: log)
        chronicle.lastCheckpointWrite.set(nil)
        try put(checkpoint.name, checkpoint.position, checkpoint.state.count) { $0.copyBytes(from: checkpoint.state) }
    }

    /// The checkpoint at the head of `log`, which shows `appended`: the one folded ahead for the batch, or
    /// the view folded whole.
    private func checkpoint(for appended: [RecordedEvent], in log: any LogView) throws -> Checkpoint {
        if let checkpoint = foldedAhead.take(for: appended) { return checkpoint }
        return try chronicle.presentView(in: log, appended: appended, drafts: drafts).checkpoint
    }
}
