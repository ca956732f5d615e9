public import EventLog
internal import Foundation

/// Writes a stored event as one NDJSON line of EVENTS.md, byte for byte the same every time.
///
/// Key order is fixed: `id`, `seq`, `type`, `schemaVersion`, `occurredAt`, `recordedAt`, `recordedBy`,
/// `stream`, `streamVersion`, `hash`, then `sealed` when the event has sealed personal fields, then `data`.
/// `data` is canonical JSON with personal fields in clear (``HistoryReader/readableData(of:keys:)``), and
/// `sealed` says how to seal them again (see ``SealedFields``), so `export | import | export` reproduces the
/// same bytes.
public enum ExportLine {
    /// The line's bytes, without the trailing newline, with `data` as stored: sealed personal fields stay
    /// sealed (`{"sealed":"<base64>"}`), so the line restores only where its keys already are. A JSON
    /// payload (stores before the binary layout) is given verbatim; a binary payload that does not decode
    /// gives `"data":null`.
    public static func encode(_ event: RecordedEvent) -> [UInt8] {
        guard BinaryPayload.isBinary(event.payload) else { return encode(event, data: event.payload, sealed: nil) }
        let domain = try? EventCodec.decode(
            type: event.type, schemaVersion: event.schemaVersion, storedPayload: event.payload)
        return encode(event, data: domain.map(EventCodec.dataValue(of:)) ?? .null, sealed: nil)
    }

    /// The line's bytes with `data` in clear and `sealed` as ``HistoryReader/readableData(of:keys:)`` gives them.
    public static func encode(_ event: RecordedEvent, data: JSONValue, sealed: SealedFields?) -> [UInt8] {
        encode(event, data: data.canonicalBytes, sealed: sealed)
    }

    private static func encode(_ event: RecordedEvent, data: [UInt8], sealed: SealedFields?) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(event.payload.count + 300)
        func field(_ name: String, _ value: JSONValue, first: Bool = false) {
            line.append(contentsOf: (first ? "{\"" : ",\"").utf8)
            line.append(contentsOf: name.utf8)
            line.append(contentsOf: "\":".utf8)
            line.append(contentsOf: value.canonicalBytes)
        }
        field("id", .string(event.id.uuidString.lowercased()), first: true)
        field("seq", .integer(Int64(clamping: event.seq)))
        field("type", .string(event.type))
        field("schemaVersion", .integer(Int64(event.schemaVersion)))
        field("occurredAt", .string(OccurredAt(event.occurredAt).canonicalText))
        field("recordedAt", .string(event.recordedAt.description))
        field("recordedBy", .string(event.recordedBy))
        field("stream", .string(event.stream))
        field("streamVersion", .integer(Int64(clamping: event.streamVersion)))
        field("hash", .string(event.hash.description))
        if let sealed { field("sealed", sealed.jsonValue) }
        line.append(contentsOf: ",\"data\":".utf8)
        line.append(contentsOf: data)
        line.append(UInt8(ascii: "}"))
        return line
    }
}
