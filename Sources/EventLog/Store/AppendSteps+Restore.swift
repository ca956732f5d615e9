internal import Foundation

extension AppendSteps {
    /// The continuity check of a restore, event by event, written once for every backend (LMDB, in-memory and
    /// PostgreSQL's store, through `package`): an event offered to a restore carries its own seq, stream
    /// version, `recordedAt` and hash, and is taken only where it continues the log exactly.
    ///
    /// The checks, in this order, each refusing with ``EventLogError/restoreMismatch(seq:reason:)``: the seq
    /// follows the head's without a gap; the stream version follows the stream's; `recordedAt` does not go
    /// back (the transaction time of the log never decreases, which `asOf` reads rely on); the id is neither
    /// earlier in this restore nor already stored; and the hash is the one the event's envelope and payload
    /// give after the previous event's, so that the restored chain links to the log it continues.
    ///
    /// The backend says where its stream versions and stored ids come from (closures called only once the
    /// checks before them have passed, so a refused event costs no look-up it does not need).
    package struct RestoreContinuity {
        /// The head of the log with the events admitted so far.
        package private(set) var head: LogHead
        /// The seq of each id admitted so far (they are not in the store's id index until the restore ends).
        private var restoredIDs: [UUID: UInt64] = [:]

        /// Starts after `head`, the head of the stored log the restore continues.
        package init(after head: LogHead) {
            self.head = head
        }

        /// Checks that `event` continues the log and takes it as the new head.
        ///
        /// - Parameters:
        ///   - expectedVersion: the version the event's stream is at once it is added (the stored version,
        ///     or that of the last event of the stream admitted before it, plus one).
        ///   - storedSeq: the seq at which the event's id is stored already, if it is.
        /// - Returns: the event's body, the bytes its hash covers after the previous hash (see
        ///   ``EventEncoding``), for a backend that stores it as it is.
        /// - Throws: ``EventLogError/restoreMismatch(seq:reason:)`` naming the event and the check it fails, or
        ///   what the closures throw.
        @discardableResult
        package mutating func admit(
            _ event: RecordedEvent, expectedVersion: () throws -> UInt64, storedSeq: () throws -> UInt64?
        ) throws -> [UInt8] {
            guard event.seq == head.seq + 1 else {
                throw EventLogError.restoreMismatch(seq: event.seq, reason: "expected seq \(head.seq + 1)")
            }
            let version = try expectedVersion()
            guard event.streamVersion == version else {
                throw EventLogError.restoreMismatch(
                    seq: event.seq, reason: "expected version \(version) of stream \(event.stream)")
            }
            if let last = head.recordedAt, event.recordedAt < last {
                throw EventLogError.restoreMismatch(
                    seq: event.seq, reason: "recordedAt \(event.recordedAt) is before the previous event's \(last)")
            }
            if let earlier = restoredIDs.updateValue(event.seq, forKey: event.id) {
                throw EventLogError.restoreMismatch(
                    seq: event.seq,
                    reason: "id \(event.id.uuidString.lowercased()) is already restored at seq \(earlier)")
            }
            if let stored = try storedSeq() {
                throw EventLogError.restoreMismatch(
                    seq: event.seq, reason: "id \(event.id.uuidString.lowercased()) is already stored at seq \(stored)")
            }
            let body = EventEncoding.body(of: event)
            let hash = EventEncoding.chain(previous: head.hash, body: body)
            guard hash == event.hash else {
                throw EventLogError.restoreMismatch(
                    seq: event.seq, reason: "hash does not verify (computed \(hash), given \(event.hash))")
            }
            head = LogHead(seq: event.seq, hash: hash, recordedAt: event.recordedAt)
            return body
        }
    }
}
