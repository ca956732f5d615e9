import Foundation
import Testing

/// Runs `body` with the path of a fresh, empty directory under the system's temporary directory and
/// removes the directory afterwards, whatever `body` does.
func withTemporaryDirectory<R>(_ body: (String) throws -> R) throws -> R {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("lmdb-tests-\(UUID().uuidString.lowercased())", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
}

/// ``withTemporaryDirectory(_:)`` for an asynchronous `body` (an exit test).
func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("lmdb-tests-\(UUID().uuidString.lowercased())", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url.path)
}

/// The POSIX permission bits (`0o777` mask) of the file at `path`.
func permissions(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    let mode = try #require(attributes[.posixPermissions] as? NSNumber)
    return mode.intValue & 0o777
}

/// UTF-8 bytes of `text`, for readable keys and values.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// An error a test throws on purpose.
struct DeliberateFailure: Error, Equatable {}
