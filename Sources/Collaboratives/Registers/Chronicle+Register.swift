public import EventLog
public import Foundation

/// What a register import did (or, in a dry run, would do).
public struct RegisterImportSummary: Sendable {
    /// One event of the register and what became of it.
    public struct Event: Sendable {
        /// The event as planned.
        public let planned: RegisterPlan.Event
        /// What it is against the stored history, and so what was (or would be) done with it.
        public let status: RegisterEventStatus
        /// The id it has in the store: the stored event's when skipped, else the id written (a correction's
        /// replacement may not have the register's derived id).
        public let id: UUID

        /// Whether it was (or would be) written: new, or the replacement of a stored event it corrects.
        public var appended: Bool {
            switch status {
            case .new, .corrected: true
            case .stored, .retracted: false
            }
        }
    }

    /// Data rows read (blank rows are not counted).
    public let rows: Int
    /// The events, by date.
    public let events: [Event]
    /// The stored events corrected (retracted and replaced), one per change.
    public let changes: [RegisterChange]
    /// The log's head afterwards (in a dry run: as it would be).
    public let head: LogHead
    /// Whether nothing was written.
    public let dryRun: Bool

    /// Events written (or that would be), replacements included.
    public var appended: Int { events.filter(\.appended).count }
    /// Events already stored with the same content (idempotent re-import), skipped.
    public var duplicates: Int {
        events.filter {
            if case .stored = $0.status { return true }
            return false
        }.count
    }
    /// Events stored once and retracted since, skipped.
    public var retracted: Int {
        events.filter {
            if case .retracted = $0.status { return true }
            return false
        }.count
    }
}

extension Chronicle {
    /// Imports an attendance register as one all-or-nothing batch, through ``append(_:expecting:dryRun:)``
    /// like every other import.
    ///
    /// The register is read against the stored history (retracted events left out); every bad row is
    /// reported at once. Each event is then set against the stored event it stands for
    /// (``RegisterReconciliation``): one with the same content is skipped, so importing the same register, or
    /// one fixed the way the store was corrected, appends nothing; a retracted one is skipped and said to be;
    /// one that differs is a change. Changes are refused as ``RegisterChanges`` unless `corrections` is
    /// ``RegisterCorrections/apply(reason:)``: then each stored event is retracted and replaced in the batch
    /// that appends the new events.
    ///
    /// - Throws: ``RegisterErrors`` naming the rows at fault, also when a rule refuses the batch (the row
    ///   of the attendee at fault, else the first row of the event); ``RegisterChanges``; ``EventLogError``
    ///   for store faults.
    @discardableResult
    public func importRegister(
        _ table: RegisterTable, mapping: RegisterMapping, recordedBy: String,
        corrections: RegisterCorrections = .refuse, dryRun: Bool = false
    ) throws -> RegisterImportSummary {
        let (plan, reconciliation) = try log.read { view in
            let reading = try registerReading(of: table, mapping: mapping, recordedBy: recordedBy, in: view)
            return (try reading.plan.get(), reading.reconciliation)
        }
        let statuses = reconciliation.statuses(of: plan)
        let changes = RegisterReconciliation.changes(of: plan, statuses: statuses)
        var reason = ""
        switch corrections {
        case .refuse where !changes.isEmpty: throw RegisterChanges(changes: changes)
        case .refuse: break
        case .apply(let text): reason = text
        }

        // Each correction as `chronicle correct` writes it, the retraction right before its replacement, so
        // that the replacement is found again later (``RegisterReconciliation``).
        var drafts: [Draft] = []
        var batch: [RegisterPlan.Event] = []
        var retracting: [UUID: RegisterPlan.Event] = [:]
        var ids: [UUID: UUID] = [:]
        for change in changes {
            let retraction = Draft(
                id: RegisterEventID.id(forKey: "register|retraction|\(change.stored.id.lowercased)"),
                occurredAt: .day(today), recordedBy: recordedBy,
                event: .eventRetracted(EventRetracted(event: change.stored.id, reason: reason)))
            drafts.append(retraction)
            retracting[retraction.id] = change.events[0]
            for planned in change.events {
                let event =
                    change.events.count == 1 ? reconciliation.carried(into: planned, from: change.stored.id) : planned
                // The register's own id unless it is taken (by the retracted event itself).
                let id =
                    reconciliation.isStored(event.draft.id)
                    ? RegisterEventID.id(forKey: "\(event.key)|replaces|\(change.stored.id.lowercased)")
                    : event.draft.id
                ids[event.draft.id] = id
                batch.append(event.with(id: id))
                drafts.append(event.with(id: id).draft)
            }
        }
        for (event, status) in zip(plan.events, statuses) {
            guard case .new = status else { continue }
            batch.append(event)
            drafts.append(event.draft)
        }

        let result: AppendResult
        do {
            result = try append(drafts, dryRun: dryRun)
        } catch let violation as RuleViolation {
            throw RegisterErrors([
                Self.located(violation, in: RegisterPlan(events: batch, rows: plan.rows), retracting: retracting)
            ])
        } catch EventLogError.duplicateIDWithDifferentContent(let id, let seq) {
            guard let event = batch.first(where: { $0.draft.id == id }) else {
                throw EventLogError.duplicateIDWithDifferentContent(id: id, storedSeq: seq)
            }
            throw RegisterErrors([
                InputError(
                    line: event.lines.first,
                    message: "\(event.label) is already stored (seq \(seq), id \(id.lowercased)) with different "
                        + "content: the register changed since it was imported; correct the stored event "
                        + "(chronicle correct) instead")
            ])
        }
        let events = zip(plan.events, statuses).map { event, status in
            let id: UUID =
                switch status {
                case .new: event.draft.id
                case .corrected: ids[event.draft.id] ?? event.draft.id
                case .stored(let stored), .retracted(let stored, _): stored.id
                }
            return RegisterImportSummary.Event(planned: event, status: status, id: id)
        }
        return RegisterImportSummary(
            rows: plan.rows, events: events, changes: changes, head: result.head, dryRun: dryRun)
    }

    /// What a register import reads of the stored history in `view`: the plan of `table` (or its errors)
    /// and, when it has one, the stored events its events are set against.
    ///
    /// Read through the tag index (``RegisterScope``) unless `scoped` is false or the index lags the head; a
    /// scoped plan whose errors name members outside the register's collaboratives is made again on the
    /// whole log, so the errors are the whole log's.
    ///
    /// - Returns: also whether the reading was scoped (for tests).
    func registerReading(
        of table: RegisterTable, mapping: RegisterMapping, recordedBy: String, in view: any LogView,
        scoped: Bool = true
    ) throws -> (plan: Result<RegisterPlan, RegisterErrors>, reconciliation: RegisterReconciliation, scoped: Bool) {
        let supplied = mapping.suppliedEventFields
        if scoped, var scope = try RegisterScope(view: view, decoder: reader.decoder) {
            let needs = RegisterScope.needs(of: table, mapping: mapping)
            try scope.loadMembers(of: needs.places, named: needs.members)
            let keys = try PersonalDataKeys(view: view, members: scope.members, erased: scope.erased)
            let attempt = RegisterImport.attempt(
                table, mapping: mapping, timeline: Timeline(entries: scope.visible), recordedBy: recordedBy,
                keys: keys)
            if !attempt.unknownName {
                if case .success(let plan) = attempt.result { try scope.loadCounterparts(of: plan) }
                return (
                    attempt.result, RegisterReconciliation(stored: scope.inLogOrder, supplied: supplied), true
                )
            }
        }
        var stored: [(entry: TimelineEntry, recordedAt: Timestamp)] = []
        try view.scan(from: 1, direction: .forward) { event in
            stored.append((try reader.decoder.entry(of: event), event.recordedAt))
            return true
        }
        let attempt = RegisterImport.attempt(
            table, mapping: mapping, timeline: Timeline(entries: Self.visible(stored.map(\.entry))),
            recordedBy: recordedBy, keys: try PersonalDataKeys(view: view))
        return (attempt.result, RegisterReconciliation(stored: stored, supplied: supplied), false)
    }

    /// The entries that count: not retracted, and not the retractions themselves.
    static func visible(_ entries: [TimelineEntry]) -> [TimelineEntry] {
        var retracted = Set<UUID>()
        for entry in entries {
            if case .eventRetracted(let retraction) = entry.event { retracted.insert(retraction.event) }
        }
        return entries.filter { entry in
            if case .eventRetracted = entry.event { return false }
            return !retracted.contains(entry.id)
        }
    }

    /// A violation as an error on the register's line: the attendee's row when the rule is about an
    /// attendee, else the event's first row (for the retraction of a stored event it corrects, the first
    /// row of the correcting event).
    static func located(
        _ violation: RuleViolation, in plan: RegisterPlan, retracting: [UUID: RegisterPlan.Event] = [:]
    ) -> InputError {
        let rule = "rule \(violation.rule.rawValue): \(violation.message)"
        if case .batch(_, let id) = violation.subject, let event = retracting[id] {
            return InputError(
                line: event.lines.first, message: "\(event.label): retracting the stored event it corrects: \(rule)")
        }
        guard case .batch(_, let id) = violation.subject, let event = plan.events.first(where: { $0.draft.id == id })
        else {
            return InputError(line: nil, message: violation.description)
        }
        for (member, source) in event.attendeeSources.sorted(by: { $0.value.line < $1.value.line })
        where violation.message.contains("attendee \(member) ") {
            return InputError(line: source.line, message: "\(source.column): \(rule) (\(event.label))")
        }
        let lines = event.lines.count == 1 ? "" : " (lines \(event.lineRanges))"
        return InputError(line: event.lines.first, message: "\(event.label)\(lines): \(rule)")
    }
}
