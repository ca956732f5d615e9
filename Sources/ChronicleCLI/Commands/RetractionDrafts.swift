import Collaboratives
import EventLog
import Foundation

/// Finds an event by id or by a unique prefix of at least 8 hex digits.
func resolveEvent(_ text: String, in log: any EventStore) throws -> RecordedEvent {
    let wanted = text.lowercased()
    if let id = UUID(canonicalText: wanted), let event = try log.read({ try $0.event(id: id) }) { return event }
    guard wanted.count >= 8, wanted.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
        throw CLIError.invalidData("event id \(text.debugDescription): give the id or at least its first 8 hex digits")
    }
    var found: [RecordedEvent] = []
    try log.events().forEach { event in
        if event.id.uuidString.lowercased().hasPrefix(wanted) { found.append(event) }
    }
    guard found.count == 1, let event = found.first else {
        throw CLIError.invalidData(
            found.isEmpty
                ? "no event with id \(text)" : "id prefix \(text) matches \(found.count) events; give more digits")
    }
    return event
}

/// The retraction of `target`, dated `on` or today.
func makeRetraction(of target: RecordedEvent, reason: String, on: String?, chronicle: Chronicle, by: String) throws
    -> Draft
{
    let occurredAt: OccurredAt
    do {
        occurredAt = try on.map(OccurredAt.parse) ?? .day(chronicle.today)
    } catch {
        throw CLIError.invalidData("--on: \(error)")
    }
    let retraction = DomainEvent.eventRetracted(EventRetracted(event: target.id, reason: reason))
    do throws(DomainError) {
        return Draft(occurredAt: occurredAt, recordedBy: by, event: try retraction.checkedAsInput())
    } catch {
        throw CLIError.invalidData(FlagNames.describe(error))
    }
}
