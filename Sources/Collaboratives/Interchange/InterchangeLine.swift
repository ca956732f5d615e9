public import EventLog
public import Foundation

/// One NDJSON line of EVENTS.md, read strictly: known fields only, each of the right type.
///
/// ```json
/// {"id":"3f1c…","type":"MemberJoined","occurredAt":"2021-11-15","data":{"collaborative":"oldham",…}}
/// ```
public struct InterchangeLine: Sendable {
    /// The event id, when given.
    public var id: UUID?
    /// The catalog type.
    public var type: String
    /// The payload's schema version (the latest when absent).
    public var schemaVersion: Int
    /// When it happened.
    public var occurredAt: OccurredAt
    /// Who entered it, when given.
    public var recordedBy: String?
    /// The `data` object, as parsed.
    public var data: JSONValue
    /// The output-only fields, present when restoring an export.
    public var restored: RestoredFields

    /// The fields `export` writes and `import` accepts only when restoring into an empty store.
    public struct RestoredFields: Sendable, Equatable {
        /// Transaction time.
        public var recordedAt: Timestamp?
        /// Global position.
        public var seq: UInt64?
        /// Stream.
        public var stream: String?
        /// Version in the stream.
        public var streamVersion: UInt64?
        /// Hash-chain link.
        public var hash: EventHash?
        /// How the event's personal fields travel (see ``SealedFields``).
        public var sealed: SealedFields?

        /// Creates restore fields (none present by default).
        public init(
            recordedAt: Timestamp? = nil, seq: UInt64? = nil, stream: String? = nil, streamVersion: UInt64? = nil,
            hash: EventHash? = nil, sealed: SealedFields? = nil
        ) {
            self.recordedAt = recordedAt
            self.seq = seq
            self.stream = stream
            self.streamVersion = streamVersion
            self.hash = hash
            self.sealed = sealed
        }

        /// Whether no restore field is present.
        public var isEmpty: Bool {
            recordedAt == nil && seq == nil && stream == nil && streamVersion == nil && hash == nil
                && sealed == nil
        }

        /// The names of the present fields, for error messages.
        public var presentNames: [String] {
            [
                recordedAt.map { _ in "recordedAt" }, seq.map { _ in "seq" }, stream.map { _ in "stream" },
                streamVersion.map { _ in "streamVersion" }, hash.map { _ in "hash" }, sealed.map { _ in "sealed" },
            ].compactMap { $0 }
        }
    }

    /// Creates a line from its fields.
    public init(
        id: UUID?, type: String, schemaVersion: Int, occurredAt: OccurredAt, recordedBy: String?, data: JSONValue,
        restored: RestoredFields = RestoredFields()
    ) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.occurredAt = occurredAt
        self.recordedBy = recordedBy
        self.data = data
        self.restored = restored
    }

    /// The longest `recordedBy` accepted, in characters.
    public static let maximumRecordedByLength = 200

    static let knownFields: Set<String> = [
        "id", "type", "schemaVersion", "occurredAt", "recordedAt", "recordedBy", "data", "seq", "stream",
        "streamVersion", "hash", "sealed",
    ]

    /// Parses one line (without its newline).
    ///
    /// - Throws: ``DomainError`` naming the field at fault.
    public static func parse(_ bytes: [UInt8]) throws(DomainError) -> InterchangeLine {
        let value = try JSONValue(parsing: bytes, field: "line")
        guard case .object(let fields) = value else {
            throw DomainError(
                .notAnObject, field: nil, message: "a line must be a JSON object, found \(value.typeDescription)")
        }
        // Sorted only to name the same unknown field whatever the order, when there is one.
        if fields.keys.contains(where: { !knownFields.contains($0) }) {
            for key in fields.keys.sorted() where !knownFields.contains(key) {
                throw DomainError(.unknownField, field: key, message: "unknown field")
            }
        }
        let type = try string(fields, "type", required: true) ?? ""
        var schemaVersion = DomainEvent.latestSchemaVersion
        if let version = fields["schemaVersion"] {
            guard case .integer(let number) = version, number >= 0, number <= Int64(UInt16.max) else {
                throw DomainError(
                    .wrongType, field: "schemaVersion", message: "expected a whole number from 0 to 65535")
            }
            schemaVersion = Int(number)
        }
        guard let occurredText = try string(fields, "occurredAt", required: true) else {
            throw DomainError(.missingField, field: "occurredAt", message: "required field is missing")
        }
        let occurredAt = try OccurredAt.parse(occurredText)
        guard let data = fields["data"] else {
            throw DomainError(.missingField, field: "data", message: "required field is missing")
        }
        var id: UUID?
        if let text = try string(fields, "id", required: false) {
            guard let parsed = UUID(canonicalText: text) else {
                throw DomainError(.invalidIdentifier, field: "id", message: "\(text.debugDescription) is not a UUID")
            }
            id = parsed
        }
        var restored = RestoredFields()
        if let text = try string(fields, "recordedAt", required: false) {
            guard let instant = Timestamp(rfc3339: text) else {
                throw DomainError(
                    .invalidDate, field: "recordedAt", message: "\(text.debugDescription) is not an RFC 3339 timestamp")
            }
            restored.recordedAt = instant
        }
        restored.seq = try positive(fields, "seq")
        restored.stream = try string(fields, "stream", required: false)
        restored.streamVersion = try positive(fields, "streamVersion")
        if let text = try string(fields, "hash", required: false) {
            guard let hash = EventHash(hex: text) else {
                throw DomainError(.wrongType, field: "hash", message: "expected 64 hex digits")
            }
            restored.hash = hash
        }
        restored.sealed = try fields["sealed"].map { value throws(DomainError) in try SealedFields.parse(value) }
        let recordedBy = try string(fields, "recordedBy", required: false)
        if let recordedBy, recordedBy.unicodeScalars.count > maximumRecordedByLength {
            throw DomainError(
                .wrongType, field: "recordedBy",
                message: "is \(recordedBy.unicodeScalars.count) characters long (at most \(maximumRecordedByLength))")
        }
        return InterchangeLine(
            id: id, type: type, schemaVersion: schemaVersion, occurredAt: occurredAt, recordedBy: recordedBy,
            data: data, restored: restored)
    }

    private static func string(_ fields: [String: JSONValue], _ key: String, required: Bool) throws(DomainError)
        -> String?
    {
        guard let value = fields[key] else {
            if required { throw DomainError(.missingField, field: key, message: "required field is missing") }
            return nil
        }
        guard case .string(let text) = value else {
            throw DomainError(.wrongType, field: key, message: "expected a string, found \(value.typeDescription)")
        }
        return text
    }

    private static func positive(_ fields: [String: JSONValue], _ key: String) throws(DomainError) -> UInt64? {
        guard let value = fields[key] else { return nil }
        guard case .integer(let number) = value, number >= 1 else {
            throw DomainError(.wrongType, field: key, message: "expected a whole number of at least 1")
        }
        return UInt64(number)
    }
}
