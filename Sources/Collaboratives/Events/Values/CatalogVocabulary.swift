/// A closed list of values of the catalog (EVENTS.md): workshop kinds and modes, coaching kinds, roles,
/// appointments, sectors, sub-group statuses, milestone kinds and leave reasons.
///
/// Raw values are the catalog's spelling. ``named(_:field:)`` is how every way in (a `data` object read by
/// `import`, a flag of `chronicle record`) turns text into a value, so a refusal reads the same wherever it
/// is met.
public protocol CatalogVocabulary: RawRepresentable<String>, CaseIterable, Hashable, Sendable {}

extension CatalogVocabulary {
    /// The value spelled `text`.
    ///
    /// ```swift
    /// try Sector.named("helth", field: "data.sector")
    /// // data.sector: value "helth" is not allowed (allowed: primary-school, …, other); did you mean "health"?
    /// ```
    ///
    /// - Throws: ``DomainError`` of kind `.valueNotAllowed` naming `field`, listing the allowed values and,
    ///   when one is at most two edits away (or differs only in case), suggesting it.
    public static func named(_ text: String, field: String) throws(DomainError) -> Self {
        try closedValue(text, as: Self.self, field: field)
    }
}

/// The value of a closed enumeration spelled `text` (see ``CatalogVocabulary/named(_:field:)``).
func closedValue<Value: RawRepresentable<String> & CaseIterable>(
    _ text: String, as type: Value.Type, field: String
) throws(DomainError) -> Value {
    if let value = Value(rawValue: text) { return value }
    let spellings = Value.allCases.map(\.rawValue)
    var message = "value \(Quoting.quoted(text)) is not allowed (allowed: \(spellings.joined(separator: ", ")))"
    // The catalog's spellings are all slugs, so a mistyped value is judged as a mistyped slug is.
    let candidates = spellings.compactMap(Slug.init)
    if let typed = Slug(text.lowercased()),
        let near = candidates.first(where: { $0 == typed }) ?? typed.nearest(among: candidates)
    {
        message += "; did you mean \(Quoting.quoted(near.rawValue))?"
    }
    throw DomainError(.valueNotAllowed, field: field, message: message)
}
