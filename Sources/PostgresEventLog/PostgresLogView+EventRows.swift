internal import EventLog
internal import Foundation
internal import PostgresNIO

/// Events from result rows of ``PostgresLogView/eventColumns``: made whole (``RecordedEvent``), or lent in
/// place (``EventInPlace``) with the payload left in the row's buffer, so that a reader that decodes the
/// payload once (a one-collaborative query) does not first copy it out into an array.
extension PostgresLogView {
    /// An event from a row of ``eventColumns``; stored values out of range are a damaged record, as LMDB's
    /// decoding treats them.
    static func decodeEvent(_ row: PostgresRow) throws -> RecordedEvent {
        var cells = Cells(row)
        return try decodeEvent(seq: cells.next(Int64.self), rest: &cells, copyingPayload: true).event
    }

    /// The event of ``eventColumns`` whose `seq` (the first column) has been read, the rest from `cells`:
    /// its payload's bytes as they stand in the row (a view of the row's buffer, not a copy), and the event
    /// made with them copied when `copyingPayload`, with an empty payload otherwise. Every check of
    /// ``decodeEvent(_:)``, with the same errors, in either case.
    static func decodeEvent(seq: Int64, rest cells: inout Cells, copyingPayload: Bool) throws -> (
        event: RecordedEvent, payload: ByteBuffer
    ) {
        func corrupt(_ reason: String) -> EventLogError {
            .corruptRecord(seq: UInt64(max(seq, 0)), reason: reason)
        }
        let id = try cells.next(UUID.self)
        let stream = try cells.next(String.self)
        let streamVersion = try cells.next(Int64.self)
        let type = try cells.next(String.self)
        let schemaVersion = try cells.next(Int32.self)
        let kind = try cells.next(Int16.self)
        let occurred = try cells.next(Int64.self)
        let recordedAt = try cells.next(Int64.self)
        let recordedBy = try cells.next(String.self)
        let payload = try cells.next(ByteBuffer?.self) ?? ByteBuffer()
        guard seq > 0, streamVersion > 0 else { throw corrupt("seq or stream version is not positive") }
        guard (0...Int32(UInt16.max)).contains(schemaVersion) else {
            throw corrupt("schema version \(schemaVersion) out of range")
        }
        guard kind == 0 || kind == 1, (kind == 0 ? ValidTime.dayRange : ValidTime.instantRange).contains(occurred)
        else { throw corrupt("occurredAt \(occurred) (kind \(kind)) out of range") }
        guard ValidTime.instantRange.contains(recordedAt) else {
            throw corrupt("recordedAt \(recordedAt) out of range")
        }
        guard let hash = try cells.bytes().flatMap(EventHash.init(bytes:)) else {
            throw corrupt("the hash is not 32 bytes")
        }
        let event = RecordedEvent(
            seq: UInt64(seq), id: id, stream: stream, streamVersion: UInt64(streamVersion), type: type,
            schemaVersion: Int(schemaVersion),
            occurredAt: kind == 0 ? .day(occurred) : .instant(Timestamp(microsecondsSinceEpoch: occurred)),
            recordedAt: Timestamp(microsecondsSinceEpoch: recordedAt), recordedBy: recordedBy,
            payload: copyingPayload ? Array(payload.readableBytesView) : [], hash: hash)
        return (event, payload)
    }
}
