public import EventLog
internal import Foundation

/// Exporting: each stored event as its export line (``ExportLine``), personal fields opened with the members'
/// keys. On the read side, so that an export needs no writable store (``Chronicle`` forwards nothing of it:
/// ``Chronicle/reader`` is this reader).
extension HistoryReader {
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
                    upcasters: decoder.upcasters)
            } else {
                let data = try JSONValue(parsing: event.payload)
                storedJSON = data
                domain = try EventCodec.decode(
                    type: event.type, schemaVersion: event.schemaVersion, data: data, upcasters: decoder.upcasters)
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
