extension TimelineEntry {
    /// The entry as ``RuleAudit``'s model keeps it: a join's or details change's name and organisation
    /// replaced by an empty text that says only that they were given.
    ///
    /// No rule reads a member's name or organisation; whether a change gives them decides only which fields
    /// the member's details keep from before it (``DetailsShaping``). Stored names are sealed (an array of
    /// nonce, ciphertext and tag: about 80 bytes of heap each), and the model holds every member's details
    /// snapshots: dropping them saves about two of those a join at 10M events.
    var withoutPersonalText: TimelineEntry {
        let given = PersonalText.plain("")  // a small string: nothing allocated
        let event: DomainEvent
        switch self.event {
        case .memberJoined(var joined) where joined.name != nil || joined.organisation != nil:
            joined.name = joined.name.map { _ in given }
            joined.organisation = joined.organisation.map { _ in given }
            event = .memberJoined(joined)
        case .memberDetailsChanged(var change) where change.name != nil || change.organisation != nil:
            change.name = change.name.map { _ in given }
            change.organisation = change.organisation.map { _ in given }
            event = .memberDetailsChanged(change)
        default:
            return self
        }
        return TimelineEntry(id: id, seq: seq, occurredAt: occurredAt, event: event)
    }
}
