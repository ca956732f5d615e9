extension LogView {
    /// Events by `seq`, forward from `seq` (inclusive), each lent to `body` in place (``EventInPlace``) until
    /// it returns `false`: what a fold of the whole log reads. This default makes each ``RecordedEvent`` and
    /// lends its payload; a store that can give the fields without making the rest (LMDB, from its mapped
    /// pages) reads them in place.
    public func scanInPlace(from seq: UInt64, _ body: (EventInPlace) throws -> Bool) throws {
        try scan(from: seq, direction: .forward) { event in
            try event.payload.withUnsafeBytes { try body(EventInPlace(event, payload: $0)) }
        }
    }
}
