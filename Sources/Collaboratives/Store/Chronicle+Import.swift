public import EventLog
internal import Foundation

/// What an import did (or, in a dry run, would do).
public struct ImportSummary: Sendable {
    /// Events read.
    public let lines: Int
    /// Events written (or that would be).
    public let appended: Int
    /// Events already stored with the same content (idempotent re-import), skipped.
    public let duplicates: Int
    /// Whether the input was a whole export restored into an empty store.
    public let restored: Bool
    /// Whether nothing was written.
    public let dryRun: Bool
    /// The log's head afterwards (in a dry run: as it would be).
    public let head: LogHead
}

extension Chronicle {
    /// Imports NDJSON lines as one all-or-nothing batch.
    ///
    /// Lines carrying the output-only fields of an export (`recordedAt`, `seq`, `stream`, `streamVersion`,
    /// `hash`) are accepted only when every line carries all of them and the store is empty: the export is
    /// then restored exactly, its hash chain verified line by line. Otherwise such a line is accepted only
    /// as an idempotent re-append of an event already stored with the same content.
    ///
    /// - Parameter lines: each line's 1-based number and bytes (without newline); blank lines are skipped.
    /// - Throws: ``InputError`` naming the line and field, ``EventLogError``.
    @discardableResult
    public func importLines(
        _ lines: [(number: Int, bytes: [UInt8])], defaultRecordedBy: String, dryRun: Bool = false
    ) throws -> ImportSummary {
        var parsed: [(number: Int, line: InterchangeLine)] = []
        for (number, bytes) in lines where !bytes.allSatisfy(Self.isWhitespace) {
            do {
                parsed.append((number, try InterchangeLine.parse(bytes)))
            } catch {
                throw InputError(line: number, message: error.description)
            }
        }
        let restoring = parsed.filter { !$0.line.restored.isEmpty }
        if !parsed.isEmpty, restoring.count == parsed.count, try log.head().seq == 0 {
            return try restore(parsed, dryRun: dryRun)
        }
        var drafts: [Draft] = []
        var lineOfID: [UUID: Int] = [:]
        for (number, line) in parsed {
            let draft: Draft
            do {
                draft = try Draft(line: line, defaultRecordedBy: defaultRecordedBy, upcasters: upcasters)
            } catch {
                throw InputError(line: number, message: error.description)
            }
            if !line.restored.isEmpty {
                try checkIdempotentRestoreLine(draft, line: line, number: number)
            }
            if let earlier = lineOfID[draft.id] {
                throw InputError(line: number, message: "id: \(draft.id.lowercased) already used on line \(earlier)")
            }
            lineOfID[draft.id] = number
            drafts.append(draft)
        }
        let result: AppendResult
        do {
            result = try append(drafts, dryRun: dryRun)
        } catch let violation as RuleViolation {
            if case .batch(let index, _) = violation.subject, index < parsed.count {
                throw InputError(line: parsed[index].number, message: violation.description)
            }
            throw violation
        } catch EventLogError.duplicateIDWithDifferentContent(let id, let seq) {
            throw InputError(
                line: lineOfID[id],
                message: "id: \(id.lowercased) is already stored (seq \(seq)) with different content")
        } catch EventLogError.invalidEnvelope(let index, let field, let reason) where index < parsed.count {
            throw InputError(line: parsed[index].number, message: "\(field): \(reason)")
        }
        return ImportSummary(
            lines: parsed.count, appended: result.appended.count, duplicates: result.duplicates.count,
            restored: false, dryRun: dryRun, head: result.head)
    }

    private func checkIdempotentRestoreLine(_ draft: Draft, line: InterchangeLine, number: Int) throws {
        let stored = try log.read { try $0.event(id: draft.id) }
        guard let stored, try isStoredCopy(draft, stored) else {
            throw InputError(
                line: number,
                message: "\(line.restored.presentNames.joined(separator: ", ")): output-only fields are accepted "
                    + "only when restoring a whole export into an empty store")
        }
    }

    private func restore(_ parsed: [(number: Int, line: InterchangeLine)], dryRun: Bool) throws -> ImportSummary {
        var events: [RecordedEvent] = []
        var entries: [TimelineEntry] = []
        var keys: [String: SubjectKey] = [:]
        for (number, line) in parsed {
            let restored = line.restored
            guard let id = line.id, let recordedAt = restored.recordedAt, let seq = restored.seq,
                let stream = restored.stream, let streamVersion = restored.streamVersion, let hash = restored.hash,
                let recordedBy = line.recordedBy
            else {
                throw InputError(
                    line: number,
                    message: "a restored line needs id, recordedBy, recordedAt, seq, stream, streamVersion and hash")
            }
            let draft: Draft
            do {
                draft = try Draft(line: line, defaultRecordedBy: recordedBy, upcasters: upcasters)
            } catch {
                throw InputError(line: number, message: error.description)
            }
            guard draft.event.stream == stream else {
                throw InputError(
                    line: number, message: "stream: \(stream) is not the stream of this event (\(draft.event.stream))")
            }
            if case .key(let key)? = restored.sealed, let member = draft.event.personalData?.member {
                let subject = PersonalDataSeal.subject(of: member)
                if let other = keys[subject], other != key {
                    throw InputError(
                        line: number, message: "sealed.key: another key than earlier lines give for \(member)")
                }
                keys[subject] = key
            }
            var event = RecordedEvent(
                seq: seq, id: id, stream: stream, streamVersion: streamVersion, type: line.type,
                schemaVersion: line.schemaVersion, occurredAt: line.occurredAt.validTime, recordedAt: recordedAt,
                recordedBy: recordedBy, payload: draft.newEvent.payload, hash: hash)
            // An export of a store written before the binary layout carries hashes over JSON payloads: such
            // an event is restored with the JSON its hash covers. Any other mismatch is left to the log's
            // chain check, which names the line.
            let previous = events.last?.hash ?? .genesis
            if event.chainHash(after: previous) != hash, let json = Self.jsonPayload(of: draft, line: line),
                json != event.payload
            {
                let legacy = RecordedEvent(
                    seq: seq, id: id, stream: stream, streamVersion: streamVersion, type: line.type,
                    schemaVersion: line.schemaVersion, occurredAt: line.occurredAt.validTime,
                    recordedAt: recordedAt, recordedBy: recordedBy, payload: json, hash: hash)
                if legacy.chainHash(after: previous) == hash { event = legacy }
            }
            events.append(event)
            entries.append(draft.pendingEntry)
        }
        do {
            try RuleCheck.validate(stored: [], batch: entries, today: today)
        } catch {
            if case .batch(let index, _) = error.subject, index < parsed.count {
                throw InputError(line: parsed[index].number, message: error.description)
            }
            throw error
        }
        let head: LogHead
        // The index of an empty store is current with these tags, so the restore writes them in its own
        // transaction instead of leaving them for a catch-up that decodes everything again.
        if !dryRun { try catchUpTags() }
        do {
            head = try log.restore(
                events, tags: entries.map { EventTag.tags(of: $0.event) }, keys: keys, dryRun: dryRun)
        } catch EventLogError.restoreMismatch(let seq, let reason) {
            let number = parsed.first { $0.line.restored.seq == seq }?.number
            throw InputError(line: number, message: "cannot restore seq \(seq): \(reason)")
        }
        // A restore writes the events as exported, without the projections' checkpoints. The events are
        // durable by now: failing here would report a restore that happened as failed, and a missing
        // checkpoint is only derived data that the next append or `chronicle rebuild` stores again.
        if !dryRun { _ = try? refreshPresentView() }
        return ImportSummary(
            lines: parsed.count, appended: events.count, duplicates: 0, restored: true, dryRun: dryRun, head: head)
    }

    /// The JSON payload a store before the binary layout kept for `draft` (personal fields sealed as the
    /// line says), or `nil` when that is what the draft stores anyway (an older schema version).
    private static func jsonPayload(of draft: Draft, line: InterchangeLine) -> [UInt8]? {
        guard draft.olderVersionData == nil else { return nil }
        do {
            return try line.restored.sealed?.storedData(of: line.data, event: draft.event, id: draft.id).canonicalBytes
                ?? line.data.canonicalBytes
        } catch {
            return nil
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }
}
