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
    /// Imports NDJSON lines as one all-or-nothing batch (``importStream(defaultRecordedBy:dryRun:expectedBytes:nextLines:rewind:progress:)``
    /// given the lines a stretch at a time).
    ///
    /// - Parameters:
    ///   - lines: each line's 1-based number and bytes (without newline); blank lines are skipped.
    ///   - progress: called after each stretch of lines is checked and written, with the lines done and the
    ///     total.
    /// - Throws: ``InputError`` naming the line and field, ``EventLogError``.
    @discardableResult
    public func importLines(
        _ lines: [(number: Int, bytes: [UInt8])], defaultRecordedBy: String, dryRun: Bool = false,
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> ImportSummary {
        try importLines(
            lines, defaultRecordedBy: defaultRecordedBy, dryRun: dryRun, stretch: Self.draftingStretch,
            progress: progress)
    }

    /// ``importLines(_:defaultRecordedBy:dryRun:progress:)``, `stretch` lines at a time.
    func importLines(
        _ lines: [(number: Int, bytes: [UInt8])], defaultRecordedBy: String, dryRun: Bool, stretch: Int,
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> ImportSummary {
        var start = lines.startIndex
        return try importStream(
            defaultRecordedBy: defaultRecordedBy, dryRun: dryRun,
            nextLines: {
                guard start < lines.endIndex else { return nil }
                let end = min(start + max(stretch, 1), lines.endIndex)
                defer { start = end }
                return Array(lines[start..<end])
            },
            rewind: { start = lines.startIndex },
            progress: { progress($0, lines.count) })
    }

    /// Imports NDJSON lines read a stretch at a time, all or nothing: each stretch is parsed, drafted, checked
    /// on its own and written inside one write transaction (an ``AppendSession``), and the timeline's rules
    /// are judged once for the whole import before the commit (see ``StreamedImport``); so the memory an
    /// import takes does not grow with its input. While one stretch is checked and written, the next is read
    /// and drafted on other threads.
    ///
    /// It means what one batch of every line would: an id twice in the input is refused naming both lines,
    /// events stored before the import are skipped (idempotent re-import), and a rule broken by a line, or a
    /// line that makes an earlier line's event invalid, names that line. Lines carrying the output-only fields
    /// of an export (`recordedAt`, `seq`, `stream`, `streamVersion`, `hash`) are accepted only when every line
    /// carries all of them and the store is empty: the export is then restored exactly, its hash chain
    /// verified line by line. Otherwise such a line is accepted only as an idempotent re-append of an event
    /// already stored with the same content.
    ///
    /// An input of one stretch is one batch, checked as a lone append is. A longer one in which the streamed
    /// pass finds anything wrong (a line that does not read, a repeated id, a rule broken, or a line that
    /// needs a later line dated before it to be valid) is read again from its start (`rewind`) and judged as
    /// one batch, in a new transaction, the first one abandoned: the verdict, the error and the line named
    /// are one batch's, whichever line the streamed pass met first, and such an import holds its input, as
    /// one batch does. A failure of the store itself (its storage, its permissions, the room one transaction
    /// may take) is reported as it happens.
    ///
    /// - Parameters:
    ///   - expectedBytes: the input's size in bytes, when known: the room set aside for the transaction is
    ///     reckoned from it (``sessionRoom(forInputBytes:)``), and, should it prove too small, the input is
    ///     read again with more.
    ///   - nextLines: the next stretch of lines (each with its 1-based number, without newline; blank lines
    ///     are skipped), or `nil` at the end of the input. A few thousand lines a stretch suits.
    ///   - rewind: starts `nextLines` again from the first line; without it, the input is read whole and
    ///     imported as one batch.
    ///   - progress: called after each stretch is checked and written, with the lines taken so far.
    /// - Throws: ``InputError`` naming the line and field, ``EventLogError`` (among them
    ///   ``EventLogError/transactionTooLarge(limit:)`` for an input the store cannot hold in one transaction);
    ///   what `nextLines` throws. Nothing is written then.
    @discardableResult
    public func importStream(
        defaultRecordedBy: String, dryRun: Bool = false, expectedBytes: Int? = nil,
        nextLines: () throws -> [(number: Int, bytes: [UInt8])]?, rewind: (() throws -> Void)? = nil,
        progress: (_ lines: Int) -> Void = { _ in }
    ) throws -> ImportSummary {
        try importStream(
            defaultRecordedBy: defaultRecordedBy, dryRun: dryRun, expectedBytes: expectedBytes, nextLines: nextLines,
            rewind: rewind, progress: progress, judged: { _ in })
    }

    /// ``importStream(defaultRecordedBy:dryRun:expectedBytes:nextLines:rewind:progress:)``, telling `judged`
    /// how the streamed pass judged the rules (for the tests).
    func importStream(
        defaultRecordedBy: String, dryRun: Bool, expectedBytes: Int?,
        nextLines: () throws -> [(number: Int, bytes: [UInt8])]?, rewind: (() throws -> Void)?,
        progress: (_ lines: Int) -> Void, judged: (StreamedImport.RulesJudgement) -> Void
    ) throws -> ImportSummary {
        try catchUpTags()
        let room = AppendSessionRoom(
            expectedBytes: expectedBytes.map(Self.sessionRoom(forInputBytes:)), rerunnable: rewind != nil)
        let outcome: ImportSummary
        do {
            outcome = try importStretches(
                defaultRecordedBy: defaultRecordedBy, dryRun: dryRun, asOneBatch: rewind == nil, room: room,
                nextLines: nextLines, rewind: rewind, progress: progress, judged: judged)
        } catch is StreamedImport.NeedsOneBatch {
            try rewind?()
            outcome = try importStretches(
                defaultRecordedBy: defaultRecordedBy, dryRun: dryRun, asOneBatch: true, room: room,
                nextLines: nextLines, rewind: rewind, progress: progress, judged: judged)
        }
        // A restore writes the events as exported, without the projections' checkpoints. The events are
        // durable by now: failing here would report a restore that happened as failed, and a missing
        // checkpoint is only derived data that the next append or `chronicle rebuild` stores again.
        if outcome.restored && !dryRun { _ = try? refreshPresentView() }
        return outcome
    }

    /// The room an import of `bytes` of NDJSON may take in the store, in bytes: its events, their indexes and
    /// the present view's checkpoint take about 1.7 times the input's size in a store they are imported into
    /// whole (1M generated events: a 333 MB file, a 565 MB store); twice that, for pages an update copies
    /// within the transaction, and 64 MiB for the checkpoint of a large store.
    public static func sessionRoom(forInputBytes bytes: Int) -> Int {
        bytes < Int.max / 8 ? max(bytes, 0) * 4 + (64 << 20) : .max
    }

    /// One transaction of ``importStream(defaultRecordedBy:dryRun:expectedBytes:nextLines:rewind:progress:)``:
    /// the input streamed with its rules judged at the end, or (`asOneBatch`, or an input of one stretch)
    /// read whole and offered as one batch. Should the store run it again with more room, the input is read
    /// again from its start.
    ///
    /// - Throws: ``StreamedImport/NeedsOneBatch`` when the streamed pass finds anything wrong with the input
    ///   (nothing is written: the transaction is abandoned).
    private func importStretches(
        defaultRecordedBy: String, dryRun: Bool, asOneBatch: Bool, room: AppendSessionRoom,
        nextLines: () throws -> [(number: Int, bytes: [UInt8])]?, rewind: (() throws -> Void)?,
        progress: (_ lines: Int) -> Void, judged: (StreamedImport.RulesJudgement) -> Void
    ) throws -> ImportSummary {
        var runs = 0
        return try log.withAppendSession(dryRun: dryRun, room: room) { session in
            if runs > 0 { try rewind?() }
            runs += 1
            @Sendable func drafting(_ lines: [(number: Int, bytes: [UInt8])]) -> Background<[DraftedLine]> {
                Background { [self] in
                    try drafted(lines[...], defaultRecordedBy: defaultRecordedBy).joined().map { $0 }
                }
            }
            var pending = try nextLines().map(drafting)
            // However the session is left, the drafting under way is over first.
            defer { _ = try? pending?.value() }
            guard let first = pending else {
                return try StreamedImport(chronicle: self, session: session, dryRun: dryRun, deferringRules: false)
                    .finish()
            }
            pending = try nextLines().map(drafting)
            guard !asOneBatch, pending != nil else {
                // One batch, as a lone append: the whole input read first (a line it cannot read is its first
                // error), then every line drafted (the first that does not draft, in file order, its next).
                var parts = [first]
                while let next = pending {
                    parts.append(next)
                    pending = nil
                    pending = try nextLines().map(drafting)
                }
                // Every part's drafting is over before its first error is thrown.
                let drafted = parts.map { part in Result { try part.value() } }
                var stretch: [DraftedLine] = []
                for part in drafted { stretch += try part.get() }
                var run = StreamedImport(chronicle: self, session: session, dryRun: dryRun, deferringRules: false)
                try run.take(stretch, asWholeInput: true)
                progress(stretch.count)
                return try run.finish()
            }
            var run = StreamedImport(chronicle: self, session: session, dryRun: dryRun, deferringRules: true)
            var stretch: [DraftedLine]
            do {
                // Moved out, not copied: `first` lives as long as the session, and would hold its lines.
                stretch = try first.takeValue()
            } catch {
                throw StreamedImport.NeedsOneBatch()
            }
            var taken = 0
            while true {
                do {
                    try run.take(stretch)
                } catch let error where StreamedImport.isTheInputsFault(error) {
                    throw StreamedImport.NeedsOneBatch()
                }
                taken += stretch.count
                progress(taken)
                guard let next = pending else { break }
                do {
                    stretch = try next.takeValue()
                } catch {
                    throw StreamedImport.NeedsOneBatch()
                }
                pending = nil
                pending = try nextLines().map(drafting)
            }
            // The last stretch's drafted lines (written, and placed) are not held through the rules' walk.
            stretch = []
            let judgement = try run.judgeRules()
            judged(judgement)
            guard judgement.holds else { throw StreamedImport.NeedsOneBatch() }
            return try run.finish()
        }
    }

    /// How many lines an import parses and drafts at a time (half of them on another thread).
    public static let draftingStretch = 8_192

    /// One input line drafted: a line of an export (carrying output-only fields) keeps its parsed envelope
    /// and has no ``NewEvent`` made yet (a restore needs none); any other line has its envelope made.
    struct DraftedLine: Sendable {
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

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }
}

/// One line of an export being imported, decoded: its draft and the event it restores.
struct ImportItem {
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
