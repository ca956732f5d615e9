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

    /// The events at `seqs`, each lent to `body` in place (``EventInPlace``) in the order given, `nil` for a
    /// `seq` with no event. This default asks ``events(at:)`` once (one round trip for a store across a
    /// network) and lends each payload; LMDB reads each record in place from its mapped page, so that an
    /// event the reader passes over on its envelope has neither its payload copied nor its names made.
    public func eventsInPlace(at seqs: [UInt64], _ body: (UInt64, EventInPlace?) throws -> Void) throws {
        let found = try events(at: seqs)
        for seq in seqs {
            guard let event = found[seq] else {
                try body(seq, nil)
                continue
            }
            try event.payload.withUnsafeBytes { try body(seq, EventInPlace(event, payload: $0)) }
        }
    }

    /// The events under any of `tags` up to `through` but those in `known`, each lent in place to `body`
    /// (`nil` for a `seq` with no event). This default makes the two requests of
    /// `taggedEventsInPlaceInTwoReads`, right for a store in this process; PostgreSQL answers both in one
    /// statement.
    public func taggedEventsInPlace(
        forEach tags: [String], through seq: UInt64, skipping known: Set<UInt64>,
        _ body: (UInt64, EventInPlace?) throws -> Void
    ) throws {
        try taggedEventsInPlaceInTwoReads(forEach: tags, through: seq, skipping: known, body)
    }

    /// ``taggedEventsInPlace(forEach:through:skipping:_:)`` as two requests: ``taggedSeqs(forEach:through:)``,
    /// then ``eventsInPlace(at:_:)`` of the `seq`s not in `known`, ascending, each lent once. Written once
    /// for the default and for a store that answers in one statement only where its schema allows it
    /// (PostgreSQL's format-1 store asks these two reads).
    package func taggedEventsInPlaceInTwoReads(
        forEach tags: [String], through seq: UInt64, skipping known: Set<UInt64>,
        _ body: (UInt64, EventInPlace?) throws -> Void
    ) throws {
        let tagged = try taggedSeqs(forEach: tags, through: seq)
        let wanted = Set(tagged.values.joined()).subtracting(known).sorted()
        guard !wanted.isEmpty else { return }
        try eventsInPlace(at: wanted, body)
    }
}
