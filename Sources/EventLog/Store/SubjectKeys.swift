/// A 256-bit secret kept by the store for one subject (a person, say), so that data sealed with it can be
/// made unreadable by deleting the key ("crypto-shredding"). The log itself never reads it.
public struct SubjectKey: Hashable, Sendable {
    /// The key's bytes (32).
    public let bytes: [UInt8]

    /// The key length in bytes.
    public static let length = 32

    /// Wraps `bytes`; `nil` unless they are ``length`` bytes long.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.length else { return nil }
        self.bytes = bytes
    }

    /// A fresh key from the system's cryptographically secure generator.
    public static func random() -> SubjectKey {
        // Eight bytes a draw: the generator reads the kernel's (one system call a draw), and an import
        // creates a key for every member it names.
        var generator = SystemRandomNumberGenerator()
        assert(length % 8 == 0, "a key is drawn in whole 8-byte words")
        var bytes = [UInt8](repeating: 0, count: length)
        bytes.withUnsafeMutableBytes { buffer in
            for offset in stride(from: 0, to: length, by: 8) {
                buffer.storeBytes(of: generator.next() as UInt64, toByteOffset: offset, as: UInt64.self)
            }
        }
        // 32 random bytes always make a key.
        return SubjectKey(unchecked: bytes)
    }

    private init(unchecked bytes: [UInt8]) { self.bytes = bytes }
}

/// Write access to the store's key database, handed to ``AppendHooks/prepare(_:keys:)``: key changes commit
/// or roll back with the events of the same append.
public protocol SubjectKeyWriter: LogView {
    /// The subject's key, created (random) and stored when it has none.
    func createSubjectKeyIfAbsent(_ subject: String) throws -> SubjectKey
    /// The key of each of `subjects`, created (random) and stored for those that have none: what
    /// ``createSubjectKeyIfAbsent(_:)`` gives for each, in as few requests as the store allows (an import
    /// names thousands of members, and a request to a server costs a round trip).
    func createSubjectKeysIfAbsent(_ subjects: [String]) throws -> [String: SubjectKey]
    /// Deletes the subject's key; returns whether there was one. The key's bytes are gone from the
    /// current state of the store (earlier backups and copies still hold them).
    @discardableResult
    func deleteSubjectKey(_ subject: String) throws -> Bool
}

extension SubjectKeyWriter {
    /// Asks ``createSubjectKeyIfAbsent(_:)`` for each subject.
    public func createSubjectKeysIfAbsent(_ subjects: [String]) throws -> [String: SubjectKey] {
        var keys: [String: SubjectKey] = [:]
        for subject in subjects where keys[subject] == nil {
            keys[subject] = try createSubjectKeyIfAbsent(subject)
        }
        return keys
    }
}
