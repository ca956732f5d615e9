public import EventLog
internal import Foundation
internal import PostgresNIO

extension PostgresEventStore {
    /// Brings the tag index up to the head as ``LMDBEventStore`` does, through `chronicle.reset_tags` and
    /// `chronicle.add_tags`, holding the head lock so that no append runs meanwhile. The index is a cache: on a
    /// connection that cannot write it (a reader, a hot standby) this does nothing and returns 0, and readers
    /// fall back to scanning the log.
    @discardableResult
    public func catchUpTags(scheme: String, _ tagger: (RecordedEvent) throws -> [String]) throws -> Int {
        let lagging = try read { view in
            try view.tagScheme() != scheme || view.tagIndexPosition() < view.head().seq
        }
        guard lagging else { return 0 }
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
}
