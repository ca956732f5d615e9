extension Day {
    /// Reads a `YYYY-MM-DD` date given for `field`.
    ///
    /// - Throws: ``DomainError`` of kind `.invalidDate` naming `field` when `text` is not a date that exists.
    public init(validating text: String, field: String) throws(DomainError) {
        guard let day = Day(parsing: text) else {
            throw DomainError(
                .invalidDate, field: field, message: "\(Quoting.quoted(text)) is not a valid YYYY-MM-DD date")
        }
        self = day
    }
}
