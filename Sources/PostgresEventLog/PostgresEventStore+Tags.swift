public import EventLog
internal import Foundation
internal import PostgresNIO

extension PostgresEventStore {
    /// Brings the tag index up to the head as ``LMDBEventStore`` does, through `chronicle.reset_tags` and
    /// `chronicle.add_tags`, holding the head lock so that no append runs meanwhile. The index is a cache: on a
    /// connection that cannot write it (a reader, a hot standby) this does nothing and returns 0, and readers
    /// fall back to scanning the log.
    ///
    /// Every command that appends calls this first, and the index is almost always current: whether it lags is
    /// asked in one statement outside any transaction (one round trip; a read transaction asking the scheme,
    /// the position and the head took five).
    @discardableResult
    public func catchUpTags(scheme: String, _ tagger: (RecordedEvent) throws -> [String]) throws -> Int {
        guard try tagsLag(scheme: scheme) else { return 0 }
        return try transaction(.write) { view in
            guard
                try canWrite(
                    view,
                    privilege:
                        "has_function_privilege('chronicle.add_tags(bigint, bigint, bigint[], text[])', 'EXECUTE')")
            else { return 0 }
            try view.query("SELECT chronicle.lock_head()")
            let head = try view.head()
            if try view.tagScheme() != scheme {
                try view.query("SELECT chronicle.reset_tags(\(scheme))")
            }
            var position = try view.tagIndexPosition()
            guard position < head.seq else { return 0 }
            var count = 0
            var seqs: [Int64] = []
            var names: [String] = []
            var through = position
            // Written in stretches, so that catching up a large log does not hold all its tags at once.
            func flush() throws {
                try view.query(
                    "SELECT chronicle.add_tags(\(Int64(position)), \(Int64(through)), \(seqs), \(names))")
                position = through
                seqs.removeAll(keepingCapacity: true)
                names.removeAll(keepingCapacity: true)
            }
            try view.scan(from: position + 1, direction: .forward) { event in
                guard event.seq <= head.seq else { return false }
                let tags = try tagger(event)
                for tag in tags { try EnvelopeChecks.checkName(tag, field: "tags", index: count) }
                // Repeats are dropped by the database (array_agg DISTINCT), by their bytes as LMDB's index does.
                for tag in tags {
                    seqs.append(Int64(event.seq))
                    names.append(tag)
                }
                through = event.seq
                count += 1
                if count % 10_000 == 0 { try flush() }
                return true
            }
            through = head.seq
            try flush()
            return count
        }
    }

    /// Whether the tag index is of another scheme than `scheme`, or ends before the head: the scheme, the
    /// position and the head read by one statement (one snapshot), as ``LogView/tagScheme()``,
    /// ``LogView/tagIndexPosition()`` and ``LogView/head()`` read them.
    private func tagsLag(scheme: String) throws -> Bool {
        let (stored, position, head) = try mapped {
            try statement(
                """
                SELECT (SELECT value FROM chronicle.meta WHERE key = 'tag_scheme'),
                    (SELECT value FROM chronicle.meta WHERE key = 'tag_position'),
                    (SELECT seq FROM chronicle.head)
                """
            ) { rows in
                var cells = Cells(try rows.first.unwrapped("chronicle.meta"))
                return (try cells.next(String?.self), try cells.next(String?.self), try cells.next(Int64?.self))
            }
        }
        guard let head, head >= 0 else {
            throw EventLogError.storage("the store is damaged: chronicle.head has no row")
        }
        return stored != scheme || (position.flatMap { UInt64($0) } ?? 0) < UInt64(head)
    }
}
