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

extension HistoryReader {
    /// Folds into `present` the events of `view` after its ``PresentView/lastSeq``, through `last`
    /// (inclusive; by default through the head).
    public func fold(_ present: inout PresentView, in view: any LogView, through last: UInt64 = .max) throws {
        try decoder.forEachRecordedEntry(in: view, after: present.lastSeq, through: last) { present.apply($0) }
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

    /// The summary of `present`, with each organisation read from the event that gave it.
    public func summary(of present: PresentView, in view: any LogView) throws -> PresentSummary {
        try present.summary(organisation: organisations(in: view, keys: try PersonalDataKeys(view: view)))
    }

    /// Reads the organisation given by the event at a `seq` of `view`, opened with `keys` (what a summary
    /// shows for a member).
    func organisations(in view: any LogView, keys: PersonalDataKeys) -> (UInt64) throws -> String? {
        { seq in
            guard let event = try view.event(at: seq) else { return nil }
            switch try decoder.decode(event) {
            case .memberJoined(let joined): return keys.open(joined.organisation, of: joined.member)
            case .memberDetailsChanged(let changed): return keys.open(changed.organisation, of: changed.member)
            default: return nil
            }
        }
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

    /// ``rederivePresentView(spillDirectory:progress:)`` with `fold` (a test's spills more often): the whole
    /// log folded into `fold`, then `finish` (by default nothing more; a rebuild folds the events appended
    /// meanwhile and stores the state, see ``Chronicle/rebuildPresentView(spillDirectory:progress:)``) gives
    /// the digest of the state. The fold's temporary file is removed when this returns.
    func rederive(
        using fold: SpillingFold, _ progress: (_ folded: UInt64, _ total: UInt64) -> Void = { _, _ in },
        finish: (inout SpillingFold, inout RebuildStart) throws -> ProjectionDigest = { fold, _ in
            try fold.finish(into: nil)
        }
    ) throws -> PresentViewRebuild {
        var fold = fold
        defer { fold.abandon() }
        var start = try foldWholeLog(into: &fold, progress: progress)
        let digest = try finish(&fold, &start)
        return start.result(of: fold, digest: digest)
    }

    /// Where a rebuild began: the head, the stored checkpoint's position and digest, and the rebuilt
    /// state's digest at that position once the fold has passed it.
    struct RebuildStart {
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
        try forEachDecodedEntry(through: head, keepingAttendees: false) { entry in
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
    func storedPresentView(in view: any LogView, head: LogHead, digestIfCurrent: Bool = false) throws -> (
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
