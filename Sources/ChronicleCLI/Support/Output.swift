import Collaboratives
import EventLog
import FileSystem
import Foundation

/// Writes to stdout through one buffered handle (tables, JSON) so that large outputs stay fast.
struct StandardOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count > 1 << 16 { flush() }
    }

    mutating func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { writeToStandardOutput($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Writes `bytes` to stdout, all of them, with `write(2)`.
///
/// `FileHandle.write(_:)` cannot report a failure and stops the process with a backtrace instead (exit 132):
/// here a reader that went away (`EPIPE`, with SIGPIPE ignored) ends the process quietly with status 141
/// (128 + SIGPIPE, what a shell shows for a tool SIGPIPE ended, so `set -o pipefail` still sees that the
/// output was cut short), and any other failure (`> /dev/full`) is one line on stderr and exit 74.
func writeToStandardOutput(_ bytes: UnsafeRawBufferPointer) {
    let failure = writeAll(STDOUT_FILENO, bytes)
    guard failure != 0 else { return }
    if failure == EPIPE { _exit(128 + SIGPIPE) }
    printDiagnostic("error: cannot write to standard output: \(Errno(rawValue: failure).text)")
    Foundation.exit(ExitStatus.ioError.rawValue)
}

/// Writes all of `bytes` to `descriptor` with `write(2)`, again after an interruption; returns 0, or the
/// errno of the failure (EIO when a write wrote nothing).
func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
    FileSystem.writeAll(bytes, to: FileDescriptor(rawValue: descriptor))?.rawValue ?? 0
}

/// Writes `text` to stdout (see ``writeToStandardOutput(_:)-(UnsafeRawBufferPointer)``).
func writeToStandardOutput(_ text: String) {
    var text = text
    text.withUTF8 { writeToStandardOutput(UnsafeRawBufferPointer($0)) }
}

/// Prints one line to stdout.
func printLine(_ text: String) {
    writeToStandardOutput(text + "\n")
}

/// Prints a JSON value to stdout as one canonical line (keys sorted: stable output).
func printJSON(_ value: JSONValue) {
    (value.canonicalBytes + [0x0A]).withUnsafeBytes { writeToStandardOutput($0) }
}

extension LogHead {
    /// `{"seq":…,"hash":"…","recordedAt":"…"|null}`.
    var json: JSONValue {
        .object([
            "seq": .integer(Int64(clamping: seq)), "hash": .string(hash.description),
            "recordedAt": recordedAt.map { .string($0.description) } ?? .null,
        ])
    }
}

extension RecordedEvent {
    /// The event as its export line (personal fields opened with `keys`, the member's key left out: only
    /// `export` writes keys), parsed back into a JSON value.
    func json(_ chronicle: Chronicle, keys: PersonalDataKeys) -> JSONValue {
        let line = (try? chronicle.reader.exportLine(self, keys: keys, includingKey: false)) ?? ExportLine.encode(self)
        return (try? JSONValue(parsing: line)) ?? .null
    }

    /// The first 8 hex digits of the id, as shown in tables.
    var shortID: String { String(id.uuidString.lowercased().prefix(8)) }
}
