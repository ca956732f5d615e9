import Collaboratives
import EventLog
import Foundation

/// Appends `drafts` in one transaction and prints what was stored: with `json` the appended and duplicate
/// events and the head (`Schemas/output/record.v1`), else one line per event.
///
/// `record` names each event's stream and version in its lines (`--expect-version` is about them);
/// `retract`, `correct` and `erase` do not.
func appendAndReport(
    _ chronicle: Chronicle, _ drafts: [Draft], expecting: [String: ExpectedVersion] = [:], dryRun: Bool, json: Bool,
    namingStreams: Bool = false
) throws {
    let result: AppendResult
    do {
        result = try chronicle.append(drafts, expecting: expecting, dryRun: dryRun)
    } catch let violation as RuleViolation {
        throw CLIError.invalidData(violation.description)
    }
    if json {
        let keys = try chronicle.reader.personalDataKeys()
        printJSON(
            .object([
                "appended": .array(result.appended.map { $0.json(chronicle, keys: keys) }),
                "duplicates": .array(result.duplicates.map { $0.json(chronicle, keys: keys) }),
                "dryRun": .bool(dryRun), "head": result.head.json,
            ]))
        return
    }
    for event in result.appended {
        let stream = namingStreams ? "  \(event.stream) v\(event.streamVersion)" : ""
        printLine(
            "\(dryRun ? "would record" : "recorded") seq \(event.seq)  \(event.type)\(stream)  "
                + "id \(event.id.uuidString.lowercased())")
    }
    for event in result.duplicates {
        printLine("already recorded (seq \(event.seq), id \(event.id.uuidString.lowercased())): nothing written")
    }
}
