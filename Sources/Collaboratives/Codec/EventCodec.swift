/// Reads events from their JSON `data` and writes them back as canonical JSON.
///
/// Reading is strict: every field is checked for presence, JSON type and value,
/// and unknown fields are refused, with one-line errors naming the field path.
/// Writing is canonical (sorted keys, no whitespace, absent optional fields left
/// out), so `encode(decode(encode(x)))` is byte-identical to `encode(x)`.
///
/// ```swift
/// let event = try EventCodec.decode(type: "MemberLeft", schemaVersion: 1, data: Array(json.utf8))
/// let bytes = EventCodec.encode(event)   // {"collaborative":"oldham","member":"ol-17","reason":"capacity"}
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
        return try build(type: type, data: current)
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

    private static func build(type: String, data: JSONValue) throws(DomainError) -> DomainEvent {
        switch type {
        case CollaborativeFormed.typeName: .collaborativeFormed(try .read(data))
        case MemberJoined.typeName: .memberJoined(try .read(data))
        case MemberDetailsChanged.typeName: .memberDetailsChanged(try .read(data))
        case MemberLeft.typeName: .memberLeft(try .read(data))
        case RoleAssigned.typeName: .roleAssigned(try .read(data))
        case RoleEnded.typeName: .roleEnded(try .read(data))
        case SubGroupFormed.typeName: .subGroupFormed(try .read(data))
        case SubGroupMemberJoined.typeName: .subGroupMemberJoined(try .read(data))
        case SubGroupMemberLeft.typeName: .subGroupMemberLeft(try .read(data))
        case SubGroupRedefined.typeName: .subGroupRedefined(try .read(data))
        case SubGroupStatusChanged.typeName: .subGroupStatusChanged(try .read(data))
        case MilestoneReached.typeName: .milestoneReached(try .read(data))
        case WorkshopHeld.typeName: .workshopHeld(try .read(data))
        case CoachingSessionHeld.typeName: .coachingSessionHeld(try .read(data))
        case SurveyWaveClosed.typeName: .surveyWaveClosed(try .read(data))
        case EventRetracted.typeName: .eventRetracted(try .read(data))
        case PersonalDataErased.typeName: .personalDataErased(try .read(data))
        default:
            throw DomainError(.unknownType, field: "type", message: "unknown event type \(Quoting.quoted(type))")
        }
    }
}
