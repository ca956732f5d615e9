public import EventLog
public import Foundation

/// An event ready to append: its envelope fields and its checked payload.
///
/// `event` is what the payload reads as in the latest schema version, after upcasting, and is what the
/// rules judge and what the store keeps (``BinaryPayload``). A payload given in an older schema version is
/// kept as given (canonical JSON), to be upcast whenever it is read.
public struct Draft: Sendable {
    /// The event id.
    public var id: UUID
    /// When it happened.
    public var occurredAt: OccurredAt
    /// Who entered it.
    public var recordedBy: String
    /// The schema version the payload was given in.
    public var schemaVersion: Int
    /// The payload read in the latest version.
    public var event: DomainEvent
    /// The payload as given, kept only when it is in an older schema version than the latest.
    var olderVersionData: JSONValue?
    /// The payload exactly as stored, when it is known already (a line of an export, whose personal fields
    /// are sealed as the export says); otherwise the append seals the personal fields of `event` (see
    /// ``PersonalDataSeal``).
    public var storedPayload: [UInt8]?

    /// The payload as JSON `data`, in the schema version it was given in.
    public var data: JSONValue { olderVersionData ?? EventCodec.dataValue(of: event) }

    /// A draft of `event` in the latest schema version.
    public init(id: UUID = UUID(), occurredAt: OccurredAt, recordedBy: String, event: DomainEvent) {
        self.id = id
        self.occurredAt = occurredAt
        self.recordedBy = recordedBy
        self.schemaVersion = DomainEvent.latestSchemaVersion
        self.event = event
    }

    /// A draft of an input line: `data` is decoded (and upcast) to check it.
    ///
    /// - Throws: ``DomainError`` naming the field at fault.
    public init(line: InterchangeLine, defaultRecordedBy: String, upcasters: UpcasterChain = .empty) throws(DomainError)
    {
        self.id = line.id ?? UUID()
        self.occurredAt = line.occurredAt
        self.recordedBy = line.recordedBy ?? defaultRecordedBy
        self.schemaVersion = line.schemaVersion
        self.event = try EventCodec.decode(
            type: line.type, schemaVersion: line.schemaVersion, data: line.data, upcasters: upcasters)
        if line.schemaVersion != DomainEvent.latestSchemaVersion { olderVersionData = line.data }
        // A restored export is history as it was stored, which may predate the rule: refusing it would lose
        // a backup, and it is escaped wherever it is shown.
        if line.restored.isEmpty { try TextCheck.check(event) }
        try event.refuseSealedPersonalText()
        if let sealed = line.restored.sealed {
            if let data = olderVersionData {
                self.storedPayload = try sealed.storedData(of: data, event: event, id: id).canonicalBytes
            } else {
                self.storedPayload = EventCodec.storedPayload(of: try sealed.storedEvent(event, id: id))
            }
        }
    }

    /// The payload to store when the personal fields are as in `event` (sealed, or none): binary in the
    /// latest schema version, the canonical JSON given otherwise.
    var unsealedPayload: [UInt8] {
        olderVersionData?.canonicalBytes ?? EventCodec.storedPayload(of: event)
    }

    /// The envelope the log stores.
    public var newEvent: NewEvent {
        NewEvent(
            id: id, stream: event.stream, type: event.typeName, schemaVersion: schemaVersion,
            occurredAt: occurredAt.validTime, recordedBy: recordedBy, payload: storedPayload ?? unsealedPayload,
            tags: EventTag.tags(of: event))
    }

    /// The entry the rules judge (not yet stored).
    var pendingEntry: TimelineEntry {
        TimelineEntry(id: id, seq: nil, occurredAt: occurredAt, event: event)
    }
}
