public import Foundation

/// An earlier event is retracted: it stays in the log but no longer counts.
///
/// Catalog type `EventRetracted`, schema version 1; fields are named as in the catalog's `data`.
public struct EventRetracted: Equatable, Sendable {
    /// The id of the retracted event; never itself a retraction.
    public let event: UUID
    /// Why it was retracted.
    public let reason: String

    /// Creates the event; optional fields default to absent.
    public init(event: UUID, reason: String) {
        self.event = event
        self.reason = reason
    }
}

extension EventRetracted: CatalogEvent {
    static let typeName = "EventRetracted"
    static let fieldNames = ["event", "reason"]

    init(reading fields: inout some PayloadFieldReading) throws(DomainError) {
        self.init(
            event: try fields.identifier("event"),
            reason: try fields.text("reason", maximum: FieldReader.longTextLimit)
        )
    }

    func write(to fields: inout some PayloadFieldWriting) {
        fields.set("event", event)
        fields.set("reason", reason)
    }
}
