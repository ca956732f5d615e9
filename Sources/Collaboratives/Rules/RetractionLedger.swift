import Foundation

/// Which events are retracted, stored or by the batch, and whether a new retraction may be added.
///
/// Retractions are final: a retraction cannot be retracted, and an event cannot be
/// retracted twice, not even twice within one batch.
struct RetractionLedger {
    private var storedEvents: [UUID: DomainEvent] = [:]
    private var batchEvents: [UUID: DomainEvent] = [:]
    private var retractedByStore: Set<UUID>
    private var retractedByBatch: [UUID: Int] = [:]

    init(stored: [TimelineEntry], retractedIDs: Set<UUID>) {
        retractedByStore = retractedIDs
        for entry in stored {
            storedEvents[entry.id] = entry.event
            if case .eventRetracted(let retraction) = entry.event {
                retractedByStore.insert(retraction.event)
            }
        }
    }

    /// Whether the event with `id` no longer counts.
    func isRetracted(_ id: UUID) -> Bool {
        retractedByStore.contains(id) || retractedByBatch[id] != nil
    }

    /// Records batch event `batchIndex`; for a retraction, first checks its target,
    /// returning the rule it breaks (then nothing is recorded).
    mutating func admit(_ entry: TimelineEntry, batchIndex: Int) -> RuleFailure? {
        defer {
            if batchEvents[entry.id] == nil { batchEvents[entry.id] = entry.event }
        }
        guard case .eventRetracted(let retraction) = entry.event else { return nil }
        let target = retraction.event
        if retractedByStore.contains(target) {
            return RuleFailure(.retractionFinal, "event \(target.lowercased) is already retracted")
        }
        if let earlier = retractedByBatch[target] {
            return RuleFailure(
                .retractionFinal, "event \(target.lowercased) is already retracted by batch event \(earlier)")
        }
        guard let targetEvent = storedEvents[target] ?? batchEvents[target] else {
            return RuleFailure(
                .retractionTargetExists, "no event \(target.lowercased) was recorded before this retraction")
        }
        if case .eventRetracted = targetEvent {
            return RuleFailure(
                .retractionFinal, "event \(target.lowercased) is itself a retraction, and retractions are final")
        }
        if case .personalDataErased(let erasure) = targetEvent {
            return RuleFailure(
                .erasureFinal,
                "event \(target.lowercased) erased the personal data of \(erasure.member); an erasure cannot be undone")
        }
        retractedByBatch[target] = batchIndex
        return nil
    }
}
