internal import EventLog
internal import FileSystem
internal import Foundation

/// A temporary file, unlinked as soon as it is created (so nothing is left behind, whatever happens to the
/// process), written at its end and read at any offset.
final class SpillFile {
    /// Bytes written or read at a time, unless told otherwise.
    static let defaultChunkSize = 1 << 16

    /// `TMPDIR`, or `/tmp`.
    static var temporaryDirectory: String {
        let directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? ""
        return directory.isEmpty ? "/tmp" : directory
    }

    private let descriptor: FileDescriptor
    private let directory: String
    /// The bytes written so far.
    private(set) var size = 0
    /// Bytes its readers read at a time.
    let chunkSize: Int

    /// Creates an empty file in `directory`, read `chunkSize` bytes at a time.
    init(directory: String, chunkSize: Int = defaultChunkSize) throws {
        do throws(FileSystemError) {
            descriptor = try FileSystem.createScratchFile(in: directory)
        } catch {
            throw EventLogError.storage("\(error.description) (to spill the present view)")
        }
        self.directory = directory
        self.chunkSize = max(chunkSize, 1)
    }

    deinit { try? descriptor.close() }

    /// Writes `bytes` at the end.
    func append(_ bytes: [UInt8]) throws {
        do {
            _ = try descriptor.writeAll(toAbsoluteOffset: Int64(size), bytes)  // retried on EINTR
        } catch {
            throw failure("write to", Errno(error).text)
        }
        size += bytes.count
    }

    /// Up to `count` bytes from `offset` (fewer only at the end of what was written).
    func read(_ count: Int, at offset: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(0, min(count, size - offset)))
        try bytes.withUnsafeMutableBytes { try read(into: $0, at: offset) }
        return bytes
    }

    /// Fills `buffer` with the bytes from `offset`, which must all have been written.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < buffer.count {
            let moved: Int
            do {
                moved = try descriptor.read(
                    fromAbsoluteOffset: Int64(offset + done),
                    into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
            } catch {
                throw failure("read", Errno(error).text)
            }
            guard moved > 0 else { throw failure("read", "it ends early") }
            done += moved
        }
    }

    private func failure(_ verb: String, _ reason: String) -> EventLogError {
        .storage("cannot \(verb) the rebuild's temporary file in \(directory): \(reason)")
    }
}
