extension DomainEvent {
    /// The event, when it passes every check an input line's `data` passes: each field as the type's
    /// `init(reading:)` reads it (text lengths, counts, lists without repeats, a sub-group lead's sub-group),
    /// the rule for entered text (``TextCheck``), and no sealed personal text (only the store seals).
    ///
    /// This is how an event built from typed values (`chronicle record`'s flags) is judged exactly as
    /// `import` judges the same event written as a line: the fields' limits are stated once, by the type's
    /// reader, and the event's own `data` goes through it.
    ///
    /// ```swift
    /// let event = try DomainEvent.surveyWaveClosed(
    ///     SurveyWaveClosed(collaborative: oldham, wave: "2023", invited: 9, responded: -1)
    /// ).checkedAsInput()   // data.responded: count -1 is negative
    /// ```
    ///
    /// - Throws: ``DomainError`` naming the field at fault (`data.guests`, `data.attendees[1]`).
    public func checkedAsInput() throws(DomainError) -> DomainEvent {
        let event = try EventCodec.decode(
            type: typeName, schemaVersion: DomainEvent.latestSchemaVersion, data: EventCodec.dataValue(of: self))
        try TextCheck.check(event)
        try event.refuseSealedPersonalText()
        return event
    }

    /// Refuses sealed personal text: sealed values are the store's own form, and input carries personal
    /// text in clear.
    func refuseSealedPersonalText() throws(DomainError) {
        guard let personal = personalData else { return }
        for (field, value) in zip(personal.fields, personal.values) where value?.isSealed == true {
            throw DomainError(.wrongType, field: "data.\(field)", message: "expected a string, found an object")
        }
    }
}
