internal import Foundation

/// What ``EventStore/copy(to:chunkSize:progress:)`` moved and found.
public struct CopySummary: Hashable, Sendable {
    /// Events copied.
    public let events: UInt64
    /// Subject keys copied.
    public let subjectKeys: Int
    /// The head of the snapshot copied, which is the target's head after the copy.
    public let head: LogHead
    /// The source's `verify`, after the copy.
    public let source: VerificationReport
    /// The target's `verify`, after the copy.
    public let target: VerificationReport

    /// Creates a summary.
    public init(events: UInt64, subjectKeys: Int, head: LogHead, source: VerificationReport, target: VerificationReport)
    {
        self.events = events
        self.subjectKeys = subjectKeys
        self.head = head
        self.source = source
        self.target = target
    }
}

extension EventStore {
    /// Copies the whole history of this store into `target`, which must be empty: every event as stored
    /// (id, seq, stream version, recordedAt, recordedBy, payload, hash) and every subject key, read from
    /// one snapshot of this store and written with ``restore(_:tags:keys:dryRun:)`` `chunkSize` events at a
    /// time (so memory holds one chunk, not the log), each chunk checked against the chain by the target.
    /// Then both stores are verified and the target's head compared with the snapshot's.
    ///
    /// The tag index and projection checkpoints are derived data and are not copied: the target's tag index
    /// is left behind, for ``catchUpTags(scheme:_:)`` (the domain catches it up before its next append).
    /// A copy that fails part way leaves the chunks already written in the target (a verified prefix of the
    /// history): start again with an empty target.
    ///
    /// Throws ``EventLogError/restoreMismatch(seq:reason:)`` when `target` is not empty, and
    /// ``EventLogError/storage(_:)`` when the target's head after the copy is not the snapshot's.
    /// `progress` is called with the events copied so far and the total.
    @discardableResult
    public func copy(
        to target: any EventStore, chunkSize: Int = 4_096,
        progress: (_ copied: UInt64, _ total: UInt64) -> Void = { _, _ in }
    ) throws -> CopySummary {
        let existing = try target.head()
        guard existing.seq == 0 else {
            throw EventLogError.restoreMismatch(
                seq: 1, reason: "the target is not empty (it holds \(existing.seq) events); copy into an empty store")
        }
        let size = max(chunkSize, 1)
        let (head, keyCount) = try read { view in
            let head = try view.head()
            let keys = try view.subjectKeys(prefix: "")
            // The keys travel with the first chunk: the events that were sealed with them are in the same
            // snapshot, and a target that refuses a key refuses before any event is written.
            var pendingKeys = keys
            var chunk: [RecordedEvent] = []
            chunk.reserveCapacity(min(size, Int(clamping: head.seq)))
            var copied: UInt64 = 0
            progress(0, head.seq)
            func flush() throws {
                try target.restore(chunk, tags: nil, keys: pendingKeys, dryRun: false)
                copied += UInt64(chunk.count)
                pendingKeys = [:]
                chunk.removeAll(keepingCapacity: true)
                self.releaseReadMemory()
                progress(copied, head.seq)
            }
            try view.scan(from: 1, direction: .forward) { event in
                guard event.seq <= head.seq else { return false }
                chunk.append(event)
                if chunk.count == size { try flush() }
                return true
            }
            if !chunk.isEmpty || !pendingKeys.isEmpty { try flush() }
            return (head, keys.count)
        }
        let targetReport = try target.verify()
        guard targetReport.head == head else {
            throw EventLogError.storage(
                "the copy ends at seq \(targetReport.head.seq) \(targetReport.head.hash), the source's snapshot at "
                    + "seq \(head.seq) \(head.hash)")
        }
        return CopySummary(
            events: head.seq, subjectKeys: keyCount, head: head, source: try verify(), target: targetReport)
    }

    /// Writes this store into `directory` as a new LMDB store with ``copy(to:chunkSize:progress:)``, and
    /// checks that both ends verify; on failure removes what it wrote (see ``EventStore/backup(to:)``).
    public func backup(to directory: String) throws {
        let createdDirectory = try LMDBEventStore.prepareBackupDirectory(directory)
        do {
            let summary = try copy(to: LMDBEventStore(directory: directory, options: .init(create: true)))
            if let fault = summary.source.fault ?? summary.target.fault {
                throw EventLogError.storage("the copy does not verify: \(fault)")
            }
        } catch {
            LMDBEventStore.removeStoreFiles(in: directory, andDirectory: createdDirectory)
            throw error
        }
    }
}
