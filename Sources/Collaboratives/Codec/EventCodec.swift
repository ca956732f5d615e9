/// Reads events from their JSON `data` and writes them back as canonical JSON; reads and writes the
/// binary layout the store keeps (``BinaryPayload``).
///
/// Reading JSON is strict: every field is checked for presence, JSON type and value,
/// and unknown fields are refused, with one-line errors naming the field path.
/// Writing is canonical (sorted keys, no whitespace, absent optional fields left
/// out), so `encode(decode(encode(x)))` is byte-identical to `encode(x)`. Both encodings come
/// from each type's one list of fields (``PayloadFieldReading``, ``PayloadFieldWriting``).
///
/// ```swift
/// let event = try EventCodec.decode(type: "MemberLeft", schemaVersion: 1, data: Array(json.utf8))
/// let bytes = EventCodec.encode(event)   // {"collaborative":"oldham","member":"ol-17","reason":"capacity"}
/// let stored = EventCodec.storedPayload(of: event)   // [1, 6, 111, 108, …]
/// ```
public enum EventCodec {
    /// Decodes the `data` JSON bytes of an event of `type` written with `schemaVersion`.
    ///
    /// Checks, in order: the type is in the catalog; the version is readable (the
    /// latest, or older with upcasters for every step); the bytes are JSON; `data` is
    /// an object; then, after upcasting, each field.
    /// - Throws: ``DomainError`` naming the field (`type`, `schemaVersion`, `data.sector`, …).
    public static func decode(
        type: String, schemaVersion: Int, data: [UInt8], upcasters: UpcasterChain = .empty
    ) throws(DomainError) -> DomainEvent {
        try checkTypeAndVersion(type: type, schemaVersion: schemaVersion, upcasters: upcasters)
        return try decode(
            type: type, schemaVersion: schemaVersion, data: try JSONValue(parsing: data), upcasters: upcasters)
    }

    /// Decodes an already parsed `data` value; as for the bytes variant.
    public static func decode(
        type: String, schemaVersion: Int, data: JSONValue, upcasters: UpcasterChain = .empty
    ) throws(DomainError) -> DomainEvent {
        try checkTypeAndVersion(type: type, schemaVersion: schemaVersion, upcasters: upcasters)
        guard case .object = data else {
            throw DomainError(.notAnObject, field: "data", message: "expected an object, found \(data.typeDescription)")
        }
        let current = try upcasters.upcast(type: type, from: schemaVersion, data: data)
        var source = JSONPayloadSource(data: current)
        return try build(type: type, from: &source)
    }

    /// Decodes a payload as the store keeps it: the binary layout (``BinaryPayload``), or the JSON that
    /// stores written before it hold (and payloads given in an older schema version), upcast as needed.
    public static func decode(
        type: String, schemaVersion: Int, storedPayload payload: [UInt8], upcasters: UpcasterChain = .empty
    ) throws(DomainError) -> DomainEvent {
        try decode(
            type: type, schemaVersion: schemaVersion, storedPayload: payload, upcasters: upcasters,
            keepingAttendees: true)
    }

    /// ``decode(type:schemaVersion:storedPayload:upcasters:)``; with `keepingAttendees: false`, a binary
    /// payload's attendee lists are checked but decoded as `[]` (see ``EventDecoder``).
    static func decode(
        type: String, schemaVersion: Int, storedPayload payload: [UInt8], upcasters: UpcasterChain,
        keepingAttendees: Bool
    ) throws(DomainError) -> DomainEvent {
        guard BinaryPayload.isBinary(payload) else {
            return try decode(type: type, schemaVersion: schemaVersion, data: payload, upcasters: upcasters)
        }
        return try payload.withUnsafeBufferPointer { (buffer) throws(DomainError) -> DomainEvent in
            try decodeBinary(
                type: type, schemaVersion: schemaVersion, UnsafeRawBufferPointer(buffer),
                keepingAttendees: keepingAttendees)
        }
    }

    /// ``decode(type:schemaVersion:storedPayload:upcasters:keepingAttendees:)`` of a payload read in place (a
    /// fold's scan lends it from the store's page): a binary one is read where it lies, a JSON one (stores
    /// before the binary layout) copied out first.
    static func decode(
        type: String, schemaVersion: Int, storedPayloadInPlace payload: UnsafeRawBufferPointer,
        upcasters: UpcasterChain, keepingAttendees: Bool
    ) throws(DomainError) -> DomainEvent {
        guard BinaryPayload.isBinary(payload) else {
            return try decode(type: type, schemaVersion: schemaVersion, data: Array(payload), upcasters: upcasters)
        }
        return try decodeBinary(
            type: type, schemaVersion: schemaVersion, payload, keepingAttendees: keepingAttendees)
    }

    /// A payload in the binary layout (its first byte says so), which is always in the latest schema version.
    private static func decodeBinary(
        type: String, schemaVersion: Int, _ payload: UnsafeRawBufferPointer, keepingAttendees: Bool
    ) throws(DomainError) -> DomainEvent {
        guard schemaVersion == DomainEvent.latestSchemaVersion else {
            throw DomainError(
                .unsupportedSchemaVersion, field: "schemaVersion",
                message: "a binary payload is always in the latest schema version, not \(schemaVersion)")
        }
        guard var reader = BinaryPayloadReader(payload) else {
            throw DomainError(.wrongType, field: "data", message: "stored payload has no layout byte")
        }
        reader.keepsAttendees = keepingAttendees
        var source = BinaryPayloadSource(reader: reader)
        return try build(type: type, from: &source)
    }

    /// The payload the store keeps for `event` (in the latest schema version): its binary layout.
    public static func storedPayload(of event: DomainEvent) -> [UInt8] {
        var fields = BinaryPayloadWriter()
        event.payload.write(to: &fields)
        return fields.bytes
    }

    /// The payload a store before binary layout 2 kept for `event`: an organisation in clear as layout 1
    /// text (see ``BinaryPayload``). Only a restore or a retry that must match such bytes asks for it.
    static func storedPayloadWithOrganisationInClear(of event: DomainEvent) -> [UInt8] {
        var fields = BinaryPayloadWriter(organisationInClear: true)
        event.payload.write(to: &fields)
        return fields.bytes
    }

    /// The canonical JSON bytes of the event's `data`.
    public static func encode(_ event: DomainEvent) -> [UInt8] {
        dataValue(of: event).canonicalBytes
    }

    /// The event's `data` as a JSON value (absent optional fields left out).
    public static func dataValue(of event: DomainEvent) -> JSONValue {
        var fields = FieldWriter()
        event.payload.write(to: &fields)
        return fields.object
    }

    private static let knownTypes = Set(DomainEvent.typeNames)

    private static func checkTypeAndVersion(
        type: String, schemaVersion: Int, upcasters: UpcasterChain
    ) throws(DomainError) {
        guard knownTypes.contains(type) else {
            throw DomainError(
                .unknownType, field: "type",
                message:
                    "unknown event type \(Quoting.quoted(type)) (known: \(DomainEvent.typeNames.joined(separator: ", ")))"
            )
        }
        try upcasters.requireReadable(type: type, version: schemaVersion)
    }

    private static func build(type: String, from source: inout some PayloadSource) throws(DomainError) -> DomainEvent {
        // A log's decoding dispatches once per event. Comparing the name with each catalog name in turn cost
        // more than decoding most payloads (two unequal names longer than 15 bytes take Swift's general
        // comparison), so the name's length (a test holds it to each name) leaves one to three to compare.
        switch (type.utf8.count, type) {
        case (19, CollaborativeFormed.typeName): .collaborativeFormed(try source.read())
        case (12, MemberJoined.typeName): .memberJoined(try source.read())
        case (20, MemberDetailsChanged.typeName): .memberDetailsChanged(try source.read())
        case (10, MemberLeft.typeName): .memberLeft(try source.read())
        case (12, RoleAssigned.typeName): .roleAssigned(try source.read())
        case (9, RoleEnded.typeName): .roleEnded(try source.read())
        case (14, SubGroupFormed.typeName): .subGroupFormed(try source.read())
        case (20, SubGroupMemberJoined.typeName): .subGroupMemberJoined(try source.read())
        case (18, SubGroupMemberLeft.typeName): .subGroupMemberLeft(try source.read())
        case (17, SubGroupRedefined.typeName): .subGroupRedefined(try source.read())
        case (21, SubGroupStatusChanged.typeName): .subGroupStatusChanged(try source.read())
        case (16, MilestoneReached.typeName): .milestoneReached(try source.read())
        case (12, WorkshopHeld.typeName): .workshopHeld(try source.read())
        case (19, CoachingSessionHeld.typeName): .coachingSessionHeld(try source.read())
        case (16, SurveyWaveClosed.typeName): .surveyWaveClosed(try source.read())
        case (14, EventRetracted.typeName): .eventRetracted(try source.read())
        case (18, PersonalDataErased.typeName): .personalDataErased(try source.read())
        default:
            throw DomainError(.unknownType, field: "type", message: "unknown event type \(Quoting.quoted(type))")
        }
    }
}

/// Where ``EventCodec`` reads a payload from, once it knows the type: a JSON `data` value or a stored
/// binary payload.
protocol PayloadSource {
    mutating func read<Event: CatalogEvent>() throws(DomainError) -> Event
}

private struct JSONPayloadSource: PayloadSource {
    let data: JSONValue
    func read<Event: CatalogEvent>() throws(DomainError) -> Event { try Event.read(data) }
}

private struct BinaryPayloadSource: PayloadSource {
    var reader: BinaryPayloadReader
    mutating func read<Event: CatalogEvent>() throws(DomainError) -> Event { try Event.read(&reader) }
}
