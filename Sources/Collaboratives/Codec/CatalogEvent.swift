/// What every event payload of the catalog provides to the codec.
protocol CatalogEvent: Equatable, Sendable {
    /// The catalog's type name (`MemberJoined`).
    static var typeName: String { get }
    /// Every field of `data`, required and optional, as spelled in the catalog.
    static var fieldNames: [String] { get }
    /// Reads and validates the payload from the fields of `data`.
    init(reading fields: inout some PayloadFieldReading) throws(DomainError)
    /// Writes the payload's fields; absent optional fields are left out.
    func write(to fields: inout some PayloadFieldWriting)
}

extension CatalogEvent {
    /// Reads the payload from a `data` object, refusing unknown fields first.
    static func read(_ data: JSONValue) throws(DomainError) -> Self {
        var fields = try FieldReader(data, path: "data", allowedFields: fieldNames)
        return try Self(reading: &fields)
    }

    /// Reads the payload from the stored binary layout (``BinaryPayload``), to its last byte.
    static func read(_ fields: inout BinaryPayloadReader) throws(DomainError) -> Self {
        let event = try Self(reading: &fields)
        try fields.finish()
        return event
    }
}
