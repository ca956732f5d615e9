internal import EventLog
internal import Foundation
internal import PostgresNIO

/// The members' erasure keys (`chronicle.subject_keys`): read one at a time, by prefix or by the batch, and
/// created or deleted in the append's or the erasure's transaction.
extension PostgresLogView {
    func subjectKey(_ subject: String) throws -> SubjectKey? {
        guard let row = try query("SELECT key FROM chronicle.subject_keys WHERE subject = \(subject)").first else {
            return nil
        }
        var cells = Cells(row)
        return try cells.bytes().flatMap(SubjectKey.init(bytes:))
    }

    func subjectKeys(prefix: String) throws -> [String: SubjectKey] {
        var found: [String: SubjectKey] = [:]
        for row in try query("SELECT subject, key FROM chronicle.subject_keys WHERE starts_with(subject, \(prefix))") {
            var cells = Cells(row)
            let subject = try cells.next(String.self)
            if let key = try cells.bytes().flatMap(SubjectKey.init(bytes:)) { found[subject] = key }
        }
        return found
    }

    func createSubjectKeyIfAbsent(_ subject: String) throws -> SubjectKey {
        if let existing = try subjectKey(subject) { return existing }
        let key = SubjectKey.random()
        // Another writer's key for the same subject (one that skipped the head lock) wins; ours is dropped.
        try query(
            """
            INSERT INTO chronicle.subject_keys VALUES (\(subject), \(ByteBuffer(bytes: key.bytes)))
            ON CONFLICT (subject) DO NOTHING
            """)
        guard let stored = try subjectKey(subject) else {
            throw EventLogError.storage("the key of subject \(subject) was not stored")
        }
        return stored
    }

    func createSubjectKeysIfAbsent(_ subjects: [String]) throws -> [String: SubjectKey] {
        let wanted = Array(Set(subjects))
        for chunk in Self.chunks(wanted) {
            let keys = chunk.map { _ in ByteBuffer(bytes: SubjectKey.random().bytes) }
            // Another writer's key for the same subject (one that skipped the head lock) wins; ours is dropped.
            try query(
                """
                INSERT INTO chronicle.subject_keys SELECT * FROM unnest(\(chunk)::text[], \(keys)::bytea[])
                ON CONFLICT (subject) DO NOTHING
                """)
        }
        let stored = try subjectKeys(for: wanted)
        if let missing = wanted.first(where: { stored[$0] == nil }) {
            throw EventLogError.storage("the key of subject \(missing) was not stored")
        }
        return stored
    }

    @discardableResult
    func deleteSubjectKey(_ subject: String) throws -> Bool {
        do {
            return try !query("DELETE FROM chronicle.subject_keys WHERE subject = \(subject) RETURNING 1").isEmpty
        } catch let failure as PostgresFailure where failure.sqlState == "42501" {
            throw EventLogError.permissionDenied(
                "erasing needs the \(adminRole) role (\(session.location.user) does not have it); nothing was written")
        }
    }

    /// Stores `key` for `subject` (a restore's keys); a subject that has another key is refused.
    func store(_ key: SubjectKey, for subject: String) throws {
        if let existing = try subjectKey(subject) {
            guard existing == key else {
                throw EventLogError.restoreMismatch(seq: 0, reason: "subject \(subject) already has another key")
            }
            return
        }
        try query("INSERT INTO chronicle.subject_keys VALUES (\(subject), \(ByteBuffer(bytes: key.bytes)))")
    }

    func subjectKeys(for subjects: [String]) throws -> [String: SubjectKey] {
        var found: [String: SubjectKey] = [:]
        for chunk in Self.chunks(Array(Set(subjects)), of: Self.rowBatchSize) {
            for row in try query("SELECT subject, key FROM chronicle.subject_keys WHERE subject = ANY(\(chunk))") {
                var cells = Cells(row)
                let subject = try cells.next(String.self)
                if let key = try cells.bytes().flatMap(SubjectKey.init(bytes:)) { found[subject] = key }
            }
        }
        return found
    }
}
