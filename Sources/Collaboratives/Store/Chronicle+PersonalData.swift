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
}
