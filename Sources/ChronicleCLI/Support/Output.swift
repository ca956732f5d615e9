import Collaboratives
import EventLog
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
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Prints one line to stdout.
func printLine(_ text: String) {
    // `Data(buffer:)` copies the bytes; `Data(text.utf8)` would first ask at run time whether the UTF-8 view is
    // `ContiguousBytes`, a conformance look-up that scans every conformance record (felt by `record`).
    var line = text + "\n"
    line.withUTF8 { FileHandle.standardOutput.write(Data(buffer: $0)) }
}

/// Prints a JSON value to stdout as one canonical line (keys sorted: stable output).
func printJSON(_ value: JSONValue) {
    FileHandle.standardOutput.write(Data(value.canonicalBytes + [0x0A]))
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
        let line = (try? chronicle.exportLine(self, keys: keys, includingKey: false)) ?? ExportLine.encode(self)
        return (try? JSONValue(parsing: line)) ?? .null
    }

    /// The first 8 hex digits of the id, as shown in tables.
    var shortID: String { String(id.uuidString.lowercased().prefix(8)) }
}
