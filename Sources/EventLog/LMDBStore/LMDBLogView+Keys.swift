internal import Foundation
internal import LMDB

/// The `keys` database: subject UTF-8 → 32 key bytes. Written only inside an append's or a restore's
/// transaction, so a key and the events sealed with it (or the event recording its deletion) commit together.
extension LMDBLogView: SubjectKeyWriter {
    func subjectKey(_ subject: String) throws -> SubjectKey? {
        guard let keys = databases.keys else { return nil }
        return try txn.withValue(keys, key: StoreKeys.subject(subject)) { bytes throws(LMDBError) in
            bytes.flatMap { SubjectKey(bytes: Array($0)) }
        }
    }

    func subjectKeys(prefix: String) throws -> [String: SubjectKey] {
        let start = StoreKeys.subject(prefix)
        var found: [String: SubjectKey] = [:]
        guard let keys = databases.keys else { return found }
        try txn.withCursor(keys) { cursor in
            // LMDB refuses an empty key to seek to: every key comes from the first.
            var entry = start.isEmpty ? try cursor.first() : try cursor.seek(atOrAfter: start)
            while let current = entry, current.key.starts(with: start) {
                if let subject = String(validating: current.key, as: UTF8.self),
                    let key = SubjectKey(bytes: Array(current.value))
                {
                    found[subject] = key
                }
                entry = try cursor.next()
            }
        }
        return found
    }

    func createSubjectKeyIfAbsent(_ subject: String) throws -> SubjectKey {
        if let existing = try subjectKey(subject) { return existing }
        let key = SubjectKey.random()
        try store(key, for: subject)
        return key
    }

    @discardableResult
    func deleteSubjectKey(_ subject: String) throws -> Bool {
        try txn.delete(try databases.writableKeys(), key: StoreKeys.subject(subject))
    }

    /// Stores `key` for `subject`, replacing none: a subject that has another key is refused.
    func store(_ key: SubjectKey, for subject: String) throws {
        if let existing = try subjectKey(subject) {
            guard existing == key else {
                throw EventLogError.restoreMismatch(seq: 0, reason: "subject \(subject) already has another key")
            }
            return
        }
        let keys = try databases.writableKeys()
        try txn.put(keys, key: StoreKeys.subject(subject), value: key.bytes, flags: .noOverwrite)
    }
}
