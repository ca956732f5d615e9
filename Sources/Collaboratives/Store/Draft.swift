public import EventLog
public import Foundation

/// An event ready to append: its envelope fields and its checked payload.
///
/// `data` is kept as given (in its schema version) and stored as canonical JSON; `event` is what it reads
/// as in the latest version, after upcasting, and is what the rules judge.
public struct Draft: Sendable {
    /// The event id.
    public var id: UUID
    /// When it happened.
    public var occurredAt: OccurredAt
    /// Who entered it.
    public var recordedBy: String
    /// The schema version `data` is written in.
    public var schemaVersion: Int
    /// The payload as given.
    public var data: JSONValue
    /// The payload read in the latest version.
    public var event: DomainEvent
    /// The payload exactly as stored, when it is known already (a line of an export, whose personal fields
    /// are sealed as the export says); otherwise the append seals `data` (see ``PersonalDataSeal``).
    public var storedPayload: [UInt8]?

    /// A draft of `event` in the latest schema version.
    public init(id: UUID = UUID(), occurredAt: OccurredAt, recordedBy: String, event: DomainEvent) {
        self.id = id
        self.occurredAt = occurredAt
        self.recordedBy = recordedBy
        self.schemaVersion = DomainEvent.latestSchemaVersion
        self.data = EventCodec.dataValue(of: event)
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
        self.data = line.data
        self.event = try EventCodec.decode(
            type: line.type, schemaVersion: line.schemaVersion, data: line.data, upcasters: upcasters)
        // Sealed values are the store's own form; input carries personal text in clear.
        if let personal = event.personalData {
            for (field, value) in zip(personal.fields, personal.values) where value?.isSealed == true {
                throw DomainError(.wrongType, field: "data.\(field)", message: "expected a string, found an object")
            }
        }
        self.storedPayload = try line.restored.sealed.map { sealed throws(DomainError) in
            try sealed.storedData(of: line.data, event: event, id: id).canonicalBytes
        }
    }

    /// The envelope the log stores.
    public var newEvent: NewEvent {
        NewEvent(
            id: id, stream: event.stream, type: event.typeName, schemaVersion: schemaVersion,
            occurredAt: occurredAt.validTime, recordedBy: recordedBy, payload: storedPayload ?? data.canonicalBytes,
            tags: EventTag.tags(of: event))
    }

    /// The entry the rules judge (not yet stored).
    var pendingEntry: TimelineEntry {
        TimelineEntry(id: id, seq: nil, occurredAt: occurredAt, event: event)
    }
}
