import ArgumentParser
import Collaboratives

/// A flag's value from one of the catalog's closed lists (`--kind collaborative`, `--sector health`): its
/// help (``help(_:valueName:)``), and so `--help` and the manual page, lists the values and shell completion
/// offers them, all from the domain's enumeration.
///
/// The parser takes any text and the value is judged when the event is built (``value(_:)``), so that a
/// mistyped one is refused as every other field of the event is: invalid data (exit 65), on one line that
/// names the flag, the values allowed and the nearest one (`--sector: value "helth" is not allowed
/// (allowed: …); did you mean "health"?`), rather than as a parser's usage error.
struct CatalogChoice<Value: CatalogVocabulary>: ExpressibleByArgument {
    /// The text given on the command line.
    let text: String

    init?(argument: String) { text = argument }

    /// The catalog's spellings, in the enumeration's order.
    static var values: [String] { Value.allCases.map(\.rawValue) }

    static var defaultCompletionKind: CompletionKind { .list(values) }

    /// `abstract` and the values: `The kind of workshop: launch, convening, collaborative or cross-locality.`
    ///
    /// In the text rather than in argument-parser's `allValueStrings`, whose list `--help` shows but the
    /// manual page leaves out.
    static func help(_ abstract: String, valueName: String) -> ArgumentHelp {
        let list = values.dropLast().joined(separator: ", ") + (values.count > 1 ? " or " : "") + (values.last ?? "")
        return ArgumentHelp("\(abstract): \(list).", valueName: valueName)
    }

    /// The value, read as `import` reads the event's `data` field `key`.
    func value(_ key: String) throws(DomainError) -> Value {
        try Value.named(text, field: FlagValue.path(key))
    }
}
