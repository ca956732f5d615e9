internal import Foundation

/// ``LogView`` over one state of an ``InMemoryEventStore``: a snapshot for a read, or the state an append
/// or a restore is building (then also the ``SubjectKeyWriter`` of its `prepare` step), committed only
/// when the operation succeeds.
final class MemoryLogView: SubjectKeyWriter {
    var state: MemoryLogState

    init(_ state: MemoryLogState) { self.state = state }

    func head() throws -> LogHead { state.head }

    func event(at seq: UInt64) throws -> RecordedEvent? { state.event(at: seq) }

    func event(id: UUID) throws -> RecordedEvent? { state.ids[id].flatMap(state.event(at:)) }

    func streamVersion(_ stream: String) throws -> UInt64? {
        state.streams[Name(stream)].map { UInt64($0.count) }
    }

    func lastSeq(recordedAtOrBefore instant: Timestamp) throws -> UInt64 {
        UInt64(MemoryLogState.firstIndex(in: state.events) { $0.recordedAt > instant })
    }

    func tagIndexPosition() throws -> UInt64 { state.tagPosition }

    func tagScheme() throws -> String? { state.tagScheme }

    func taggedSeqs(_ tag: String, through seq: UInt64) throws -> [UInt64] {
        guard let seqs = state.tags[Name(tag)] else { return [] }
        return Array(seqs[..<MemoryLogState.firstIndex(in: seqs) { $0 > seq }])
    }

    func isTagged(_ seq: UInt64, with tag: String) throws -> Bool {
        guard let seqs = state.tags[Name(tag)] else { return false }
        let index = MemoryLogState.firstIndex(in: seqs) { $0 >= seq }
        return index < seqs.count && seqs[index] == seq
    }

    func tagEntryCount() throws -> Int { state.tags.values.reduce(0) { $0 + $1.count } }

    func checkpointPrefix(named name: String, length: Int) throws -> (position: UInt64, prefix: [UInt8])? {
        state.checkpoints[Name(name)].map { ($0.position, Array($0.state.prefix(max(length, 0)))) }
    }

    func checkpoint(named name: String) throws -> Checkpoint? { state.checkpoints[Name(name)] }

    func subjectKey(_ subject: String) throws -> SubjectKey? { state.keys[Name(subject)] }

    func subjectKeys(prefix: String) throws -> [String: SubjectKey] {
        // By UTF-8 bytes, as the LMDB store compares keys (a String's `hasPrefix` compares characters).
        let start = Name(prefix).bytes
        var found: [String: SubjectKey] = [:]
        for (subject, key) in state.keys where subject.bytes.starts(with: start) { found[subject.text] = key }
        return found
    }

    func createSubjectKeyIfAbsent(_ subject: String) throws -> SubjectKey {
        if let existing = state.keys[Name(subject)] { return existing }
        let key = SubjectKey.random()
        state.keys[Name(subject)] = key
        return key
    }

    @discardableResult
    func deleteSubjectKey(_ subject: String) throws -> Bool {
        state.keys.removeValue(forKey: Name(subject)) != nil
    }

    /// Stores `key` for `subject`, replacing none: a subject that has another key is refused (as a restore
    /// into the LMDB store refuses it).
    func store(_ key: SubjectKey, for subject: String) throws {
        if let existing = state.keys[Name(subject)] {
            guard existing == key else {
                throw EventLogError.restoreMismatch(seq: 0, reason: "subject \(subject) already has another key")
            }
            return
        }
        state.keys[Name(subject)] = key
    }

    func scan(from seq: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool) throws {
        try walk(from: seq, direction, body)
    }

    func scanStream(
        _ stream: String, from version: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool
    ) throws {
        guard let seqs = state.streams[Name(stream)] else { return }
        // Versions are 1…count: the version's index is version - 1.
        var index: Int
        switch direction {
        case .forward:
            guard version <= UInt64(seqs.count) else { return }
            index = Int(max(version, 1) - 1)
        case .backward:
            guard version >= 1 else { return }
            index = Int(min(version, UInt64(seqs.count))) - 1
        }
        while index >= 0 && index < seqs.count {
            guard let event = state.event(at: seqs[index]), try body(event) else { return }
            index += direction == .forward ? 1 : -1
        }
    }

    func scanType(
        _ type: String, from seq: UInt64, direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool
    ) throws {
        guard let seqs = state.types[Name(type)] else { return }
        var index =
            direction == .forward
            ? MemoryLogState.firstIndex(in: seqs) { $0 >= seq }
            : MemoryLogState.firstIndex(in: seqs) { $0 > seq } - 1
        while index >= 0 && index < seqs.count {
            guard let event = state.event(at: seqs[index]), try body(event) else { return }
            index += direction == .forward ? 1 : -1
        }
    }

    func scanOccurred(
        from lower: OccurredPosition, through upper: OccurredPosition, direction: ReadDirection,
        _ body: (RecordedEvent) throws -> Bool
    ) throws {
        guard lower <= upper else { return }
        let positions = state.occurred
        var index =
            direction == .forward
            ? MemoryLogState.firstIndex(in: positions) { $0 >= lower }
            : MemoryLogState.firstIndex(in: positions) { $0 > upper } - 1
        while index >= 0 && index < positions.count, positions[index] >= lower, positions[index] <= upper {
            guard let event = state.event(at: positions[index].seq), try body(event) else { return }
            index += direction == .forward ? 1 : -1
        }
    }

    /// Walks the log by seq from `seq` in `direction`.
    private func walk(from seq: UInt64, _ direction: ReadDirection, _ body: (RecordedEvent) throws -> Bool) throws {
        let count = state.events.count
        guard count > 0 else { return }
        var index: Int
        switch direction {
        case .forward:
            guard seq <= UInt64(count) else { return }
            index = Int(max(seq, 1) - 1)
        case .backward:
            guard seq >= 1 else { return }
            index = Int(min(seq, UInt64(count))) - 1
        }
        while index >= 0 && index < count {
            guard try body(state.events[index]) else { return }
            index += direction == .forward ? 1 : -1
        }
    }
}
