public import Foundation

/// Why an operation on the event log failed. Library code throws these; the CLI words and codes them.
public enum EventLogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The store directory holds no store (and creation was not asked for).
    case storeNotFound(path: String)
    /// The store was written in an on-disk format this build does not know.
    case unsupportedFormat(found: UInt32, supported: UInt32)
    /// Optimistic concurrency: the stream is not at the expected version.
    case wrongExpectedVersion(stream: String, expected: ExpectedVersion, actual: UInt64?)
    /// An id already stored (at `seq`) was offered with different content.
    case duplicateIDWithDifferentContent(id: UUID, storedSeq: UInt64)
    /// The same id appears twice in one batch.
    case duplicateIDInBatch(id: UUID)
    /// An envelope field is unusable (empty stream, NUL byte, too long …).
    case invalidEnvelope(index: Int, field: String, reason: String)
    /// A restored event does not continue the log (seq, stream version, time or hash).
    case restoreMismatch(seq: UInt64, reason: String)
    /// A stored record could not be decoded.
    case corruptRecord(seq: UInt64, reason: String)
    /// The store's clock reads `clock`, more than ``ClockTolerance/behindHead`` before `head`, the log's last
    /// `recordedAt`: the append was refused (see ``LMDBEventStore/Options/allowsClockBehind``).
    case clockBehindHead(clock: Timestamp, head: Timestamp)
    /// The storage engine failed (the underlying error, as text).
    case storage(String)
    /// The user may not do this, and nothing was written: on PostgreSQL a role without the privilege (a reader
    /// appending, a recorder erasing, restoring or recording for a collaborative it was not granted); on LMDB
    /// a store whose files this process may not write (`EACCES`, `EPERM`). The text says what was refused
    /// and what it needs.
    case permissionDenied(String)
    /// ``permissionDenied(_:)`` for one event of the batch, at `index` (from 0): on PostgreSQL, an event naming a
    /// collaborative the recorder was not granted, or none. `reason` is the whole refusal in words (it names the
    /// event by its place in the batch, from 1); the index lets a caller name what the event came from (an
    /// import names its input line, which blank lines set apart from the event's place).
    case eventRefused(index: Int, reason: String)
    /// One write transaction (an ``AppendSession``: a streamed import) reached what the store lets one hold,
    /// `limit` (in words), and was rolled back: nothing was written.
    case transactionTooLarge(limit: String)

    public var description: String {
        switch self {
        case .storeNotFound(let path):
            "no Chronicle store at \(path) (create one with `chronicle init`)"
        case .unsupportedFormat(let found, let supported) where found > supported:
            "store format \(found) was written by a newer Chronicle: this build reads format \(supported) and "
                + "earlier; use a newer build"
        case .unsupportedFormat(let found, let supported):
            "store format \(found) is not supported by this build (it reads format \(supported))"
        case .wrongExpectedVersion(let stream, let expected, let actual):
            "stream \(stream) was expected \(expected) but is at "
                + (actual.map { "version \($0)" } ?? "no version (it does not exist)")
        case .duplicateIDWithDifferentContent(let id, let seq):
            "event id \(id.uuidString.lowercased()) is already stored (seq \(seq)) with different content"
        case .duplicateIDInBatch(let id):
            "event id \(id.uuidString.lowercased()) appears twice in the batch"
        case .invalidEnvelope(let index, let field, let reason):
            "event \(index + 1) of the batch: \(field): \(reason)"
        case .restoreMismatch(let seq, let reason):
            "cannot restore event seq \(seq): \(reason)"
        case .corruptRecord(let seq, let reason):
            "stored event seq \(seq) is corrupt: \(reason)"
        case .clockBehindHead(let clock, let head):
            "the clock reads \(clock), more than \(ClockTolerance.behindHead / 60_000_000) minutes before the log's "
                + "last recordedAt \(head): nothing was written"
        case .storage(let message):
            "storage error: \(message)"
        case .permissionDenied(let message):
            message
        case .eventRefused(_, let reason):
            reason
        case .transactionTooLarge(let limit):
            "too large for one transaction: the store may grow by at most \(limit) in one, and nothing was "
                + "written; import the file in parts"
        }
    }
}

/// What a stream's version must be for an append to go ahead (optimistic concurrency).
public enum ExpectedVersion: Hashable, Sendable, CustomStringConvertible {
    /// No check.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream must exist and be exactly at this version.
    case exact(UInt64)

    /// Whether a stream currently at `actual` (`nil`: no stream) satisfies the expectation.
    public func isSatisfied(by actual: UInt64?) -> Bool {
        switch self {
        case .any: true
        case .noStream: actual == nil
        case .exact(let version): actual == version
        }
    }

    public var description: String {
        switch self {
        case .any: "at any version"
        case .noStream: "not to exist"
        case .exact(let version): "at version \(version)"
        }
    }
}
