import Foundation

/// `{"seq","hash","recordedAt"}`: the head of the log, in every `--json` output.
struct Head: Decodable, Equatable, Sendable, CustomStringConvertible {
    let seq: Int
    let hash: String
    let recordedAt: String?

    var description: String { "seq \(seq) \(hash) \(recordedAt ?? "-")" }
}

/// The fields of an event's `data` that the tests look at (the rest is ignored).
struct EventData: Decodable, Equatable, Sendable {
    let event: String?
    let member: String?
    let sector: String?
    let workshop: String?
    let attendees: [String]?
    let minutes: Int?
}

/// One export line (`Schemas/envelope/line-export.v1.schema.json`).
struct ExportedEvent: Decodable, Equatable, Sendable {
    let id: String
    let seq: Int
    let type: String
    let schemaVersion: Int
    let occurredAt: String
    let recordedAt: String
    let recordedBy: String
    let stream: String
    let streamVersion: Int
    let hash: String
    let data: EventData
}

/// `record`, `retract` and `correct` with `--json`.
struct AppendReport: Decodable, Sendable {
    let appended: [ExportedEvent]
    let duplicates: [ExportedEvent]
    let dryRun: Bool
    let head: Head
}

/// `import --json`.
struct ImportReport: Decodable, Sendable {
    let lines: Int
    let appended: Int
    let duplicates: Int
    let restored: Bool
    let dryRun: Bool
    let head: Head
}

/// `verify --json`.
struct VerifyReport: Decodable, Sendable {
    struct Fault: Decodable, Sendable {
        let seq: Int?
        let problem: String
    }

    let sound: Bool
    let events: Int
    let head: Head
    let fault: Fault?
}

/// `log --json`.
struct LogReport: Decodable, Sendable {
    struct Entry: Decodable, Sendable {
        let event: ExportedEvent
        let retractedBy: String?
    }

    let head: Head
    let events: [Entry]

    /// The seq of every listed event, in the order listed.
    var seqs: [Int] { events.map(\.event.seq) }
}

/// Decodes a `--json` output.
func decode<Value: Decodable>(_ type: Value.Type, from output: String) throws -> Value {
    try JSONDecoder().decode(type, from: Data(output.utf8))
}

/// An RFC 3339 UTC instant as the CLI prints it (`2024-09-02T08:00:00Z`, `…:00.250000Z`), comparable
/// in time (the texts themselves do not sort in time once fractions appear).
struct Instant: Comparable, Sendable, CustomStringConvertible {
    let seconds: String
    let fraction: Double
    let description: String

    init?(_ text: String) {
        guard text.count >= 20, text.hasSuffix("Z") else { return nil }
        seconds = String(text.prefix(19))
        let rest = text.dropFirst(19).dropLast()
        if rest.isEmpty {
            fraction = 0
        } else {
            guard rest.first == ".", let value = Double("0" + rest) else { return nil }
            fraction = value
        }
        description = text
    }

    static func < (left: Instant, right: Instant) -> Bool {
        (left.seconds, left.fraction) < (right.seconds, right.fraction)
    }

    static func == (left: Instant, right: Instant) -> Bool {
        left.seconds == right.seconds && left.fraction == right.fraction
    }
}
