internal import EventLog
internal import Foundation

/// One import in progress inside its ``AppendSession``: each stretch of drafted lines is checked and written
/// as it comes, and only what the errors and the summary need is kept from stretch to stretch (where each
/// written event came from, as runs of lines; the restore's chain and subject keys; what the rule check
/// will read; the present view once the import is long enough to store its checkpoint).
///
/// **The rules, once for the whole import.** With `deferringRules`, a stretch is checked on its own only
/// (its lines, ids, a restore's chain: what needs no timeline) and written; the timeline's rules are judged
/// once, before the commit, by ``judgeRules()``: the import's events, in `seq` order, by the incremental model
/// of ``RuleAudit``, primed with the stored events the import concerns. If that finds nothing, one batch of
/// every line would have been accepted too: the audit judges each event against the timeline of the events
/// before it and re-judges every entry an event may make invalid, so the last event's verdict is given on
/// the final timeline (the stored events in scope and the import's, as one batch builds it) with every
/// entry on it valid where it stands, which is exactly one batch's condition (its scope argued as in
/// ``RuleScope``: the scope read for the set of entities the whole import names). The converse does not hold:
/// a line may be valid only thanks to a later line dated before it, which one batch accepts and the
/// sequential verdict refuses; so a finding is not the import's verdict, and the caller then judges the file
/// as one batch (``Chronicle/importStream(defaultRecordedBy:dryRun:expectedBytes:nextLines:rewind:progress:)``).
/// Nor is any other error of a stretch the import's: one batch would meet the lines' errors in another order
/// (every line read before any is written), so the caller judges the input as one batch then too.
struct StreamedImport {
    let chronicle: Chronicle
    let session: any AppendSession
    private let dryRun: Bool
    /// Whether the timeline's rules wait for ``judgeRules()`` (else each offer is one batch, checked whole).
    let deferringRules: Bool
    /// What the rule check reads of the log before the import, gathered from every line (bounded by the
    /// entities the import names).
    private(set) var needs = RuleScope.Needs()

    /// Whether the input is a whole export restored into an empty store (decided by its first line).
    private var mode: Mode = .undecided
    /// The lines taken so far (blank ones not counted): the batch index of the next line.
    private var lines = 0
    private(set) var appended = 0
    private var duplicates = 0
    private(set) var head: LogHead
    /// Where each event the import wrote came from, for an error about it that a later stretch finds.
    private var places = LinePlaces()
    /// The line of each event stored before the import that a line retried (skipped): the same id on a
    /// later line is an id used twice in the input, as one batch finds it (bounded by the retried lines).
    private var retried: [UUID: Int] = [:]
    /// A restore: the hash of the previous line, and the subject keys the lines gave so far.
    private var previousHash = EventHash.genesis
    private var keys: [String: SubjectKey] = [:]
    /// The present view after the events written so far, folded once the import reaches the checkpoint
    /// interval (from then on from each stretch's drafts) with a bounded part of it held, for the checkpoint
    /// stored at the end.
    private var present: ImportCheckpointFold?
    /// Whether that fold could not spill (see ``ImportCheckpointFold``): the end then folds the view whole.
    private var presentFailed = false

    private enum Mode {
        case undecided
        case append
        /// The first line, an export's, names the output-only fields an error about a mixed input repeats.
        case restore(firstLine: Int, fields: [String])
    }

    init(chronicle: Chronicle, session: any AppendSession, dryRun: Bool, deferringRules: Bool) {
        self.chronicle = chronicle
        self.session = session
        self.dryRun = dryRun
        self.deferringRules = deferringRules
        self.head = session.headBefore
    }

    /// Checks and writes one stretch (with the rules deferred), or the whole input as one batch
    /// (`asWholeInput`: then, as one batch decides, a restore only when every line is an export's).
    mutating func take(_ stretch: [Chronicle.DraftedLine], asWholeInput: Bool = false) throws {
        guard let first = stretch.first else { return }
        if case .undecided = mode {
            if session.headBefore.seq == 0, let line = first.exportLine,
                !asWholeInput || stretch.allSatisfy({ $0.exportLine != nil })
            {
                mode = .restore(firstLine: first.number, fields: line.restored.presentNames)
            } else {
                mode = .append
            }
        }
        let offset = lines
        lines += stretch.count
        switch mode {
        case .restore(let firstLine, let fields):
            try restore(stretch, offset: offset, firstLine: firstLine, fields: fields)
        case .append, .undecided: try append(stretch, offset: offset)
        }
    }

    /// The input is to be judged as one batch: the streamed pass found something wrong with it (a line, an
    /// id, a rule, as far as the lines taken tell: one batch may accept them, or name another line first).
    struct NeedsOneBatch: Error {}

    /// Whether `error`, thrown while a stretch was taken, is about the input (one batch is then to judge it
    /// and name the line it would name first), rather than the store's failure, reported as it happens.
    static func isTheInputsFault(_ error: any Error) -> Bool {
        switch error {
        case is InputError, is RuleViolation: true
        case let error as EventLogError:
            switch error {
            // A refusal of the role (a collaborative a PostgreSQL recorder was not granted, met while a stretch
            // is written) is judged as one batch too: one batch judges the rules first and names the event by
            // its place in the whole input, not in the stretch.
            case .wrongExpectedVersion, .duplicateIDWithDifferentContent, .duplicateIDInBatch, .invalidEnvelope,
                .restoreMismatch, .clockBehindHead, .permissionDenied, .eventRefused:
                true
            case .storeNotFound, .unsupportedFormat, .corruptRecord, .storage, .transactionTooLarge:
                false
            }
        default: false
        }
    }

    /// Notes what the rule check will read for `entries` (a stretch's) of the log before the import: nothing
    /// into an empty store. (Each entry's own checks, its date and lists, are the walk's in ``judgeRules()``:
    /// made here as well, they would cost a second pass for a failure found a little sooner.)
    private mutating func gather(_ entries: [TimelineEntry]) {
        guard session.headBefore.seq > 0 else { return }
        for entry in entries { needs.add(batchEntry: entry) }
    }

    /// Ends the import: stores the present view's checkpoint when due (a restore leaves that to its caller,
    /// as ``Chronicle/importStream(defaultRecordedBy:dryRun:expectedBytes:nextLines:rewind:progress:)`` does after the commit).
    func finish() throws -> ImportSummary {
        let restored = if case .restore = mode { true } else { false }
        if !restored, !dryRun, appended > 0 {
            try session.read { view in
                guard try chronicle.checkpointIsDue(in: view) else { return }
                // An import shorter than the interval folded nothing ahead: the stored checkpoint is brought
                // up a record at a time, as a due append does, rather than the whole view folded.
                if present == nil, !presentFailed, let merged = chronicle.mergedCheckpoint(in: view) {
                    try session.saveCheckpoint(
                        name: PresentView.checkpointName, position: merged.position,
                        stateSize: merged.encoding.size, write: merged.write(into:))
                    chronicle.lastCheckpointWrite.set(merged.footprint)
                    return
                }
                try storeCheckpoint(in: view)
            }
        }
        return ImportSummary(
            lines: lines, appended: appended, duplicates: duplicates, restored: restored, dryRun: dryRun, head: head)
    }

    /// Stores the view at the head of `view` as the checkpoint: the import's fold (or a fold of the log from
    /// the stored checkpoint, when the import folded none) encoded from its runs and copied into the store;
    /// the view folded whole, as before, only when that fold cannot spill (with a warning; see
    /// ``ImportCheckpointFold``'s errors).
    private func storeCheckpoint(in view: any LogView) throws {
        if !presentFailed {
            do {
                let folded = try present ?? foldedFromLog(in: view)
                let (position, encoding) = try folded.encoded()
                try session.saveCheckpoint(
                    name: PresentView.checkpointName, position: position, stateSize: encoding.size
                ) { try encoding.read(into: $0, at: 0) }
                chronicle.lastCheckpointWrite.set(folded.footprint)
                return
            } catch let failure as ImportCheckpointFold.SpillFailure {
                chronicle.checkpointSpill.warn(failure.warning)
            }
        }
        try session.saveCheckpoint(try chronicle.reader.presentView(in: view).present.checkpoint)
        chronicle.lastCheckpointWrite.set(nil)
    }

    /// The present view at the head of `view`, folded with a bounded part held (``ImportCheckpointFold``).
    private func foldedFromLog(in view: any LogView) throws -> ImportCheckpointFold {
        try ImportCheckpointFold(
            in: view, reader: chronicle.reader, spill: chronicle.checkpointSpill,
            release: chronicle.log.releaseReadMemory)
    }

    // MARK: Appending

    private mutating func append(_ stretch: [Chronicle.DraftedLine], offset: Int) throws {
        var drafts: [Draft] = []
        drafts.reserveCapacity(stretch.count)
        var events: [NewEvent] = []
        events.reserveCapacity(stretch.count)
        if !retried.isEmpty, let again = stretch.first(where: { retried[$0.draft.id] != nil }),
            let first = retried[again.draft.id]
        {
            throw InputError(
                line: again.number, message: "id: \(again.draft.id.lowercased) already used on line \(first)")
        }
        for drafted in stretch {
            if let line = drafted.exportLine { try checkIdempotentRestoreLine(drafted, line) }
            drafts.append(drafted.draft)
            events.append(drafted.newEvent ?? drafted.draft.newEvent)
        }
        // An event stored by a build before layout 2 is the same event in other bytes: the drafts adopt them
        // first (a lone append retries with them; a session cannot take back a failed append).
        if session.headBefore.seq > 0, try session.read({ try chronicle.adoptLayout1Copies(&drafts, in: $0) }) {
            events = drafts.map(\.newEvent)
        }
        // With the rules deferred, what their check will read is noted, the check waiting for ``judgeRules()``.
        if deferringRules { gather(drafts.map(\.pendingEntry)) }
        let result: AppendResult
        do {
            let hooks = ImportStretchHooks(chronicle: chronicle, drafts: drafts, deferringRules: deferringRules)
            result = try session.append(events, expecting: [:], hooks: hooks)
        } catch {
            throw try explained(error, stretch: stretch, offset: offset)
        }
        appended += result.appended.count
        duplicates += result.duplicates.count
        head = result.head
        let skipped = Set(result.duplicates.map(\.id))
        var seq = result.appended.first?.seq ?? 0
        for (index, drafted) in stretch.enumerated() {
            guard !skipped.contains(drafted.draft.id) else {
                retried[drafted.draft.id] = retried[drafted.draft.id] ?? drafted.number
                continue
            }
            places.add(seq: seq, index: offset + index, line: drafted.number)
            seq += 1
        }
        if !dryRun { try fold(result.appended, drafts: drafts) }
    }

    /// An export's line in an import that is not a restore: accepted only as the same event stored already.
    private func checkIdempotentRestoreLine(_ drafted: Chronicle.DraftedLine, _ line: InterchangeLine) throws {
        let stored = try session.read { view -> (RecordedEvent, Bool)? in
            guard let stored = try view.event(id: drafted.draft.id) else { return nil }
            return (stored, try chronicle.isStoredCopy(drafted.draft, stored, in: view))
        }
        guard let stored, stored.1 else {
            if let stored, Chronicle.isStoredBeforeTheBinaryLayout(stored.0) {
                throw InputError(line: drafted.number, message: Chronicle.storedBeforeTheBinaryLayout(drafted.draft.id))
            }
            throw InputError(
                line: drafted.number,
                message: "\(line.restored.presentNames.joined(separator: ", ")): output-only fields are "
                    + "accepted only when restoring a whole export into an empty store")
        }
    }

    /// Keeps the present view folded up to the head once the import reaches the checkpoint interval: then
    /// from the log (the checkpoint and the events after it), afterwards from each stretch's drafts. A fold
    /// that cannot spill is given up (with a warning) for a whole fold at the end; other errors are the import's.
    private mutating func fold(_ written: [RecordedEvent], drafts: [Draft]) throws {
        guard !written.isEmpty, !presentFailed else { return }
        do {
            if let present {
                try session.read { try present.fold(written, drafts: drafts, in: $0) }
            } else if UInt64(appended) >= chronicle.checkpointInterval {
                present = try session.read { try foldedFromLog(in: $0) }
            }
        } catch let failure as ImportCheckpointFold.SpillFailure {
            chronicle.checkpointSpill.warn(failure.warning)
            present = nil
            presentFailed = true
        }
    }

    /// The error of a stretch's append as the one-batch import words it: naming the line (and for an id
    /// used twice, both lines), a rule's batch index counted over the whole input, and an event an earlier
    /// stretch wrote as the line it came from.
    private func explained(_ error: any Error, stretch: [Chronicle.DraftedLine], offset: Int) throws -> any Error {
        func number(of id: UUID) -> Int? { stretch.first { $0.draft.id == id }?.number }
        switch error {
        case let violation as RuleViolation:
            return try explained(
                violation, offset: offset, lineOfIndex: { stretch.indices.contains($0) ? stretch[$0].number : nil })
        case EventLogError.duplicateIDInBatch(let id):
            let inStretch = stretch.filter { $0.draft.id == id }.map(\.number)
            let earlier = try place(of: id)?.line
            let first = earlier ?? inStretch.first
            let second = earlier == nil ? inStretch.dropFirst().first : inStretch.first
            return InputError(
                line: second, message: "id: \(id.lowercased) already used on line \(first.map(String.init) ?? "?")")
        case EventLogError.duplicateIDWithDifferentContent(let id, let seq):
            return InputError(
                line: number(of: id),
                message: "id: \(id.lowercased) is already stored (seq \(seq)) with different content")
        case EventLogError.invalidEnvelope(let index, let field, let reason) where stretch.indices.contains(index):
            return InputError(line: stretch[index].number, message: "\(field): \(reason)")
        case EventLogError.eventRefused(let index, let reason) where stretch.indices.contains(index):
            // Still a refusal of the role (exit 77), now naming the line: blank lines set it apart from the
            // event's place, which the reason gives.
            return EventLogError.permissionDenied("line \(stretch[index].number): \(reason)")
        default:
            return error
        }
    }

    /// A rule broken in a stretch: its event (`lineOfIndex` gives the line of an index in the stretch, `nil`
    /// for none), or an event an earlier stretch wrote, as the input line it came from; the violation as it
    /// is when neither names a line.
    private func explained(_ violation: RuleViolation, offset: Int, lineOfIndex: (Int) -> Int?) throws -> any Error {
        let fault: (index: Int, line: Int, id: UUID)
        switch violation.subject {
        case .batch(let inStretch, let id):
            guard let line = lineOfIndex(inStretch) else { return violation }
            fault = (offset + inStretch, line, id)
        case .stored(let id):
            guard let place = try place(of: id) else { return violation }
            fault = (place.index, place.line, id)
        }
        let renumbered = RuleViolation(
            rule: violation.rule, message: violation.message, subject: .batch(index: fault.index, id: fault.id),
            eventType: violation.eventType, occurredAt: violation.occurredAt, suggestion: violation.suggestion)
        return InputError(line: fault.line, message: renumbered.description)
    }

    /// Where the event with `id` came from, when this import wrote it.
    private func place(of id: UUID) throws -> LinePlaces.Place? {
        guard let seq = try session.read({ try $0.event(id: id)?.seq }), seq > session.headBefore.seq else {
            return nil
        }
        return places.place(of: seq)
    }

    // MARK: Restoring

    private mutating func restore(
        _ stretch: [Chronicle.DraftedLine], offset: Int, firstLine: Int, fields: [String]
    ) throws {
        var items: [ImportItem] = []
        items.reserveCapacity(stretch.count)
        var events: [RecordedEvent] = []
        events.reserveCapacity(stretch.count)
        var newKeys: [String: SubjectKey] = [:]
        for drafted in stretch {
            guard let line = drafted.exportLine else {
                throw InputError(
                    line: firstLine,
                    message: "\(fields.joined(separator: ", ")): output-only fields are accepted only when "
                        + "restoring a whole export into an empty store")
            }
            let item = ImportItem(number: drafted.number, line: line, draft: drafted.draft, previousHash: previousHash)
            previousHash = line.restored.hash ?? .genesis
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
                if keys.updateValue(key, forKey: subject) == nil { newKeys[subject] = key }
            }
            events.append(event)
            items.append(item)
        }
        do {
            if deferringRules {
                gather(items.map(\.draft.pendingEntry))
            } else {
                _ = try session.read { try chronicle.checkRules(items.map(\.draft.pendingEntry), in: $0) }
            }
        } catch let violation as RuleViolation {
            throw try explained(
                violation, offset: offset, lineOfIndex: { items.indices.contains($0) ? items[$0].number : nil })
        }
        do {
            head = try session.restore(events, tags: items.map { EventTag.tags(of: $0.draft.event) }, keys: newKeys)
        } catch EventLogError.restoreMismatch(let seq, let reason) {
            let number = items.first { $0.line.restored.seq == seq }?.number
            throw InputError(line: number, message: "cannot restore seq \(seq): \(reason)")
        }
        for (index, item) in items.enumerated() {
            places.add(seq: events[index].seq, index: offset + index, line: item.number)
        }
        appended += events.count
    }
}
