public import EventLog
internal import Foundation

/// How the stored present-view checkpoint stood against the log when it was read.
public enum CheckpointState: Equatable, Sendable {
    /// At the head of the log.
    case current
    /// Behind the head (a store written by an older build, or by a writer that bypassed ``Chronicle``): the
    /// events after `position` were folded from the log.
    case behind(position: UInt64)
    /// None stored: the whole log was folded.
    case missing
    /// Stored but not usable (another encoding version, damaged, ahead of the log, or made from another
    /// log): the whole log was folded.
    case unusable(reason: String)
}

/// How a checkpoint compared with the projection derived again from the log, up to the checkpoint's
/// position.
public enum CheckpointComparison: Equatable, Sendable {
    /// The digests are equal.
    case matched(position: UInt64, digest: ProjectionDigest)
    /// The digests differ (also when the checkpoint claims a position beyond the log's head; `rebuilt` is
    /// then the digest at the head).
    case differed(position: UInt64, stored: ProjectionDigest, rebuilt: ProjectionDigest)
    /// No checkpoint was stored.
    case missing
}

/// The present view derived again from the whole log: where it ends, its digest, and how the stored
/// checkpoint compared with it.
public struct PresentViewRebuild: Sendable {
    /// The last `seq` folded.
    public let lastSeq: UInt64
    /// That event's hash.
    public let lastHash: EventHash
    /// The digest of the state at ``lastSeq`` (of its canonical encoding; see ``PresentView/digest``).
    public let digest: ProjectionDigest
    /// The head of the log when the fold began.
    public let headAtStart: UInt64
    /// How the checkpoint stored when the fold began compared with it.
    public let comparison: CheckpointComparison
}

extension Chronicle {
    /// A stored event decoded for folding, with the target of a retraction read from `view`.
    public func recordedEntry(of event: RecordedEvent, in view: any LogView) throws -> RecordedEntry {
        try recordedEntry(of: event) { try view.event(id: $0) }
    }

    /// A stored event decoded for folding, with the target of a retraction found by `lookup`.
    func recordedEntry(of event: RecordedEvent, lookup: (UUID) throws -> RecordedEvent?) throws -> RecordedEntry {
        let entry = try self.entry(of: event)
        var target: TimelineEntry?
        if case .eventRetracted(let retraction) = entry.event, let stored = try lookup(retraction.event) {
            target = try self.entry(of: stored)
        }
        return RecordedEntry(seq: event.seq, hash: event.hash, entry: entry, retracted: target)
    }

    /// Folds into `present` the events of `view` after its ``PresentView/lastSeq``, through `last`
    /// (inclusive; by default through the head).
    public func fold(_ present: inout PresentView, in view: any LogView, through last: UInt64 = .max) throws {
        try forEachRecordedEntry(in: view, after: present.lastSeq, through: last) { present.apply($0) }
    }

    /// Calls `body` with the events of `view` after `first`, through `last`, decoded for folding.
    func forEachRecordedEntry(
        in view: any LogView, after first: UInt64, through last: UInt64 = .max, _ body: (RecordedEntry) throws -> Void
    ) throws {
        guard first < last else { return }
        try view.scan(from: first + 1, direction: .forward) { event in
            guard event.seq <= last else { return false }
            try body(try self.recordedEntry(of: event, in: view))
            return true
        }
    }

    /// The present view at the head of `view`: the stored checkpoint with the events after it folded from
    /// the log, or a fold of the whole log when none is stored or it cannot be used. Never throws for the
    /// checkpoint's sake, so that an append is never refused because of it.
    ///
    /// - Complexity: O(S) to decode a state of size S, plus the events the checkpoint lacks.
    public func presentView(in view: any LogView) throws -> (present: PresentView, checkpoint: CheckpointState) {
        let (present, state, _) = try foldedPresentView(in: view, digestIfCurrent: false)
        return (present, state)
    }

    /// ``presentView(in:)`` with the view's ``PresentView/digest``. When the stored checkpoint is current,
    /// that is the digest of its stored bytes: the encoding is canonical (one state has one encoding, and
    /// the decoder refuses any other), so the view need not be encoded again (megabytes, for a large log).
    public func presentViewAndDigest(in view: any LogView) throws -> (
        present: PresentView, checkpoint: CheckpointState, digest: ProjectionDigest
    ) {
        let (present, state, storedDigest) = try foldedPresentView(in: view, digestIfCurrent: true)
        return (present, state, storedDigest ?? present.digest)
    }

    /// The stored checkpoint (if usable) with the events after it folded, and, with `digestIfCurrent`, the
    /// digest of its stored bytes when it is current (nothing was folded then).
    private func foldedPresentView(in view: any LogView, digestIfCurrent: Bool) throws -> (
        PresentView, CheckpointState, ProjectionDigest?
    ) {
        var (present, state, storedDigest) = try storedPresentView(
            in: view, head: try view.head(), digestIfCurrent: digestIfCurrent)
        if case .unusable = state { present = .empty }
        try fold(&present, in: view)
        return (present, state, storedDigest)
    }

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
        guard let first = batch.first else { return try presentView(in: view).present }
        var (present, state, _) = try storedPresentView(in: view, head: try view.head())
        if case .unusable = state { present = .empty }
        try fold(&present, in: view, through: first.seq - 1)
        // Only the entries that a retraction in the batch names need remembering.
        let targets = Set(drafts.compactMap { if case .eventRetracted(let r) = $0.event { r.event } else { nil } })
        var entries: [UUID: TimelineEntry] = [:]
        var walk = DraftWalk(drafts)
        for event in batch {
            guard let draft = walk.draft(event.id), present.lastSeq + 1 == event.seq else {
                guard batchIsStored else { return nil }
                try fold(&present, in: view, through: event.seq)
                continue
            }
            let entry = TimelineEntry(id: event.id, seq: event.seq, occurredAt: draft.occurredAt, event: draft.event)
            if targets.contains(event.id) { entries[event.id] = entry }
            var target: TimelineEntry?
            if case .eventRetracted(let retraction) = draft.event {
                if let inBatch = entries[retraction.event] {
                    target = inBatch
                } else if let stored = try view.event(id: retraction.event) {
                    target = try self.entry(of: stored)
                }
            }
            present.apply(RecordedEntry(seq: event.seq, hash: event.hash, entry: entry, retracted: target))
        }
        return present
    }

    /// The summary of `present`, with each organisation read from the event that gave it.
    public func summary(of present: PresentView, in view: any LogView) throws -> PresentSummary {
        let keys = try PersonalDataKeys(view: view)
        return try present.summary { seq in
            guard let event = try view.event(at: seq) else { return nil }
            switch try decode(event) {
            case .memberJoined(let joined): return keys.open(joined.organisation, of: joined.member)
            case .memberDetailsChanged(let changed): return keys.open(changed.organisation, of: changed.member)
            default: return nil
            }
        }
    }

    /// Brings the stored checkpoint up to the head of the log and stores it (after a restore, which writes
    /// events without one).
    ///
    /// The fold reads one snapshot and the checkpoint is written in a transaction of its own: should another
    /// writer append in between, the checkpoint stored is behind, never wrong, and the next append (or
    /// `presentView(in:)`) folds what it lacks.
    @discardableResult
    public func refreshPresentView() throws -> PresentView {
        let present = try log.read { try self.presentView(in: $0).present }
        try log.saveCheckpoint(present.checkpoint)
        return present
    }

    /// Events folded between two releases of the log's mapped pages during a rebuild: the pages of
    /// ~2,000 events stay a few megabytes even where the log's pages lie scattered among the indexes' (the
    /// kernel maps a fault's neighbours too), and a release is one `madvise` call, cheap beside the events
    /// folded in between.
    static let rebuildReleaseInterval: UInt64 = 2_048

    /// Derives the present view again from the whole log, from scratch, and compares it with the
    /// checkpoint stored when it began, at that checkpoint's position.
    ///
    /// The log is read a stretch at a time and the state is spilled to a temporary file in
    /// `spillDirectory` as it grows (``SpillingFold``), so memory stays bounded whatever the log holds.
    /// - Parameter progress: called now and then with the events folded and the head when the fold began.
    public func rederivePresentView(
        spillDirectory: String? = nil, progress: (_ folded: UInt64, _ total: UInt64) -> Void = { _, _ in }
    ) throws -> PresentViewRebuild {
        try rederive(using: SpillingFold(directory: spillDirectory ?? SpillFile.temporaryDirectory), progress)
    }

    /// ``rederivePresentView(spillDirectory:progress:)``, then stores the result as the checkpoint, after
    /// folding the events appended meanwhile (see ``refreshPresentView()`` for what a concurrent append can
    /// do). The encoding goes from the temporary file straight into the store.
    public func rebuildPresentView(
        spillDirectory: String? = nil, progress: (_ folded: UInt64, _ total: UInt64) -> Void = { _, _ in }
    ) throws -> PresentViewRebuild {
        try rederive(
            using: SpillingFold(directory: spillDirectory ?? SpillFile.temporaryDirectory), storing: true, progress)
    }

    /// Both of the above with `fold` (a test's spills more often): the whole log folded, then, when
    /// `storing`, the events appended meanwhile too and the result stored as the checkpoint.
    func rederive(
        using fold: SpillingFold, storing: Bool = false,
        _ progress: (_ folded: UInt64, _ total: UInt64) -> Void = { _, _ in }
    ) throws -> PresentViewRebuild {
        var fold = fold
        defer { fold.abandon() }
        var start = try foldWholeLog(into: &fold, progress: progress)
        guard storing else { return start.result(of: fold, digest: try fold.finish(into: nil)) }
        try log.read { view in
            guard try view.head().seq > fold.lastSeq else { return }
            if start.stored?.position == fold.lastSeq { start.rebuiltAtStored = try fold.digest() }
            try forEachRecordedEntry(in: view, after: fold.lastSeq) { try fold.apply($0) }
        }
        let encoding = try SpillFile(directory: fold.directory, chunkSize: fold.chunkSize)
        let digest = try fold.finish(into: encoding)
        try log.saveCheckpoint(name: PresentView.checkpointName, position: fold.lastSeq, stateSize: encoding.size) {
            try encoding.read(into: $0, at: 0)
        }
        return start.result(of: fold, digest: digest)
    }

    /// Where a rebuild began: the head, the stored checkpoint's position and digest, and the rebuilt
    /// state's digest at that position once the fold has passed it.
    private struct RebuildStart {
        let head: LogHead
        let stored: (position: UInt64, digest: ProjectionDigest)?
        var rebuiltAtStored: ProjectionDigest?

        /// The rebuild of `fold`, whose state's digest is `digest`.
        func result(of fold: SpillingFold, digest: ProjectionDigest) -> PresentViewRebuild {
            let comparison: CheckpointComparison
            if let stored {
                let rebuilt = rebuiltAtStored ?? digest
                // A checkpoint beyond the head claims events the log does not have, whatever its state says.
                comparison =
                    rebuilt == stored.digest && stored.position <= fold.lastSeq
                    ? .matched(position: stored.position, digest: rebuilt)
                    : .differed(position: stored.position, stored: stored.digest, rebuilt: rebuilt)
            } else {
                comparison = .missing
            }
            return PresentViewRebuild(
                lastSeq: fold.lastSeq, lastHash: fold.lastHash, digest: digest, headAtStart: head.seq,
                comparison: comparison)
        }
    }

    /// Folds the log through its head into `fold`, taking the digest at the stored checkpoint's position
    /// when the fold passes it before the head.
    private func foldWholeLog(
        into fold: inout SpillingFold, progress: (_ folded: UInt64, _ total: UInt64) -> Void
    ) throws -> RebuildStart {
        // Only the stored checkpoint's position and digest are kept: its state (megabytes for a large log)
        // is not held through the fold.
        var start = try log.read { view in
            let checkpoint = try view.checkpoint(named: PresentView.checkpointName)
            return RebuildStart(
                head: try view.head(),
                stored: checkpoint.map { (position: $0.position, digest: ProjectionDigest(of: $0.state)) })
        }
        let head = start.head.seq
        if start.stored?.position == 0, head > 0 { start.rebuiltAtStored = PresentView.empty.digest }
        progress(0, head)
        try forEachDecodedEntry(through: head) { entry in
            try fold.apply(entry)
            if fold.lastSeq == start.stored?.position, fold.lastSeq < head { start.rebuiltAtStored = try fold.digest() }
            if fold.lastSeq % 1024 == 0 { progress(fold.lastSeq, head) }
            if fold.lastSeq % Self.rebuildReleaseInterval == 0 { log.releaseReadMemory() }
        }
        // The pages of the last stretch are not needed for encoding and storing the state.
        log.releaseReadMemory()
        progress(fold.lastSeq, head)
        return start
    }

    /// The stored checkpoint and its state; the state is `.empty` unless `.current` or `.behind`. With
    /// `digestIfCurrent`, a current checkpoint's stored bytes' digest too.
    private func storedPresentView(in view: any LogView, head: LogHead, digestIfCurrent: Bool = false) throws -> (
        PresentView, CheckpointState, ProjectionDigest?
    ) {
        guard let checkpoint = try view.checkpoint(named: PresentView.checkpointName) else {
            return (.empty, .missing, nil)
        }
        let present: PresentView
        do {
            present = try PresentView(decoding: checkpoint.state)
        } catch {
            return (.empty, .unusable(reason: error.description), nil)
        }
        guard present.lastSeq == checkpoint.position else {
            return (.empty, .unusable(reason: "its position \(checkpoint.position) is not its state's"), nil)
        }
        guard present.lastSeq <= head.seq else {
            return (.empty, .unusable(reason: "it is at seq \(present.lastSeq), beyond the head (\(head.seq))"), nil)
        }
        let hash = try present.lastSeq == 0 ? EventHash.genesis : view.event(at: present.lastSeq)?.hash
        guard hash == present.lastHash else {
            return (.empty, .unusable(reason: "the hash at seq \(present.lastSeq) is not the one it folded"), nil)
        }
        guard present.lastSeq == head.seq else { return (present, .behind(position: present.lastSeq), nil) }
        return (present, .current, digestIfCurrent ? ProjectionDigest(of: checkpoint.state) : nil)
    }
}
