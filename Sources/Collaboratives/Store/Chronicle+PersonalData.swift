internal import ChronicleSupport
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
        // First, in order, what needs the store: each erasure's key deleted, and the key of each event to seal
        // found or created. Then the sealing, which needs only each draft and its key.
        // The keys already stored are read in one go, and the new ones created in one go at the end (a key
        // created and then erased within the batch is never stored, as if created and deleted): an import
        // names thousands of members, and on a server each request is a round trip.
        var erasedInBatch = Set<Slug>()
        var erasedInLog: Set<Slug>?
        var keyOfSubject = try writer.subjectKeys(for: Self.personalSubjects(of: drafts))
        var created: [String: SubjectKey] = [:]  // subject → a key to store, until the batch erases it
        var creating: [(index: Int, subject: String)] = []
        var keys = [SubjectKey?](repeating: nil, count: batch.count)
        for index in batch.indices {  // each envelope read in place, not copied out
            // The envelopes are the drafts', in order: one out of place would be stored unsealed.
            guard index < drafts.count, drafts[index].id == batch[index].id else {
                throw EventLogError.invalidEnvelope(index: index, field: "id", reason: "is not its draft's")
            }
            if case .personalDataErased(let erasure) = drafts[index].event {
                let subject = PersonalDataSeal.subject(of: erasure.member)
                try writer.deleteSubjectKey(subject)
                keyOfSubject[subject] = nil
                created[subject] = nil
                erasedInBatch.insert(erasure.member)
            }
            guard drafts[index].storedPayload == nil, let personal = drafts[index].event.personalData,
                personal.values.contains(where: { $0 != nil })
            else { continue }
            let subject = PersonalDataSeal.subject(of: personal.member)
            if let known = keyOfSubject[subject] {
                keys[index] = known
                if created[subject] != nil { creating.append((index, subject)) }
            } else {
                if erasedInLog == nil { erasedInLog = try Self.erasedMembers(in: writer) }
                if erasedInBatch.contains(personal.member) || erasedInLog?.contains(personal.member) == true {
                    throw RuleViolation(
                        rule: .erasureFinal,
                        message: "the personal data of member \(personal.member) was erased: "
                            + "\(personal.fields.joined(separator: ", ")) cannot be recorded for them again "
                            + "(leave the field out)",
                        subject: .batch(index: index, id: drafts[index].id), eventType: drafts[index].event.typeName,
                        occurredAt: drafts[index].occurredAt)
                }
                let fresh = SubjectKey.random()  // sealed with, and dropped, if the batch erases the member later
                keys[index] = fresh
                keyOfSubject[subject] = fresh
                created[subject] = fresh
                creating.append((index, subject))
            }
        }
        if !created.isEmpty {
            // The stored key of each subject created above (the store's, should another writer have won).
            let stored = try writer.createSubjectKeysIfAbsent(created.keys.sorted())
            for (index, subject) in creating {
                guard created[subject] != nil else { continue }  // erased later in the batch: never stored
                guard let key = stored[subject] else {
                    throw EventLogError.storage("the key of subject \(subject) was not stored")
                }
                keys[index] = key
            }
        }
        return try Self.sealed(batch, drafts: drafts, keys: keys)
    }

    /// `batch` with each event that has a key in `keys` (at its index) stored sealed under it; a large
    /// batch's second half is sealed on another thread meanwhile (each event's sealing stands alone).
    private static func sealed(_ batch: [NewEvent], drafts: [Draft], keys: [SubjectKey?]) throws -> [NewEvent] {
        guard keys.contains(where: { $0 != nil }) else { return batch }  // nothing personal in the batch
        @Sendable func payloads(_ range: Range<Int>) throws -> [[UInt8]?] {
            try range.map { index in
                guard let key = keys[index] else { return nil }
                let id = drafts[index].id
                if let data = drafts[index].olderVersionData {
                    return try PersonalDataSeal.seal(data, of: drafts[index].event, key: key, eventID: id)
                        .canonicalBytes
                }
                return EventCodec.storedPayload(
                    of: try PersonalDataSeal.seal(drafts[index].event, key: key, eventID: id))
            }
        }
        let middle = batch.count / 2
        let ahead = batch.count >= sealingSplit ? Background { try payloads(middle..<batch.count) } : nil
        defer { _ = try? ahead?.value() }  // the other half is over before the batch is let go
        let sealedPayloads =
            if let ahead { try payloads(0..<middle) + ahead.value() } else { try payloads(batch.indices) }
        var sealed = batch  // copied (once) only if an event has something to seal
        for index in sealed.indices {
            if let payload = sealedPayloads[index] { sealed[index].payload = payload }
        }
        return sealed
    }

    /// The subject of each draft that carries personal data, once each, in order.
    private static func personalSubjects(of drafts: [Draft]) -> [String] {
        var seen = Set<String>()
        return drafts.compactMap { draft in
            guard draft.storedPayload == nil, let personal = draft.event.personalData else { return nil }
            let subject = PersonalDataSeal.subject(of: personal.member)
            return seen.insert(subject).inserted ? subject : nil
        }
    }

    /// Batches of at least this many events are sealed half on another thread (a thread costs more than a
    /// few seals).
    static let sealingSplit = 2_048

    /// The members with a stored `PersonalDataErased` (see ``PersonalDataKeys/erasedMembers(in:)``).
    private static func erasedMembers(in view: any LogView) throws -> Set<Slug> {
        try PersonalDataKeys.erasedMembers(in: view)
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
    ///
    /// With `includingKey` false the line leaves out the member's key (`"sealed":{"key":…}`), which only
    /// an export may carry (it is what a restore needs, and what erasure destroys), and an erased member's
    /// organisation; `log` and `record` show events this way. The sealed bytes of an erased member's fields,
    /// which nobody can open, stay.
    public func exportLine(_ event: RecordedEvent, keys: PersonalDataKeys, includingKey: Bool = true) throws
        -> [UInt8]
    {
        let readable = try readableData(of: event, keys: keys)
        var sealed = readable.sealed
        var data = readable.data
        if !includingKey {
            if case .key? = sealed { sealed = nil }
            // An erased member's organisation stored before binary layout 2 is in clear (the export keeps it,
            // to restore the bytes the hash covers); shown to people it would name them.
            if event.type == MemberJoined.typeName || event.type == MemberDetailsChanged.typeName,
                case .object(var members) = data, members["organisation"] != nil,
                case .string(let member)? = members["member"], let slug = Slug(member), keys.isErased(slug)
            {
                members["organisation"] = nil
                data = .object(members)
            }
        }
        return ExportLine.encode(event, data: data, sealed: sealed)
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
        // Only the fields the stored JSON holds: an older schema version may name a field otherwise.
        for (field, value) in zip(domain.personalData?.fields ?? [], readable.values) where members[field] != nil {
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
