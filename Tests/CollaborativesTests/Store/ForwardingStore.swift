import EventLog
import Foundation

/// A test's ``EventStore`` that wraps another (`base`) and forwards every call it does not implement itself:
/// the decorators that count or fail reads implement only what they change.
protocol ForwardingEventStore: EventStore {
    var base: any EventStore { get }
}

extension ForwardingEventStore {
    func read<R>(_ body: (any LogView) throws -> R) throws -> R { try base.read(body) }

    func append(
        _ batch: [NewEvent], expecting: [String: ExpectedVersion], hooks: any AppendHooks, dryRun: Bool
    ) throws -> AppendResult {
        try base.append(batch, expecting: expecting, hooks: hooks, dryRun: dryRun)
    }

    func restore(_ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey], dryRun: Bool) throws
        -> LogHead
    {
        try base.restore(events, tags: tags, keys: keys, dryRun: dryRun)
    }

    func withAppendSession<R: Sendable>(
        dryRun: Bool, room: AppendSessionRoom, _ body: (any AppendSession) throws -> R
    ) throws -> R {
        try base.withAppendSession(dryRun: dryRun, room: room, body)
    }

    func catchUpTags(scheme: String, _ tagger: (RecordedEvent) throws -> [String]) throws -> Int {
        try base.catchUpTags(scheme: scheme, tagger)
    }

    func releaseReadMemory() { base.releaseReadMemory() }

    func saveCheckpoint(_ checkpoint: Checkpoint) throws { try base.saveCheckpoint(checkpoint) }

    func saveCheckpoint(
        name: String, position: UInt64, stateSize: Int, write: (UnsafeMutableRawBufferPointer) throws -> Void
    ) throws {
        try base.saveCheckpoint(name: name, position: position, stateSize: stateSize, write: write)
    }

    func verify() throws -> VerificationReport { try base.verify() }

    func backup(to directory: String) throws { try base.backup(to: directory) }
}

/// A test's ``LogView`` that wraps another (`base`) and forwards every read it does not implement itself.
protocol ForwardingLogView: LogView {
    var base: any LogView { get }
}

extension ForwardingLogView {
    func head() throws -> LogHead { try base.head() }
    func event(at seq: UInt64) throws -> RecordedEvent? { try base.event(at: seq) }
    func event(id: UUID) throws -> RecordedEvent? { try base.event(id: id) }
    func streamVersion(_ stream: String) throws -> UInt64? { try base.streamVersion(stream) }
    func lastSeq(recordedAtOrBefore instant: Timestamp) throws -> UInt64 {
        try base.lastSeq(recordedAtOrBefore: instant)
    }
    func tagIndexPosition() throws -> UInt64 { try base.tagIndexPosition() }
    func tagScheme() throws -> String? { try base.tagScheme() }
    func taggedSeqs(_ tag: String, through seq: UInt64) throws -> [UInt64] { try base.taggedSeqs(tag, through: seq) }
    func isTagged(_ seq: UInt64, with tag: String) throws -> Bool { try base.isTagged(seq, with: tag) }
    func tagEntryCount() throws -> Int { try base.tagEntryCount() }
    func checkpointPrefix(named name: String, length: Int) throws -> (position: UInt64, prefix: [UInt8])? {
        try base.checkpointPrefix(named: name, length: length)
    }
    func checkpoint(named name: String) throws -> Checkpoint? { try base.checkpoint(named: name) }
    func subjectKey(_ subject: String) throws -> SubjectKey? { try base.subjectKey(subject) }
    func subjectKeys(prefix: String) throws -> [String: SubjectKey] { try base.subjectKeys(prefix: prefix) }
    func scan(from seq: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool) throws {
        try base.scan(from: seq, direction: direction, body)
    }
    func scanStream(
        _ stream: String, from version: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool
    ) throws {
        try base.scanStream(stream, from: version, direction: direction, body)
    }
    func scanType(
        _ type: String, from seq: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool
    ) throws {
        try base.scanType(type, from: seq, direction: direction, body)
    }
    func scanOccurred(
        from lower: OccurredPosition, through upper: OccurredPosition, direction: ReadDirection,
        _ body: (RecordedEvent) throws -> Bool
    ) throws {
        try base.scanOccurred(from: lower, through: upper, direction: direction, body)
    }
    func taggedSeqs(forEach tags: [String], through seq: UInt64) throws -> [String: [UInt64]] {
        try base.taggedSeqs(forEach: tags, through: seq)
    }
    func events(at seqs: [UInt64]) throws -> [UInt64: RecordedEvent] { try base.events(at: seqs) }
    func subjectKeys(for subjects: [String]) throws -> [String: SubjectKey] { try base.subjectKeys(for: subjects) }
    func events(ids: [UUID]) throws -> [UUID: RecordedEvent] { try base.events(ids: ids) }
}
