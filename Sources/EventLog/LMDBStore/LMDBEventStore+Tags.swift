internal import LMDB

extension LMDBEventStore {
    @discardableResult
    public func catchUpTags(scheme: String, _ tagger: (RecordedEvent) throws -> [String]) throws -> Int {
        let lagging = try read { view in
            try view.tagScheme() != scheme || view.tagIndexPosition() < view.head().seq
        }
        guard lagging else { return 0 }
        return try writing { view in
            let head = try view.head()
            if try view.tagScheme() != scheme {
                try view.txn.empty(try databases.writableTags())
                try view.setTagIndexPosition(0)
                try view.txn.put(databases.meta, key: StoreKeys.tagSchemeKey, value: Array(scheme.utf8))
            }
            let position = try view.tagIndexPosition()
            guard position < head.seq else { return 0 }
            var count = 0
            var indexes = IndexBatch(capacity: 0)
            try view.scan(from: position + 1, direction: .forward) { event in
                guard event.seq <= head.seq else { return false }
                let tags = try tagger(event)
                for tag in tags { try EnvelopeChecks.checkName(tag, field: "tags", index: count) }
                indexes.addTags(tags, seq: event.seq)
                count += 1
                // Written in stretches, so that catching up a large log does not hold all its tags at once.
                if count % 65_536 == 0 { try indexes.flush(into: view) }
                return true
            }
            try indexes.flush(into: view)
            try view.setTagIndexPosition(head.seq)
            return count
        }
    }
}

extension LMDBLogView {
    func tagIndexPosition() throws -> UInt64 {
        try txn.withValue(databases.meta, key: StoreKeys.tagsKey) { bytes throws(LMDBError) in
            guard let bytes, bytes.count == 8 else { return 0 }
            return StoreKeys.readBigEndian(bytes, at: 0)
        }
    }

    func tagScheme() throws -> String? {
        try txn.withValue(databases.meta, key: StoreKeys.tagSchemeKey) { bytes throws(LMDBError) in
            bytes.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    func isTagged(_ seq: UInt64, with tag: String) throws -> Bool {
        guard let tags = databases.tags else { return false }
        return try txn.withCursor(tags) { cursor in
            try cursor.seek(exactly: Array(tag.utf8), value: StoreKeys.seq(seq)) != nil
        }
    }

    func tagEntryCount() throws -> Int {
        guard let tags = databases.tags else { return 0 }
        return try txn.statistics(tags).entries
    }

    func taggedSeqs(_ tag: String, through last: UInt64) throws -> [UInt64] {
        guard let tags = databases.tags else { return [] }
        return try txn.withCursor(tags) { cursor in try Self.seqs(under: Array(tag.utf8), through: last, cursor) }
    }

    /// As ``taggedSeqs(_:through:)`` for each tag, through one cursor and in the index's key order: a rule
    /// check asks for a few dozen tags at once (a streamed import's scope for thousands), each a descent of
    /// the index, which deepens as the store grows; taken in key order, neighbouring tags find the pages the
    /// previous descent touched, and the cursor is opened once.
    func taggedSeqs(forEach tags: [String], through last: UInt64) throws -> [String: [UInt64]] {
        guard let database = databases.tags, !tags.isEmpty else { return [:] }
        let keys = tags.map { (tag: $0, key: Array($0.utf8)) }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
        return try txn.withCursor(database) { cursor in
            var found: [String: [UInt64]] = [:]
            var previous: [UInt8]?
            for (tag, key) in keys where key != previous {
                previous = key
                let seqs = try Self.seqs(under: key, through: last, cursor)
                if !seqs.isEmpty { found[tag] = seqs }
            }
            return found
        }
    }

    /// The `seq`s stored under `key` up to `last`, ascending (the index's duplicates are sorted by `seq`).
    private static func seqs(under key: [UInt8], through last: UInt64, _ cursor: borrowing Cursor) throws -> [UInt64] {
        var seqs: [UInt64] = []
        var entry = try cursor.seek(exactly: key)
        while let current = entry {
            guard current.value.count == 8 else {
                throw EventLogError.corruptRecord(
                    seq: 0, reason: "malformed entry in the tags index (value of \(current.value.count) bytes)")
            }
            let seq = StoreKeys.readBigEndian(current.value, at: 0)
            if seq > last { break }
            seqs.append(seq)
            entry = try cursor.nextDuplicate()
        }
        return seqs
    }
}
