internal import EventLog
internal import Foundation

/// Idempotent retries of events that a store kept in binary layout 1 (``BinaryPayload``), with the
/// organisation in clear, as builds before layout 2 wrote them.
///
/// A retry is recognised by its stored bytes being the ones it would store now. An event stored in layout 1
/// by an earlier build is the same event when its envelope matches and its payload reads as the same domain
/// event, personal fields sealed alike (sealing is deterministic per key, event and field) and the
/// organisation that build kept in clear the same text: such a draft adopts the stored bytes, so the log sees
/// the identical content it skips. (Stores before the binary layout, with JSON payloads, were only the old
/// demo's; their copies are not adopted: see the README, "Stored payload".)
extension Chronicle {
    /// Whether `stored` was written by a build before the binary layout: a JSON payload in the latest schema
    /// version (an older version's JSON is how every build keeps an event given in that version).
    static func isStoredBeforeTheBinaryLayout(_ stored: RecordedEvent) -> Bool {
        !BinaryPayload.isBinary(stored.payload) && stored.schemaVersion == DomainEvent.latestSchemaVersion
    }

    /// Why a line of an export naming `id`, stored before the binary layout, is refused: such a store's export
    /// is not imported back (its hashes cover the JSON), and it need not be, the store holding its events.
    static func storedBeforeTheBinaryLayout(_ id: UUID) -> String {
        "event \(id.uuidString.lowercased()) is stored here with a JSON payload, written by a Chronicle before "
            + "the binary payload layout, and an export of such a store is not imported back: this store already "
            + "holds its events (to move the history to another store, import its lines without the output-only "
            + "fields)"
    }

    /// Whether `stored` is `draft` already stored: the same bytes, or the same event kept in layout 1 (its
    /// keys read in `view`, by default a snapshot of the log).
    func isStoredCopy(_ draft: Draft, _ stored: RecordedEvent, in view: (any LogView)? = nil) throws -> Bool {
        if draft.newEvent.isSameContent(as: stored) { return true }
        guard BinaryPayload.mayHoldOrganisationInClear(stored.payload) else { return false }
        guard let view else { return try log.read { try isStoredCopy(draft, stored, in: $0) } }
        // Only the key of the member the draft's personal fields are about is read.
        let members = draft.event.personalData.map { [$0.member] } ?? []
        return try isLayout1Copy(draft, stored, keys: try PersonalDataKeys(view: view, members: members))
    }

    /// Lets each draft whose id is stored as a layout 1 copy of it adopt the stored bytes (see above).
    ///
    /// - Returns: whether any draft did (only then is an append that found other content worth retrying).
    func adoptLayout1Copies(_ drafts: inout [Draft]) throws -> Bool {
        try log.read { view in try adoptLayout1Copies(&drafts, in: view) }
    }

    /// ``adoptLayout1Copies(_:)`` reading `view` (a streamed import's transaction).
    func adoptLayout1Copies(_ drafts: inout [Draft], in view: any LogView) throws -> Bool {
        var keys: PersonalDataKeys?
        var adopted = false
        for index in drafts.indices {
            guard let stored = try view.event(id: drafts[index].id),
                BinaryPayload.mayHoldOrganisationInClear(stored.payload)
            else { continue }
            if keys == nil { keys = try PersonalDataKeys(view: view) }
            guard let keys, try isLayout1Copy(drafts[index], stored, keys: keys) else { continue }
            drafts[index].storedPayload = stored.payload
            adopted = true
        }
        return adopted
    }

    /// Whether `stored` holds a layout 1 payload that reads as `draft`'s event, with the same envelope and
    /// personal fields sealed as the draft's would be with `keys`.
    private func isLayout1Copy(_ draft: Draft, _ stored: RecordedEvent, keys: PersonalDataKeys) throws -> Bool {
        // A draft in an older schema version is stored as the JSON it was given in, byte for byte, so it
        // never needs this; only drafts in the latest version can differ from their layout 1 copy in bytes.
        guard BinaryPayload.mayHoldOrganisationInClear(stored.payload), draft.olderVersionData == nil,
            stored.id == draft.id,
            stored.stream == draft.event.stream, stored.type == draft.event.typeName,
            stored.schemaVersion == draft.schemaVersion, stored.occurredAt == draft.occurredAt.validTime,
            let storedEvent = try? reader.decoder.decode(stored)
        else { return false }
        var sealed: DomainEvent
        if let payload = draft.storedPayload {
            guard
                let event = try? EventCodec.decode(
                    type: draft.event.typeName, schemaVersion: draft.schemaVersion, storedPayload: payload,
                    upcasters: upcasters)
            else { return false }
            sealed = event
        } else if let personal = draft.event.personalData, personal.values.contains(where: { $0 != nil }) {
            // Without a key nothing was sealed: only a copy with every personal field in clear can match (an
            // organisation alone, before layout 2).
            sealed =
                try keys.key(of: personal.member).map {
                    try PersonalDataSeal.seal(draft.event, key: $0, eventID: draft.id)
                } ?? draft.event
        } else {
            sealed = draft.event
        }
        // An organisation the stored copy keeps in clear is compared in clear.
        if let personal = storedEvent.personalData {
            let clear = zip(personal.fields, personal.values).filter { field, value in
                PersonalFields.onceInClear.contains(field) && value?.isSealed == false
            }
            sealed = sealed.withPersonalValues(Set(clear.map(\.0)), from: draft.event)
        }
        // Compared as the binary layout of each, byte for byte: `==` on the events would take text that is
        // only canonically equivalent (two Unicode spellings of one name) for the same.
        return EventCodec.storedPayload(of: sealed) == EventCodec.storedPayload(of: storedEvent)
    }
}
