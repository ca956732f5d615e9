internal import ChronicleSupport
internal import EventLog

extension HistoryReader {
    /// How many events a rebuild decodes per stretch while it folds the stretch before.
    static let decodeStretch: UInt64 = 4_096

    /// Calls `body` with the log's events through `last`, decoded for folding, in `seq` order.
    ///
    /// Decoding (reading records, envelopes and payloads) is half a rebuild's work and needs nothing from
    /// the fold, so it runs a stretch ahead on another thread: while `body` folds one stretch, the next is
    /// being decoded. Each stretch is read in its own snapshot; the log only grows, so every snapshot holds
    /// the events through `last`.
    ///
    /// The events are read in place (``LogView/scanInPlace(from:_:)``: no stream or author name made, no
    /// payload copied), and each entry is moved out of its stretch to `body`, not copied (a copy retained
    /// every string and array of the event, and the stretch released them all again when dropped).
    ///
    /// With `keepingAttendees: false` (the present view's fold), workshops and coaching sessions come without
    /// their attendee lists, which are checked all the same (see ``EventDecoder``).
    func forEachDecodedEntry(
        through last: UInt64, stretch: UInt64 = decodeStretch, keepingAttendees: Bool = true,
        _ body: (RecordedEntry) throws -> Void
    ) throws {
        var decoder = decoder
        decoder.keepsAttendees = keepingAttendees
        try ahead(through: last, stretch: stretch, { [decoder] in try self.entries(from: $0, through: $1, decoder) }) {
            entries in
            for index in entries.indices {
                if let entry = entries[index].take() { try body(entry) }
            }
        }
    }

    /// ``forEachDecodedEntry(through:stretch:keepingAttendees:_:)`` with each event given to `body` as `item`
    /// makes it from the decoded entry and the stored event (on the decoding thread). The entry is handed over
    /// (`consuming`): an item that is the entry itself is then not a copy of it (a copy retained and released
    /// every string and array of a decoded event).
    func forEachDecoded<Item: Sendable>(
        through last: UInt64, stretch: UInt64 = decodeStretch, keepingAttendees: Bool = true,
        _ item: @escaping @Sendable (consuming RecordedEntry, RecordedEvent) -> Item, _ body: (Item) throws -> Void
    ) throws {
        var decoder = decoder
        decoder.keepsAttendees = keepingAttendees
        try ahead(
            through: last, stretch: stretch, { [decoder] in try self.decoded(from: $0, through: $1, decoder, item) }
        ) { items in
            for each in items { try body(each) }
        }
    }

    /// Calls `fold` with each stretch of `stretch` events through `last`, which `decode` (given its first and
    /// last `seq`) makes on another thread while `fold` takes the stretch before.
    private func ahead<Stretch: Sendable>(
        through last: UInt64, stretch: UInt64, _ decode: @escaping @Sendable (UInt64, UInt64) throws -> Stretch,
        _ fold: (inout Stretch) throws -> Void
    ) throws {
        let stretch = max(stretch, 1)
        func decodeAhead(from start: UInt64) -> Background<Stretch>? {
            guard start <= last else { return nil }
            let end = min(last, start + stretch - 1)
            return Background { try decode(start, end) }
        }
        var start: UInt64 = 1
        var pending = decodeAhead(from: start)
        // When the body throws, the stretch being decoded is waited for, so that no read transaction of it
        // outlives the call.
        defer { _ = try? pending?.value() }
        while let current = pending {
            var items = try current.takeValue()  // the only reference: `fold` may move entries out of it
            start += stretch
            pending = decodeAhead(from: start)
            try fold(&items)
        }
    }

    /// A stretch folds its events by position: a seq missing from the log (damage; the log has no gaps) would
    /// shift or drop the events after it, so it is refused, naming the seq expected.
    private static func checkContiguous(_ seq: UInt64, expected: UInt64) throws(EventLogError) {
        guard seq == expected else {
            throw .corruptRecord(seq: expected, reason: "missing: the next stored event is seq \(seq)")
        }
    }

    /// The events `start...end` read in place from one snapshot, decoded for folding.
    private func entries(from start: UInt64, through end: UInt64, _ decoder: EventDecoder) throws -> [RecordedEntry?] {
        try log.read { view in
            var entries: [RecordedEntry?] = []
            entries.reserveCapacity(Int(end - start + 1))
            try view.scanInPlace(from: start) { event in
                guard event.seq <= end else { return false }
                try Self.checkContiguous(event.seq, expected: start + UInt64(entries.count))
                entries.append(try decoder.recordedEntry(inPlace: event, in: view))
                return true
            }
            try Self.checkContiguous(start + UInt64(entries.count), expected: end + 1)
            return entries
        }
    }

    /// The events `start...end`, decoded for folding and made into items by `item`, from one snapshot.
    private func decoded<Item>(
        from start: UInt64, through end: UInt64, _ decoder: EventDecoder,
        _ item: (consuming RecordedEntry, RecordedEvent) -> Item
    ) throws -> [Item] {
        try log.read { view in
            var items: [Item] = []
            items.reserveCapacity(Int(end - start + 1))
            try view.scan(from: start, direction: .forward) { event in
                guard event.seq <= end else { return false }
                items.append(item(try decoder.recordedEntry(of: event, in: view), event))
                return true
            }
            return items
        }
    }
}
