public import EventLog
internal import Foundation
internal import PostgresNIO

extension PostgresEventStore {
    /// Restores as ``LMDBEventStore`` does (the same checks, the same ``EventLogError/restoreMismatch(seq:reason:)``
    /// errors), through `chronicle.restore_events`, which only the admin role may call and which checks each
    /// event against the chain again in the database. With `dryRun` the transaction is rolled back.
    @discardableResult
    public func restore(
        _ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey], dryRun: Bool
    ) throws -> LogHead {
        try AppendSteps.checkRestored(events, tags: tags)
        if !dryRun { try upgradeFormatBeforeWriting() }
        return try transaction(.write, discarding: dryRun) { view in
            try restoring(events, tags: tags, keys: keys, in: view)
        }
    }

    func restoring(
        _ events: [RecordedEvent], tags: [[String]]?, keys: [String: SubjectKey], in view: PostgresLogView
    ) throws -> LogHead {
        var continuity = AppendSteps.RestoreContinuity(after: try lockedHead(view))
        for (subject, key) in keys.sorted(by: { $0.key < $1.key }) {
            do {
                try view.store(key, for: subject)
            } catch let failure as PostgresFailure where failure.sqlState == "42501" {
                throw restoreNeedsAdmin()
            }
        }
        // Streams are told apart by their bytes, as the database's unique (stream, stream_version) does:
        // `String` equality would take two canonically equivalent spellings for one stream.
        var versions: [[UInt8]: UInt64] = [:]
        for start in stride(from: 0, to: events.count, by: Self.appendChunk) {
            let chunk = events[start..<min(start + Self.appendChunk, events.count)]
            var storedIDs: [UUID: UInt64] = [:]
            for row in try view.query("SELECT id, seq FROM chronicle.events WHERE id = ANY(\(chunk.map(\.id)))") {
                var cells = Cells(row)
                storedIDs[try cells.next(UUID.self)] = UInt64(try cells.next(Int64.self))
            }
            for event in chunk {
                try continuity.admit(
                    event,
                    expectedVersion: {
                        let stream = Array(event.stream.utf8)
                        let version = try (versions[stream] ?? view.streamVersion(event.stream) ?? 0) + 1
                        versions[stream] = version
                        return version
                    },
                    storedSeq: { storedIDs[event.id] })
            }
            var tagEvents: [Int32] = []
            var tagNames: [String] = []
            if let tags {
                for offset in chunk.indices {
                    for tag in tags[offset] {
                        tagEvents.append(Int32(offset - start + 1))
                        tagNames.append(tag)
                    }
                }
            }
            let query: PostgresQuery = """
                SELECT chronicle.restore_events(
                \(chunk.map { Int64($0.seq) }), \(chunk.map(\.id)), \(chunk.map(\.stream)),
                \(chunk.map { Int64($0.streamVersion) }), \(chunk.map(\.type)), \(chunk.map { Int32($0.schemaVersion) }),
                \(chunk.map { Int16($0.occurredAt.kind) }), \(chunk.map(\.occurredAt.number)),
                \(chunk.map(\.recordedAt.microsecondsSinceEpoch)), \(chunk.map(\.recordedBy)),
                \(chunk.map { ByteBuffer(bytes: $0.payload) }), \(chunk.map { ByteBuffer(bytes: $0.hash.bytes) }),
                \(tagEvents), \(tagNames), \(tags != nil))
                """
            do {
                try view.query(query)
            } catch let failure as PostgresFailure where failure.sqlState == "42501" {
                throw restoreNeedsAdmin()
            }
        }
        return continuity.head
    }

    private func restoreNeedsAdmin() -> EventLogError {
        .permissionDenied(
            "restoring needs the \(roleName(.admin)) role (\(location.user) does not have it); nothing was written")
    }
}
