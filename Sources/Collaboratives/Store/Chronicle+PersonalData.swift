public import EventLog
internal import Foundation

extension Chronicle {
    /// The `prepare` step of every append: seals each draft's personal fields with its member's key
    /// (created the first time the member has personal data), and deletes the key of each member whose
    /// `PersonalDataErased` is in the batch, so the key goes in the same transaction as the event records it.
    ///
    /// Personal data for a member already erased is refused (rule `erasure-final`): their key is gone, and
    /// a new one would make new personal data readable again under a name the erasure was meant to end.
    func sealPersonalData(_ batch: [NewEvent], drafts: [Draft], in writer: any SubjectKeyWriter) throws -> [NewEvent] {
        var erasedInBatch = Set<Slug>()
        var erasedInLog: Set<Slug>?
        var sealed: [NewEvent] = []
        sealed.reserveCapacity(batch.count)
        for (index, event) in batch.enumerated() {
            // The envelopes are the drafts', in order: one out of place would be stored unsealed.
            guard index < drafts.count, drafts[index].id == event.id else {
                throw EventLogError.invalidEnvelope(index: index, field: "id", reason: "is not its draft's")
            }
            let draft = drafts[index]
            if case .personalDataErased(let erasure) = draft.event {
                try writer.deleteSubjectKey(PersonalDataSeal.subject(of: erasure.member))
                erasedInBatch.insert(erasure.member)
            }
            guard draft.storedPayload == nil, let personal = draft.event.personalData,
                personal.values.contains(where: { $0 != nil })
            else {
                sealed.append(event)
                continue
            }
            let subject = PersonalDataSeal.subject(of: personal.member)
            let key: SubjectKey
            if let existing = try writer.subjectKey(subject) {
                key = existing
            } else {
                if erasedInLog == nil { erasedInLog = try Self.erasedMembers(in: writer) }
                if erasedInBatch.contains(personal.member) || erasedInLog?.contains(personal.member) == true {
                    throw RuleViolation(
                        rule: .erasureFinal,
                        message: "the personal data of member \(personal.member) was erased: "
                            + "\(personal.fields.joined(separator: ", ")) cannot be recorded for them again "
                            + "(leave the field out)",
                        subject: .batch(index: index, id: draft.id), eventType: draft.event.typeName,
                        occurredAt: draft.occurredAt)
                }
                key = try writer.createSubjectKeyIfAbsent(subject)
            }
            var updated = event
            if let data = draft.olderVersionData {
                updated.payload = try PersonalDataSeal.seal(data, of: draft.event, key: key, eventID: draft.id)
                    .canonicalBytes
            } else {
                updated.payload = EventCodec.storedPayload(
                    of: try PersonalDataSeal.seal(draft.event, key: key, eventID: draft.id))
            }
            sealed.append(updated)
        }
        return sealed
    }

    /// The members with a stored `PersonalDataErased` (retracting one is refused, so none is undone).
    private static func erasedMembers(in view: any LogView) throws -> Set<Slug> {
        var members = Set<Slug>()
        try view.scanType(PersonalDataErased.typeName, from: 1, direction: .forward) { event in
            if case .personalDataErased(let erasure) = try? EventCodec.decode(
                type: event.type, schemaVersion: event.schemaVersion, storedPayload: event.payload)
            {
                members.insert(erasure.member)
            }
            return true
        }
        return members
    }

    /// Erases a member's personal data: deletes their key and records `PersonalDataErased`, in one
    /// transaction. Their sealed name, notes and reasons can no longer be read by anyone with the store
    /// as it is now (backups and exports taken before still hold them); counts, sectors and dates stay,
    /// and the hash chain still verifies, since it covers the sealed bytes.
    ///
    /// - Throws: ``DomainError`` for a bad reason, ``RuleViolation`` (`member-exists` for an unknown member,
    ///   `erasure-final` for one already erased), ``EventLogError``.
    @discardableResult
    public func erase(
        member: Slug, reason: String, on day: Day, recordedBy: String, dryRun: Bool = false
    ) throws -> AppendResult {
        try append(
            [try Self.erasureDraft(member: member, reason: reason, on: day, recordedBy: recordedBy)], dryRun: dryRun)
    }

    /// The `PersonalDataErased` draft that ``erase(member:reason:on:recordedBy:dryRun:)`` appends, its fields
    /// checked as an input line's are.
    public static func erasureDraft(member: Slug, reason: String, on day: Day, recordedBy: String) throws(DomainError)
        -> Draft
    {
        let data: JSONValue = .object(["member": .string(member.rawValue), "reason": .string(reason)])
        let line = InterchangeLine(
            id: UUID(), type: PersonalDataErased.typeName, schemaVersion: DomainEvent.latestSchemaVersion,
            occurredAt: .day(day), recordedBy: recordedBy, data: data)
        return try Draft(line: line, defaultRecordedBy: recordedBy)
    }

    /// The members' keys as the store holds them now (read once per query).
    public func personalDataKeys() throws -> PersonalDataKeys {
        try log.read { try PersonalDataKeys(view: $0) }
    }

    /// A stored event as its export line (see ``ExportLine``), personal fields opened with `keys`.
    public func exportLine(_ event: RecordedEvent, keys: PersonalDataKeys) throws -> [UInt8] {
        let readable = try readableData(of: event, keys: keys)
        return ExportLine.encode(event, data: readable.data, sealed: readable.sealed)
    }

    /// Calls `body` with every event's export line, in `seq` order, from one snapshot of the log and its keys.
    public func exportLines(_ body: ([UInt8]) throws -> Void) throws {
        try log.read { view in
            let keys = try PersonalDataKeys(view: view)
            try view.scan(from: 1, direction: .forward) { event in
                try body(try exportLine(event, keys: keys))
                return true
            }
        }
    }

    /// A stored event's `data` for people to read, and how its personal fields must travel in an export:
    /// sealed fields are opened with `keys`; those whose key is gone are left out of `data` and carried
    /// sealed (``SealedFields/erased(_:)``). `data` is in the schema version the event was stored in.
    public func readableData(of event: RecordedEvent, keys: PersonalDataKeys) throws -> (
        data: JSONValue, sealed: SealedFields?
    ) {
        // A JSON payload in an older schema version is exported as stored, not upcast; every other payload
        // (binary, or JSON of an earlier store in the latest version) as its event's canonical `data`.
        let storedJSON: JSONValue?
        let domain: DomainEvent
        do {
            if BinaryPayload.isBinary(event.payload) || event.schemaVersion == DomainEvent.latestSchemaVersion {
                storedJSON = nil
                domain = try EventCodec.decode(
                    type: event.type, schemaVersion: event.schemaVersion, storedPayload: event.payload,
                    upcasters: upcasters)
            } else {
                let data = try JSONValue(parsing: event.payload)
                storedJSON = data
                domain = try EventCodec.decode(
                    type: event.type, schemaVersion: event.schemaVersion, data: data, upcasters: upcasters)
            }
        } catch {
            throw EventLogError.corruptRecord(seq: event.seq, reason: "payload does not decode: \(error)")
        }
        let readable = try readablePersonalValues(of: domain, keys: keys, seq: event.seq)
        guard case .object(var members)? = storedJSON else {
            return (EventCodec.dataValue(of: domain.replacingPersonalValues(readable.values)), readable.sealed)
        }
        for (field, value) in zip(domain.personalData?.fields ?? [], readable.values) {
            members[field] = value?.plainText.map(JSONValue.string)
        }
        return (.object(members), readable.sealed)
    }

    /// The event's personal values as an export gives them: sealed ones opened with the member's key, or
    /// left out (and carried sealed) when the key is gone; `sealed` is `nil` when none was sealed.
    private func readablePersonalValues(of domain: DomainEvent, keys: PersonalDataKeys, seq: UInt64) throws -> (
        values: [PersonalText?], sealed: SealedFields?
    ) {
        guard let personal = domain.personalData, personal.values.contains(where: { $0?.isSealed == true }) else {
            return (domain.personalData?.values ?? [], nil)
        }
        var values = personal.values
        let key = keys.key(of: personal.member)
        var erased: [String: [UInt8]] = [:]
        for (index, field) in personal.fields.enumerated() {
            guard case .sealed(let bytes)? = values[index] else { continue }
            guard let key else {
                erased[field] = bytes
                values[index] = nil
                continue
            }
            guard let text = PersonalDataSeal.open(bytes, key: key) else {
                throw EventLogError.corruptRecord(seq: seq, reason: "\(field) does not open with its key")
            }
            values[index] = .plain(text)
        }
        return (values, key.map { .key($0) } ?? .erased(erased))
    }
}
