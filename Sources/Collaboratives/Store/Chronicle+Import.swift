internal import ChronicleSupport
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
    /// - Parameters:
    ///   - lines: each line's 1-based number and bytes (without newline); blank lines are skipped.
    ///   - progress: called after each stretch of lines is parsed and drafted, with the lines done and the
    ///     total (the rules and the write that follow report nothing).
    /// - Throws: ``InputError`` naming the line and field, ``EventLogError``.
    @discardableResult
    public func importLines(
        _ lines: [(number: Int, bytes: [UInt8])], defaultRecordedBy: String, dryRun: Bool = false,
        progress: (_ drafted: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> ImportSummary {
        try importLines(
            lines, defaultRecordedBy: defaultRecordedBy, dryRun: dryRun, stretch: Self.draftingStretch,
            progress: progress)
    }

    /// ``importLines(_:defaultRecordedBy:dryRun:)``, parsing and drafting `stretch` lines at a time.
    func importLines(
        _ lines: [(number: Int, bytes: [UInt8])], defaultRecordedBy: String, dryRun: Bool, stretch: Int,
        progress: (_ drafted: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> ImportSummary {
        // One pass turns each line into its draft; the parsed JSON is not kept, so an import holds each
        // event once, decoded, rather than its JSON tree as well. Only a line carrying an export's
        // output-only fields keeps its parsed envelope (an ``ImportItem``), for a restore or its check.
        var numbers: [Int] = []
        numbers.reserveCapacity(lines.count)
        var drafts: [Draft] = []
        drafts.reserveCapacity(lines.count)
        var envelopes: [NewEvent?] = []
        envelopes.reserveCapacity(lines.count)
        var exportLines: [ImportItem] = []
        var start = lines.startIndex
        while start < lines.endIndex {
            let end = min(start + max(stretch, 1), lines.endIndex)
            for drafted in try drafted(lines[start..<end], defaultRecordedBy: defaultRecordedBy).joined() {
                if let line = drafted.exportLine {
                    exportLines.append(
                        ImportItem(
                            number: drafted.number, line: line, draft: drafted.draft,
                            previousHash: exportLines.last?.line.restored.hash ?? .genesis))
                }
                numbers.append(drafted.number)
                drafts.append(drafted.draft)
                envelopes.append(drafted.newEvent)
            }
            start = end
            progress(end - lines.startIndex, lines.count)
        }
        if !numbers.isEmpty, exportLines.count == numbers.count, try log.head().seq == 0 {
            releaseInBackground((consume drafts, consume envelopes))
            return try restore(exportLines, dryRun: dryRun)
        }
        var events: [NewEvent] = []
        events.reserveCapacity(numbers.count)
        var exportLineIndex = exportLines.startIndex
        for index in numbers.indices {
            let envelope = envelopes[index].take()  // moved, not copied
            if envelope == nil {
                try checkIdempotentRestoreLine(exportLines[exportLineIndex])
                exportLineIndex += 1
            }
            events.append(envelope ?? drafts[index].newEvent)
        }
        releaseInBackground((consume envelopes, consume exportLines))
        let result: AppendResult
        do {
            result = try append(drafts, events: events, dryRun: dryRun)
        } catch let violation as RuleViolation {
            if case .batch(let index, _) = violation.subject, index < numbers.count {
                throw InputError(line: numbers[index], message: violation.description)
            }
            throw violation
        } catch EventLogError.duplicateIDInBatch(let id) {
            // The log refuses a repeated id before anything else of the batch; the lines are found here.
            let repeats = Self.lineNumbers(of: id, drafts: drafts, numbers: numbers)
            throw InputError(
                line: repeats.dropFirst().first,
                message: "id: \(id.lowercased) already used on line \(repeats.first.map(String.init) ?? "?")")
        } catch EventLogError.duplicateIDWithDifferentContent(let id, let seq) {
            throw InputError(
                line: Self.lineNumbers(of: id, drafts: drafts, numbers: numbers).first,
                message: "id: \(id.lowercased) is already stored (seq \(seq)) with different content")
        } catch EventLogError.invalidEnvelope(let index, let field, let reason) where index < numbers.count {
            throw InputError(line: numbers[index], message: "\(field): \(reason)")
        }
        let summary = ImportSummary(
            lines: numbers.count, appended: result.appended.count, duplicates: result.duplicates.count,
            restored: false, dryRun: dryRun, head: result.head)
        releaseInBackground((consume drafts, consume events, consume result))
        return summary
    }

    /// The lines of the drafts with `id`, in order (for an error: it reads every draft).
    private static func lineNumbers(of id: UUID, drafts: [Draft], numbers: [Int]) -> [Int] {
        drafts.indices.filter { drafts[$0].id == id }.map { numbers[$0] }
    }

    /// How many lines an import parses and drafts at a time (half of them on another thread).
    static let draftingStretch = 8_192

    /// One input line drafted: a line of an export (carrying output-only fields) keeps its parsed envelope
    /// and has no ``NewEvent`` made yet (a restore needs none); any other line has its envelope made.
    private struct DraftedLine: Sendable {
        let number: Int
        let draft: Draft
        let exportLine: InterchangeLine?
        let newEvent: NewEvent?
    }

    /// The lines (blank ones skipped) parsed and drafted, in order, in one or two parts (not joined into
    /// one array, a copy of each); the second half of a long stretch is done on another thread meanwhile,
    /// since each line's work stands alone (and the parsed JSON of a line that is not an export's is let go
    /// there too).
    ///
    /// - Throws: ``InputError`` for the first line, in file order, that does not read.
    private func drafted(
        _ lines: ArraySlice<(number: Int, bytes: [UInt8])>, defaultRecordedBy: String
    ) throws -> [[DraftedLine]] {
        let upcasters = upcasters
        @Sendable func draft(_ lines: ArraySlice<(number: Int, bytes: [UInt8])>) throws -> [DraftedLine] {
            var drafted: [DraftedLine] = []
            drafted.reserveCapacity(lines.count)
            for (number, bytes) in lines where !bytes.allSatisfy(Self.isWhitespace) {
                do {
                    let line = try InterchangeLine.parse(bytes)
                    let draft = try Draft(line: line, defaultRecordedBy: defaultRecordedBy, upcasters: upcasters)
                    let isExportLine = !line.restored.isEmpty
                    drafted.append(
                        DraftedLine(
                            number: number, draft: draft, exportLine: isExportLine ? line : nil,
                            newEvent: isExportLine ? nil : draft.newEvent))
                } catch {
                    throw InputError(line: number, message: error.description)
                }
            }
            return drafted
        }
        guard lines.count >= 64 else { return [try draft(lines)] }  // a thread costs more than a few lines
        let middle = lines.startIndex + lines.count / 2
        let second = lines[middle...]
        let ahead = Background { try draft(second) }
        let first = try draft(lines[..<middle])
        return [first, try ahead.value()]
    }

    private func checkIdempotentRestoreLine(_ item: ImportItem) throws {
        let stored = try log.read { try $0.event(id: item.draft.id) }
        guard let stored, try isStoredCopy(item.draft, stored) else {
            if let stored, Self.isStoredBeforeTheBinaryLayout(stored) {
                throw InputError(line: item.number, message: Self.storedBeforeTheBinaryLayout(item.draft.id))
            }
            throw InputError(
                line: item.number,
                message: "\(item.line.restored.presentNames.joined(separator: ", ")): output-only fields are "
                    + "accepted only when restoring a whole export into an empty store")
        }
    }

    private func restore(_ items: [ImportItem], dryRun: Bool) throws -> ImportSummary {
        var events: [RecordedEvent] = []
        events.reserveCapacity(items.count)
        var keys: [String: SubjectKey] = [:]
        for item in items {
            guard let event = item.restoredEvent else {
                throw InputError(
                    line: item.number,
                    message: "a restored line needs id, recordedBy, recordedAt, seq, stream, streamVersion and hash")
            }
            guard item.draft.event.stream == event.stream else {
                throw InputError(
                    line: item.number,
                    message: "stream: \(event.stream) is not the stream of this event (\(item.draft.event.stream))")
            }
            if case .key(let key)? = item.line.restored.sealed, let member = item.draft.event.personalData?.member {
                let subject = PersonalDataSeal.subject(of: member)
                if let other = keys[subject], other != key {
                    throw InputError(
                        line: item.number, message: "sealed.key: another key than earlier lines give for \(member)")
                }
                keys[subject] = key
            }
            events.append(event)
        }
        do {
            try RuleCheck.validate(stored: [], batch: items.map(\.draft.pendingEntry), today: today)
        } catch {
            if case .batch(let index, _) = error.subject, index < items.count {
                throw InputError(line: items[index].number, message: error.description)
            }
            throw error
        }
        let head: LogHead
        // The index of an empty store is current with these tags, so the restore writes them in its own
        // transaction instead of leaving them for a catch-up that decodes everything again.
        if !dryRun { try catchUpTags() }
        do {
            head = try log.restore(
                events, tags: items.map { EventTag.tags(of: $0.draft.event) }, keys: keys, dryRun: dryRun)
        } catch EventLogError.restoreMismatch(let seq, let reason) {
            let number = items.first { $0.line.restored.seq == seq }?.number
            throw InputError(line: number, message: "cannot restore seq \(seq): \(reason)")
        }
        // A restore writes the events as exported, without the projections' checkpoints. The events are
        // durable by now: failing here would report a restore that happened as failed, and a missing
        // checkpoint is only derived data that the next append or `chronicle rebuild` stores again.
        if !dryRun { _ = try? refreshPresentView() }
        return ImportSummary(
            lines: items.count, appended: events.count, duplicates: 0, restored: true, dryRun: dryRun, head: head)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }
}

/// One line of an export being imported, decoded: its draft and the event it restores.
private struct ImportItem {
    let number: Int
    /// The line less its `data`, which the draft holds decoded.
    let line: InterchangeLine
    let draft: Draft
    /// The stored event a line of an export restores, when the line carries every field that needs.
    let restoredEvent: RecordedEvent?

    init(number: Int, line: InterchangeLine, draft: Draft, previousHash: EventHash) {
        self.number = number
        var kept = line
        kept.data = .null
        self.line = kept
        self.draft = draft
        self.restoredEvent = Self.restoredEvent(line: line, draft: draft, previousHash: previousHash)
    }

    /// The event a line of an export restores. Its payload is the draft's, unless the line comes from a
    /// store written before binary layout 2 sealed the organisation: then its hash covers the layout 1
    /// payload with the organisation in clear (or, for an older schema version, the JSON with it in clear)
    /// that store kept, and the event is restored with those bytes (the previous line's hash is what the
    /// chain links to). Any other mismatch, such as the JSON payloads of stores before the binary layout, is
    /// left to the log's chain check, which names the line.
    private static func restoredEvent(line: InterchangeLine, draft: Draft, previousHash: EventHash) -> RecordedEvent? {
        let restored = line.restored
        guard let id = line.id, let recordedAt = restored.recordedAt, let seq = restored.seq,
            let stream = restored.stream, let streamVersion = restored.streamVersion, let hash = restored.hash,
            let recordedBy = line.recordedBy
        else { return nil }
        func event(_ payload: [UInt8]) -> RecordedEvent {
            RecordedEvent(
                seq: seq, id: id, stream: stream, streamVersion: streamVersion, type: line.type,
                schemaVersion: line.schemaVersion, occurredAt: line.occurredAt.validTime, recordedAt: recordedAt,
                recordedBy: recordedBy, payload: payload, hash: hash)
        }
        let stored = event(draft.storedPayload ?? draft.unsealedPayload)
        guard stored.chainHash(after: previousHash) != hash else { return stored }
        let clear = PersonalFields.onceInClear
        let organisationInClear: [UInt8]?
        if draft.olderVersionData == nil {
            // Layout 1: the event as the draft stores it, but its organisation in clear.
            organisationInClear =
                (try? EventCodec.decode(
                    type: line.type, schemaVersion: line.schemaVersion,
                    storedPayload: draft.storedPayload ?? draft.unsealedPayload)).map { sealed in
                    EventCodec.storedPayloadWithOrganisationInClear(
                        of: sealed.withPersonalValues(clear, from: draft.event))
                }
        } else {
            // An older schema version is kept as the JSON it was given in: the organisation in clear there.
            organisationInClear =
                try? restored.sealed?.storedData(
                    of: line.data, event: draft.event, id: draft.id, keepingInClear: clear
                ).canonicalBytes
        }
        if let payload = organisationInClear, event(payload).chainHash(after: previousHash) == hash {
            return event(payload)
        }
        return stored
    }
}
