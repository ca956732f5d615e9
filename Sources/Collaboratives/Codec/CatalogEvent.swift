/// What every event payload of the catalog provides to the codec.
protocol CatalogEvent: Codable, Equatable, Sendable {
    /// The catalog's type name (`MemberJoined`).
    static var typeName: String { get }
    /// Every field of `data`, required and optional, as spelled in the catalog.
    static var fieldNames: [String] { get }
    /// Reads and validates the payload from the fields of `data`.
    init(reading fields: FieldReader) throws(DomainError)
    /// Writes the payload's fields; absent optional fields are left out.
    func write(to fields: inout FieldWriter)
}

extension CatalogEvent {
    /// Reads the payload from a `data` object, refusing unknown fields first.
    static func read(_ data: JSONValue) throws(DomainError) -> Self {
        try Self(reading: try FieldReader(data, path: "data", allowedFields: fieldNames))
    }
}
